/**
 * Row files: a warehouse loaded from documentRows + writeRowFiles holds exactly the rows of one
 * loaded from memory (same digests, same physical order), for real documents and awkward values.
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError, DavsError } from '../core/errors.js';
import { compareCodePoints, sortBy } from '../core/sort.js';
import { queryWarehouse } from '../test/helpers.js';
import { extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import { measures, orderObservations, transformDocument, type Observation } from '../transform/index.js';
import { CHECKS, familyOf, measureFamilies } from '../checks/index.js';
import {
  DOCUMENT_TABLES,
  TABLES,
  TABLE_NAMES,
  categoryFigures,
  documentRows,
  observationCounts,
  observationPartitions,
  observationRowPartitions,
  observationsFrom,
  observationsOf,
  openWarehouse,
  rowFilesByTable,
  writeRowFiles,
  writeWarehouse,
  type RowFile,
  type WarehouseInput,
} from './index.js';
import { partitionBatches } from './observations.js';
import { appendRows } from './append.js';
import { insertFromFilesSql, rowLine } from './row-files.js';
import { buildRows } from './rows.js';
import { createTableSql, tableSpec } from './schema.js';

const RAW = join(import.meta.dirname, '..', 'raw');
/** Every table but runs, whose one row always comes from input.run. */
const BUT_RUNS = TABLE_NAMES.filter((t) => t !== 'runs');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-bulk-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every table's rows as JSON, in the order of every column (the load keeps its files' order: the rows, not their order, must be the same). */
async function dump(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    for (const t of TABLES) out[t.name] = JSON.stringify((await connection.runAndReadAll(`SELECT * FROM "${t.name}" ORDER BY ALL`)).getRowObjectsJson());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return out;
}

const RUN: WarehouseInput['run'] = {
  run_id: 'run-bulk',
  started_at: '2024-05-01T02:00:00.000Z',
  finished_at: '2024-05-01T02:00:05.250Z',
  davs_version: '0.1.0',
  raw_dir: '/data/raw',
  corpus_sha256: 'a'.repeat(64),
  documents: 0,
  failed_documents: 0,
  findings: 0,
  errors: 0,
  warnings: 0,
  document_problems: 0,
  cells: 0,
  code_revision: null,
  lockfile_sha256: null,
  node_version: 'v20.0.0',
  duckdb_version: 'v1.5.6',
};

interface DocumentPart {
  extraction: Extraction;
  observations: Observation[];
  cell_geographies: WarehouseInput['cell_geographies'];
}

function wholeInput(parts: readonly DocumentPart[]): WarehouseInput {
  return {
    run: RUN,
    documents: parts.map((p) => p.extraction.document),
    problems: [],
    tables: parts.flatMap((p) => p.extraction.tables),
    cells: parts.flatMap((p) => p.extraction.cells),
    statuses: parts.flatMap((p) => p.extraction.statuses),
    statements: parts.flatMap((p) => p.extraction.statements),
    cell_geographies: parts.flatMap((p) => p.cell_geographies),
    measures: measures(),
    observations: parts.flatMap((p) => p.observations),
    findings: [],
    summaries: [],
  };
}

/** The input with the arrays that only feed the document tables emptied: what the parent holds when workers wrote them. */
function withoutDocumentRecords(input: WarehouseInput): WarehouseInput {
  return { ...input, tables: [], cells: [], statuses: [], statements: [], cell_geographies: [], observations: [] };
}

/** One folder of row files per document, as a worker would write them; listed in reverse (the load keeps the files' order; what it loads does not depend on it). */
async function documentFiles(parts: readonly DocumentPart[], under: string): Promise<RowFile[]> {
  const files: RowFile[] = [];
  for (const [i, p] of parts.entries()) {
    const rows = documentRows({ ...p.extraction, observations: p.observations, cell_geographies: p.cell_geographies }, p.extraction.document.file);
    files.push(...(await writeRowFiles(join(under, `doc-${i}`), rows)));
  }
  return files.reverse();
}

/** The bundled text documents and workbooks, extracted and transformed (line and cell locators; PDFs are read in a child process and add only time here). */
let realParts: Promise<DocumentPart[]> | null = null;
function readRealParts(): Promise<DocumentPart[]> {
  realParts ??= (async () => {
    const parts: DocumentPart[] = [];
    for (const raw of (await readCorpus(RAW)).documents.filter((d) => d.record.format !== 'pdf')) {
      const extraction = await extractDocument(raw.record, raw.bytes);
      parts.push({ extraction, ...transformDocument(extraction) });
    }
    return parts;
  })();
  return realParts;
}

describe('row files, real documents', () => {
  let parts: DocumentPart[] = [];
  beforeAll(async () => {
    parts = await readRealParts();
  }, 120_000);

  it('documentRows gives what buildRows gives for that document', () => {
    for (const p of parts) {
      const one = wholeInput([p]);
      const all = buildRows(one);
      const mine = documentRows(one);
      for (const table of DOCUMENT_TABLES) expect(mine[table], `${p.extraction.document.file} ${table}`).toEqual(all[table]);
    }
  });

  it('loads the same tables from row files as from memory', async () => {
    expect(parts.length).toBeGreaterThan(2);
    const input = wholeInput(parts);
    expect(input.cells.length).toBeGreaterThan(100);
    expect(input.observations.length).toBeGreaterThan(10);
    const memory = await writeWarehouse(join(dir, 'memory.duckdb'), input);

    const files = await documentFiles(parts, join(dir, 'real'));
    const fromFiles = await writeWarehouse(join(dir, 'files.duckdb'), withoutDocumentRecords(input), rowFilesByTable(files, DOCUMENT_TABLES));
    expect(fromFiles.rows).toEqual(memory.rows);
    expect(fromFiles.digests).toEqual(memory.digests);
    expect(await dump(join(dir, 'files.duckdb'))).toEqual(await dump(join(dir, 'memory.duckdb')));

    // the load does not sort: files listed in document-id order give the tables keyed by document id in key order
    const byDocument = (await documentFiles(sortBy(parts, (p) => [p.extraction.document.document_id]), join(dir, 'real-ordered'))).reverse();
    const ordered = await writeWarehouse(join(dir, 'ordered.duckdb'), withoutDocumentRecords(input), rowFilesByTable(byDocument, DOCUMENT_TABLES));
    expect(ordered.digests).toEqual(memory.digests);
    const stored = (await queryWarehouse(join(dir, 'ordered.duckdb'), 'SELECT cell_id FROM cells ORDER BY rowid')).map((r) => String(r['cell_id']));
    expect(stored.length).toBe(input.cells.length);
    expect(stored).toEqual([...stored].sort(compareCodePoints));

    // every table from files but runs (its one row is input.run), the run's own tables too
    const allFiles = await writeRowFiles(join(dir, 'real-all'), { ...buildRows(input), runs: [] });
    const empty: WarehouseInput = { ...withoutDocumentRecords(input), documents: [], problems: [], measures: [], findings: [], summaries: [] };
    const everything = await writeWarehouse(join(dir, 'all-files.duckdb'), empty, rowFilesByTable(allFiles, BUT_RUNS));
    expect(everything.digests).toEqual(memory.digests);
    expect(await dump(join(dir, 'all-files.duckdb'))).toEqual(await dump(join(dir, 'memory.duckdb')));
  }, 120_000);

  it('loads the observations first and the other document tables after them (loadMore, as a night does): the same tables', async () => {
    const input = wholeInput(parts);
    const memory = await writeWarehouse(join(dir, 'memory-later.duckdb'), input);
    const files = await documentFiles(parts, join(dir, 'real-later'));
    const path = join(dir, 'later.duckdb');
    const writer = await openWarehouse(path, rowFilesByTable(files.filter((f) => f.table === 'observations'), ['observations']));
    // the observations are there to be read, the rest not yet
    const count = async (table: string) => Number((await writer.connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
    expect(await count('observations')).toBe(input.observations.length);
    expect(await count('cells')).toBe(0);
    await writer.loadMore(rowFilesByTable(files.filter((f) => f.table !== 'observations'), DOCUMENT_TABLES.filter((t) => t !== 'observations')));
    expect(await count('cells')).toBe(input.cells.length);
    await writer.commit(withoutDocumentRecords(input));
    await expect(writer.loadMore({})).rejects.toThrow(/already committed/);
    const written = await writer.finish();
    expect(written.rows).toEqual(memory.rows);
    expect(written.digests).toEqual(memory.digests);
    expect(await dump(path)).toEqual(await dump(join(dir, 'memory-later.duckdb')));
  }, 120_000);
});

describe('observations read back for the checks that compare documents', () => {
  let parts: DocumentPart[] = [];
  beforeAll(async () => {
    parts = await readRealParts();
  }, 120_000);

  it('gives back every loaded observation as it was (locators of lines and cells), one partition per geography, breakdown and family of measures', async () => {
    const input = wholeInput(parts);
    const path = join(dir, 'observations.duckdb');
    await writeWarehouse(path, input);
    const files = new Map(input.documents.map((d) => [d.document_id, d.file]));
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      // the checks' families of measures: a derived measure with its inputs, any other measure alone
      const families = measureFamilies(CHECKS, measures());
      expect(new Set(families.values()).size).toBeGreaterThan(0);
      const partitions: Observation[][] = [];
      for await (const partition of observationPartitions(connection, files, families)) partitions.push(partition);
      const keys = partitions.map((p) => new Set(p.map((o) => JSON.stringify([o.geography, o.breakdown, familyOf(families, o.measure_id)]))));
      expect(keys.every((k) => k.size === 1)).toBe(true);
      expect(new Set(keys.map((k) => [...k][0])).size).toBe(partitions.length);
      expect(partitions.length).toBeGreaterThan(10);
      // a family of measures is one partition: some partition holds more than one measure
      expect(partitions.some((p) => new Set(p.map((o) => o.measure_id)).size > 1)).toBe(true);
      const expected = orderObservations([...input.observations]);
      expect(orderObservations(partitions.flat())).toEqual(expected);
      expect(new Set(expected.map((o) => o.locator.kind))).toEqual(new Set(['line', 'cell']));

      // one figure (every period, or one), the observations of some sources, the categories, the counts
      const some = expected.find((o) => o.breakdown !== '')!;
      const figure = expected.filter((o) => o.measure_id === some.measure_id && o.geography === some.geography && o.breakdown === some.breakdown);
      expect(orderObservations(await observationsOf(connection, files, [{ ...some, period: null }]))).toEqual(figure);
      expect(orderObservations(await observationsOf(connection, files, [some]))).toEqual(figure.filter((o) => o.period === some.period));
      const sources = [expected[0]!.source_id, some.source_id];
      expect(orderObservations(await observationsFrom(connection, files, sources))).toEqual(expected.filter((o) => sources.includes(o.source_id)));
      const categories = new Set(expected.filter((o) => o.breakdown !== '').map((o) => JSON.stringify([o.measure_id, o.period, o.geography, o.breakdown])));
      expect((await categoryFigures(connection)).map((k) => JSON.stringify([k.measure_id, k.period, k.geography, k.breakdown])).sort()).toEqual([...categories].sort());
      expect(await observationCounts(connection)).toEqual({ observations: expected.length, measures: new Set(expected.map((o) => o.measure_id)).size, from_cells: expected.filter((o) => o.source_kind === 'cell').length });
      // a document the run does not know cannot have its locators read: refused, not guessed
      await expect(observationsFrom(connection, new Map(), sources)).rejects.toThrow(/which the run does not have/);

      // read in batches of partitions (here as small as they come: one partition, or a few of few rows), the same partitions in the same order
      const rowsOf = async (batchRows?: number): Promise<string[][]> => {
        const out: string[][] = [];
        for await (const rows of observationRowPartitions(connection, families, batchRows)) out.push([...rows].sort());
        return out;
      };
      const whole = await rowsOf(Number.MAX_SAFE_INTEGER);
      expect(whole.length).toBe(partitions.length);
      expect(await rowsOf(3)).toEqual(whole);
      expect(await rowsOf()).toEqual(whole);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 120_000);
});

describe('batches of partitions (partitionBatches)', () => {
  const sizes = (...rows: number[]) => rows.map((n, i) => ({ key: i, rows: n }));
  const keys = (batches: Array<Array<{ key: number }>>) => batches.map((b) => b.map((p) => p.key));

  it('fills a batch up to its rows, keeps each partition whole and in order, and gives a larger partition a batch of its own', () => {
    expect(keys(partitionBatches(sizes(3, 4, 2, 9, 1, 1), 8))).toEqual([[0, 1], [2], [3], [4, 5]]);
    expect(keys(partitionBatches(sizes(8, 8), 8))).toEqual([[0], [1]]);
    expect(keys(partitionBatches(sizes(1, 1, 1, 1, 1), 100, 2))).toEqual([[0, 1], [2, 3], [4]]);
    expect(partitionBatches([], 8)).toEqual([]);
  });
});

const DOC = 'awkward-0123456789ab';
const TABLE = `${DOC}:t001`;
const FILE = 'awkward.txt';
const line = (n: number) => ({ kind: 'line' as const, document: FILE, line: n });
const AWKWARD = ['plain', 'quote " and \' both', 'new\nline\r\ttab', 'nul \u0000 inside', 'emoji 😀 ñ 中文 \u2028', '', 'back\\slash', 'lone \ud800 surrogate', '～ after 😀'];

function awkwardInput(): WarehouseInput {
  const values = [0.1, 1e-7, 2 ** 53 - 1, -0, 5e-324, 1.7976931348623157e308, 1 / 3, -123.456, 0.30000000000000004];
  return {
    run: { ...RUN, cells: 2 ** 53 - 1, code_revision: 'abc\u0000"\n', started_at: '2024-02-29T23:59:59.999Z' },
    documents: [
      {
        document_id: DOC,
        file: FILE,
        format: 'text',
        publisher: 'Pub "quoted"',
        title: AWKWARD.join(' | '),
        release_date: '2020-02-29',
        release_date_precision: 'day',
        period_covered: null,
        sha256: 'b'.repeat(64),
        bytes: 2 ** 53 - 1,
        metadata_source: 'manifest',
        edition_of: null,
        reference_period: null,
        period_labels: { '2020': 'YE 2020-03', 'é"\n': 'x' },
        geography: null,
        release: 'awkward',
      },
    ],
    problems: AWKWARD.map((text, i) => ({ file: `f${i}`, kind: 'skipped' as const, severity: 'warning' as const, stage: 'corpus', code: 'file-skipped', message: text })),
    tables: [
      {
        table_id: TABLE,
        document_id: DOC,
        ordinal: 1,
        title: AWKWARD[1]!,
        subtitle: null,
        section: AWKWARD[3]!,
        locator: line(1),
        columns: values.map((v, i) => ({ index: i, header_path: i % 2 ? [] : AWKWARD, unit: null, period: i % 2 ? null : '2019', base: i % 3 ? null : { raw: String(v), value: v, decimals: 0, unit: 'count' as const }, footnotes: [] })),
        rows: AWKWARD.map((label, i) => ({ index: i, label, label_path: i % 2 ? [] : [label, ''], depth: 0, parent_index: null, role: 'category' as const, footnotes: i % 3 ? [] : ['¹', '"'], locator: line(i + 2) })),
        notes: AWKWARD.map((text, i) => ({ marker: i % 2 ? null : text, text, locator: line(40 + i) })),
      },
    ],
    // ids chosen so code-point order differs from a naive order: upper case, digits, punctuation
    cells: values.map((v, i) => ({
      cell_id: `${TABLE}:${['r10c0', 'r1c0', 'R1c0', 'r1-c0', 'r1c10', 'r1c2', 'r2', 'r_', 'r~'][i]}`,
      table_id: TABLE,
      document_id: DOC,
      row_index: i % AWKWARD.length,
      column_index: i,
      row_path: i % 2 ? [] : [AWKWARD[i]!],
      column_path: AWKWARD.slice(0, i),
      figure: { raw: AWKWARD[i]!, value: v, decimals: i, unit: 'number' as const },
      marker: i % 2 ? null : AWKWARD[i]!,
      locator: i % 3 === 0 ? line(i) : i % 3 === 1 ? { kind: 'page' as const, document: FILE, page: i, line: i } : { kind: 'cell' as const, document: FILE, sheet: AWKWARD[i]!, cell: `C${i}` },
    })),
    statuses: [{ table_id: TABLE, document_id: DOC, row_index: 0, column_index: 0, row_path: [], column_path: AWKWARD, raw: '[x]', meaning: AWKWARD[4]!, locator: line(3) }],
    statements: values.map((v, i) => ({
      statement_id: `${DOC}:L1:s0123456789ab:o${i * 7}`,
      document_id: DOC,
      sentence_id: `${DOC}:L1:s0123456789ab`,
      section: i % 2 ? null : AWKWARD[i]!,
      sentence: AWKWARD[i]!,
      figure: { raw: String(v), value: v, decimals: 0, unit: 'count' as const },
      offset: i * 7,
      period: i % 2 ? null : 'YE 2020-03',
      locator: line(50 + i),
    })),
    cell_geographies: [{ cell_id: `${TABLE}:r1c0`, geography_code: null }, { cell_id: `${TABLE}:r2`, geography_code: 'E92000001' }],
    measures: [{ measure_id: 'awkward', title: AWKWARD[2]!, unit: 'count', description: AWKWARD[4]! }],
    observations: values.map((v, i) => ({
      observation_id: `obs:${i.toString(16).padStart(12, '0')}`,
      measure_id: 'awkward',
      period: ['YE 2020-03', '2019', '2020-03', '2019-04/2019-09', 'not a period', '2020-Q1', 'YE 2021-12', '1999', '2020-02'][i]!,
      geography: AWKWARD[i]!,
      geography_code: i % 2 ? null : 'E92000001',
      breakdown: AWKWARD[(i + 1) % AWKWARD.length]!,
      figure: { raw: String(v), value: v, decimals: 0, unit: 'count' as const },
      document_id: DOC,
      release_date: i % 2 ? null : '2020-02-29',
      source_kind: 'cell' as const,
      source_id: `${TABLE}:r1c0`,
      excerpt: AWKWARD[i]!,
      locator: line(60 + i),
    })),
    findings: [],
    summaries: [],
    decisions: [],
  };
}

describe('row files, awkward values', () => {
  it('round-trip unicode, quotes, newlines, NUL, empty lists, NULLs, doubles, big integers, dates and timestamps', async () => {
    const input = awkwardInput();
    const memoryPath = join(dir, 'awkward-memory.duckdb');
    const memory = await writeWarehouse(memoryPath, input);

    const doc = documentRows(input, FILE);
    const docFiles = await writeRowFiles(join(dir, 'awkward-doc'), doc);
    const split = await writeWarehouse(join(dir, 'awkward-doc.duckdb'), withoutDocumentRecords(input), rowFilesByTable(docFiles, DOCUMENT_TABLES));
    expect(split.digests).toEqual(memory.digests);

    const allFiles = await writeRowFiles(join(dir, 'awkward-all'), { ...buildRows(input), runs: [] });
    const empty: WarehouseInput = { ...withoutDocumentRecords(input), documents: [], problems: [], measures: [] };
    const all = await writeWarehouse(join(dir, 'awkward-all.duckdb'), empty, rowFilesByTable(allFiles, BUT_RUNS));
    expect(all.digests).toEqual(memory.digests);
    const expected = await dump(memoryPath);
    expect(await dump(join(dir, 'awkward-all.duckdb'))).toEqual(expected);
    expect(await dump(join(dir, 'awkward-doc.duckdb'))).toEqual(expected);

    // and the values are the ones given, not merely equal on both sides
    const instance = await DuckDBInstance.create(join(dir, 'awkward-all.duckdb'), { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
      const cells = await read(`SELECT value, signbit(value) AS negative, row_path FROM cells ORDER BY column_index`);
      expect(cells.map((c) => c['value'])).toEqual([0.1, 1e-7, 2 ** 53 - 1, -0, 5e-324, 1.7976931348623157e308, 1 / 3, -123.456, 0.30000000000000004]);
      expect(cells[3]!['negative']).toBe(true);
      expect(cells[1]!['row_path']).toEqual([]);
      const [d] = await read(`SELECT bytes, title, release_date::VARCHAR AS r FROM documents`);
      expect(d).toEqual({ bytes: BigInt(2 ** 53 - 1), title: AWKWARD.join(' | ').replace('\ud800', '\ufffd'), r: '2020-02-29' });
      const ids = await read(`SELECT cell_id FROM cells ORDER BY rowid`);
      expect(ids.map((c) => String(c['cell_id']).slice(TABLE.length + 1))).toEqual(['R1c0', 'r1-c0', 'r10c0', 'r1c0', 'r1c10', 'r1c2', 'r2', 'r_', 'r~']);
      const obs = await read(`SELECT period_start::VARCHAR AS s, period_end::VARCHAR AS e FROM observations WHERE period = 'YE 2020-03'`);
      expect(obs).toEqual([{ s: '2019-04-01', e: '2020-03-31' }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 60_000);
});

describe('row files, timestamps', () => {
  it('reads a runs row from a file as the appender stores it', async () => {
    const input = awkwardInput();
    const row = buildRows(input).runs;
    const [file] = await writeRowFiles(join(dir, 'runs'), { runs: row });
    const spec = tableSpec('runs');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(createTableSql(spec));
      await appendRows(connection, spec, row);
      await connection.run(insertFromFilesSql(spec, [file!.path]));
      const both = (await connection.runAndReadAll(`SELECT CAST(to_json(t) AS VARCHAR) AS j, started_at::VARCHAR AS s FROM runs AS t ORDER BY rowid`)).getRowObjectsJS();
      expect(both).toHaveLength(2);
      expect(both[1]).toEqual(both[0]);
      expect(both[0]!['s']).toBe('2024-02-29 23:59:59.999');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('row files, bytes', () => {
  it('writes each row as its line, across buffer fills and a line longer than the buffer, and returns the hash of the bytes', async () => {
    const rows = buildRows(awkwardInput());
    const spec = tableSpec('cells');
    // many rows (several buffer fills), multi-byte text, and one row far longer than a buffer
    const many = Array.from({ length: 3000 }, (_, i) => rows.cells.map((r) => r.map((v, c) => (c === 0 ? `${String(v)}-${i}` : c === 8 && typeof v === 'string' ? `${v} £€𝄞`.repeat(1 + (i % 7)) : v)))).flat();
    many.splice(1234, 0, many[0]!.map((v, c) => (c === 0 ? 'huge' : c === 8 ? 'é'.repeat(600_000) : v)));
    const [file] = await writeRowFiles(join(dir, 'bytes'), { cells: many });
    const bytes = await readFile(file!.path);
    expect(bytes.toString('utf8')).toBe(many.map((r, i) => rowLine(spec, r, i)).join(''));
    expect(file!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(file!.rows).toBe(many.length);
  });
});

describe('row files, errors', () => {
  it('writeRowFiles refuses a value that does not fit, naming table, row and column, and leaves no file', async () => {
    const rows = buildRows(awkwardInput());
    const cells = rows.cells.map((r) => [...r]);
    cells[2]![9] = Number.NaN;
    const target = join(dir, 'bad');
    const error = await writeRowFiles(target, { cells }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain('cells row 3 (cell_id = ');
    expect((error as Error).message).toContain('column value (DOUBLE NOT NULL) cannot take NaN');
    const written = await writeRowFiles(target, { cells: [] });
    expect(written).toEqual([]);
  });

  it('loads zero files and empty files as an empty table', async () => {
    const input = withoutDocumentRecords(awkwardInput());
    const emptyFile = join(dir, 'empty-cells.jsonl');
    await writeFile(emptyFile, '');
    const result = await writeWarehouse(join(dir, 'empty.duckdb'), input, { cells: [emptyFile], observations: [] });
    expect(result.rows['cells']).toBe(0);
    expect(result.rows['observations']).toBe(0);
  });

  it('names a row file it cannot read, and leaves no warehouse', async () => {
    const input = withoutDocumentRecords(awkwardInput());
    const missing = join(dir, 'nowhere', 'cells.jsonl');
    const error = await writeWarehouse(join(dir, 'missing.duckdb'), input, { cells: [missing] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DavsError);
    expect((error as DavsError).code).toBe('input-unreadable');
    expect((error as DavsError).stage).toBe('load');
    expect((error as DavsError).document).toBe(missing);
    expect(existsSync(join(dir, 'missing.duckdb'))).toBe(false);

    const good = await writeRowFiles(join(dir, 'good'), documentRows(awkwardInput()));
    const broken = join(dir, 'broken-cells.jsonl');
    await writeFile(broken, '{"cell_id": "x", \n');
    const files = [...good.filter((f) => f.table === 'cells').map((f) => f.path), broken];
    const malformed = await writeWarehouse(join(dir, 'broken.duckdb'), input, { cells: files }).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(DavsError);
    expect((malformed as DavsError).code).toBe('input-unreadable');
    expect((malformed as DavsError).document).toBe(broken);
    expect((malformed as DavsError).message).toContain('table cells');
    expect(existsSync(join(dir, 'broken.duckdb'))).toBe(false);
  });

  it('refuses two rows with the same primary key, naming the table, the key and its value, and leaves no warehouse', async () => {
    const input = withoutDocumentRecords(awkwardInput());
    const one = await writeRowFiles(join(dir, 'dup-1'), documentRows(awkwardInput()));
    const two = await writeRowFiles(join(dir, 'dup-2'), documentRows(awkwardInput()));
    const target = join(dir, 'dup.duckdb');
    const error = await writeWarehouse(target, input, rowFilesByTable([...one, ...two], DOCUMENT_TABLES)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DavsError);
    expect((error as DavsError).code).toBe('warehouse-write-failed');
    expect((error as Error).message).toContain('table tables has 2 rows with the same primary key (table_id): table_id = "awkward-0123456789ab:t001"');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.tmp`)).toBe(false);
  });

  it('refuses two rows with the same key of several columns, in a table after others without duplicates, naming each column and value', async () => {
    const input = withoutDocumentRecords(awkwardInput());
    const one = await writeRowFiles(join(dir, 'dupc-1'), documentRows(awkwardInput()));
    const two = await writeRowFiles(join(dir, 'dupc-2'), documentRows(awkwardInput()));
    const target = join(dir, 'dupc.duckdb');
    const files = [...one, ...two.filter((f) => f.table === 'table_rows')];
    const error = await writeWarehouse(target, input, rowFilesByTable(files, DOCUMENT_TABLES)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DavsError);
    expect((error as DavsError).code).toBe('warehouse-write-failed');
    expect((error as Error).message).toContain('could not load table table_rows');
    expect((error as Error).message).toMatch(/table table_rows has 2 rows with the same primary key \(table_id, row_index\): table_id = "awkward-0123456789ab:t\d+", row_index = \d+/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses rows of a table given both in memory and as files', async () => {
    const error = await writeWarehouse(join(dir, 'both.duckdb'), awkwardInput(), { cells: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain('rows of cells are given both in the input and as row files');
  });
});
