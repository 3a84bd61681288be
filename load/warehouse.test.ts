import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError, DavsError } from '../core/errors.js';
import { describeWarehouse, openWarehouse, readFindingKeys, readWarehouseCounts, writeWarehouse, type WarehouseInput } from './index.js';
import { queryWarehouse } from '../test/helpers.js';
import { TABLES } from './schema.js';
import { usableTemplate, writeSchemaTemplate } from './template.js';
import { VIEWS } from './views.js';

const FILE = 'ons-dav-2020-11.txt';
const DOC = 'ons-dav-2020-11-0123456789ab';
const TABLE = `${DOC}:t001`;
const line = (n: number) => ({ kind: 'line' as const, document: FILE, line: n });

function sampleInput(): WarehouseInput {
  return {
    run: {
      run_id: 'run-1',
      started_at: '2024-05-01T02:00:00.000Z',
      finished_at: '2024-05-01T02:00:05.250Z',
      davs_version: '0.1.0',
      raw_dir: '/data/raw',
      corpus_sha256: 'a'.repeat(64),
      documents: 1,
      failed_documents: 1,
      findings: 1,
      errors: 1,
      warnings: 0,
      document_problems: 1,
      cells: 1,
      code_revision: null,
      lockfile_sha256: null,
      node_version: 'v20.0.0',
      duckdb_version: 'v1.5.6',
    },
    documents: [
      {
        document_id: DOC,
        file: FILE,
        format: 'text',
        publisher: 'Office for National Statistics',
        title: 'Domestic abuse victim services, England and Wales: November 2020',
        release_date: '2020-11-25',
        release_date_precision: 'day',
        period_covered: 'YE 2020-03',
        sha256: 'b'.repeat(64),
        bytes: 12345,
        metadata_source: 'manifest',
        edition_of: null,
        reference_period: null,
        period_labels: {},
        geography: null,
        release: 'ons-dav-2020-11',
      },
    ],
    problems: [{ file: 'broken.pdf', kind: 'failed', severity: 'error', stage: 'extract', code: 'input-unreadable', message: 'broken.pdf: not a PDF' }],
    tables: [
      {
        table_id: TABLE,
        document_id: DOC,
        ordinal: 1,
        title: 'Table 1: Cases discussed at MARACs',
        subtitle: 'England and Wales',
        section: 'MARACs',
        locator: line(120),
        columns: [
          { index: 0, header_path: ['Year ending March 2020', 'Cases'], unit: 'count', period: 'YE 2020-03', base: null, footnotes: [] },
          { index: 1, header_path: ['Year ending March 2020', '%'], unit: 'percent', period: 'YE 2020-03', base: { raw: '1,000', value: 1000, decimals: 0, unit: 'count' }, footnotes: [] },
        ],
        rows: [
          { index: 0, label: 'England', label_path: ['England'], depth: 0, parent_index: null, role: 'category', footnotes: [], locator: line(124) },
          { index: 1, label: 'Wales', label_path: ['Wales'], depth: 0, parent_index: null, role: 'category', footnotes: ['2'], locator: line(125) },
        ],
        notes: [
          { marker: null, text: 'Source: SafeLives', locator: line(127) },
          { marker: '2', text: 'Wales includes Powys.', locator: line(128) },
        ],
      },
    ],
    cells: [
      // Deliberately out of key order: the loader sorts.
      { cell_id: `${TABLE}:r1c0`, table_id: TABLE, document_id: DOC, row_index: 1, column_index: 0, row_path: ['Wales'], column_path: ['Year ending March 2020', 'Cases'], figure: { raw: '5,000*', value: 5000, decimals: 0, unit: 'count' }, marker: '*', locator: line(125) },
      { cell_id: `${TABLE}:r0c0`, table_id: TABLE, document_id: DOC, row_index: 0, column_index: 0, row_path: ['England'], column_path: ['Year ending March 2020', 'Cases'], figure: { raw: '95,000', value: 95000, decimals: 0, unit: 'count' }, marker: null, locator: line(124) },
      { cell_id: `${TABLE}:r0c1`, table_id: TABLE, document_id: DOC, row_index: 0, column_index: 1, row_path: ['England'], column_path: ['Year ending March 2020', '%'], figure: { raw: '95.0%', value: 95, decimals: 1, unit: 'percent' }, marker: null, locator: line(124) },
    ],
    statuses: [
      { table_id: TABLE, document_id: DOC, row_index: 1, column_index: 0, row_path: ['Wales'], column_path: ['2019'], raw: '[x]', meaning: 'not available', locator: line(12) },
    ],
    cell_geographies: [],
    statements: [
      { statement_id: `${DOC}:L129:s0123456789ab:o4`, document_id: DOC, sentence_id: `${DOC}:L129:s0123456789ab`, section: 'MARACs', sentence: 'The 100,000 cases rose by 5%.', figure: { raw: '100,000', value: 100000, decimals: 0, unit: 'count' }, offset: 4, period: null, locator: line(129) },
      { statement_id: `${DOC}:L129:s0123456789ab:o26`, document_id: DOC, sentence_id: `${DOC}:L129:s0123456789ab`, section: 'MARACs', sentence: 'The 100,000 cases rose by 5%.', figure: { raw: '5%', value: 5, decimals: 0, unit: 'percent' }, offset: 26, period: null, locator: { kind: 'page', document: FILE, page: 3, line: 7 } },
    ],
    measures: [{ measure_id: 'marac-cases', title: 'Cases discussed at MARACs', unit: 'count', description: 'Number of cases discussed at MARACs in the period.' }],
    observations: [
      {
        observation_id: 'obs:0123456789ab',
        measure_id: 'marac-cases',
        period: 'YE 2020-03',
        geography: 'England',
        geography_code: 'E92000001',
        breakdown: '',
        figure: { raw: '95,000', value: 95000, decimals: 0, unit: 'count' },
        document_id: DOC,
        release_date: '2020-11-25',
        source_kind: 'cell',
        source_id: `${TABLE}:r0c0`,
        excerpt: 'England / Year ending March 2020 > Cases',
        locator: line(124),
      },
    ],
    findings: [
      {
        id: 'total-equals-sum:0123456789ab',
        check: 'total-equals-sum',
        severity: 'error',
        message: 'England and Wales do not add up to the statement total.',
        expected: '100,000',
        actual: '99,999',
        tolerance: '±1',
        evidence: [
          { document: FILE, locator: line(124), where: `${FILE}:L124`, excerpt: 'England 95,000', value: '95,000', source_kind: 'cell', source_id: 'x:t1:r0c0', role: 'part' },
          { document: FILE, locator: line(129), where: `${FILE}:L129`, excerpt: 'The 100,000 cases rose by 5%.', value: null, source_kind: null, source_id: null, role: 'total' },
        ],
      },
    ],
    summaries: [
      { check: 'total-equals-sum', title: 'Totals equal the sum of their parts', severity: 'error', evaluated: 3, passed: 2, failed: 1, undecided: 0, crashed: 0, crashes: [] },
    ],
  };
}

const query = queryWarehouse;

/** Every table's rows in physical (insertion) order, as JSON. */
async function dump(path: string): Promise<string> {
  const out: Record<string, unknown> = {};
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    for (const t of TABLES) out[t.name] = (await connection.runAndReadAll(`SELECT * FROM "${t.name}" ORDER BY rowid`)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return JSON.stringify(out);
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-load-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeWarehouse', () => {
  it('loads every table and reports the counts', async () => {
    const path = join(dir, 'counts.duckdb');
    const result = await writeWarehouse(path, sampleInput());
    const expected = {
      runs: 1,
      documents: 1,
      document_problems: 1,
      tables: 1,
      table_columns: 2,
      table_rows: 2,
      cells: 3,
      cell_statuses: 1,
      statements: 2,
      measures: 1,
      observations: 1,
      findings: 1,
      finding_evidence: 2,
      check_summaries: 1,
      finding_decisions: 0,
    };
    expect(result.rows).toEqual(expected);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await readWarehouseCounts(path)).toEqual(expected);
    expect(existsSync(`${path}.wal`)).toBe(false);
  });

  it('joins cells to documents and carries the column base and period onto cells', async () => {
    const path = join(dir, 'join.duckdb');
    await writeWarehouse(path, sampleInput());
    const rows = await query(
      path,
      `SELECT d.file, d.release_date::VARCHAR AS release_date, c.value, c.raw, c.decimals, c.base_n, c.period, c.locator, c.line, c.row_path, c.column_path
       FROM cells c JOIN documents d USING (document_id)
       WHERE c.row_path[1] = 'England' AND c.unit = 'percent'`,
    );
    expect(rows).toEqual([
      {
        file: FILE,
        release_date: '2020-11-25',
        value: 95,
        raw: '95.0%',
        decimals: 1,
        base_n: 1000,
        period: 'YE 2020-03',
        locator: `${FILE}:L124`,
        line: 124,
        row_path: ['England'],
        column_path: ['Year ending March 2020', '%'],
      },
    ]);
    const markers = await query(path, `SELECT raw, value, marker FROM cells WHERE unit = 'count' ORDER BY cell_id`);
    expect(markers).toEqual([
      { raw: '95,000', value: 95000, marker: null },
      { raw: '5,000*', value: 5000, marker: '*' },
    ]);
    const [table] = await query(path, `SELECT notes, locator, n_rows, n_columns FROM tables`);
    expect(table).toEqual({ notes: 'Source: SafeLives\n2: Wales includes Powys.', locator: `${FILE}:L120`, n_rows: 2, n_columns: 2 });
    const statements = await query(path, `SELECT locator, line, page FROM statements ORDER BY statement_id`);
    expect(statements).toEqual([
      // Code-point order: ':o26' sorts before ':o4'.
      { locator: `${FILE}#p3:L7`, line: 7, page: 3 },
      { locator: `${FILE}:L129`, line: 129, page: null },
    ]);
    const [run] = await query(path, `SELECT started_at::VARCHAR AS s, finished_at::VARCHAR AS f FROM runs`);
    expect(run).toEqual({ s: '2024-05-01 02:00:00', f: '2024-05-01 02:00:05.25' });
  });

  it('comments every table and every column', async () => {
    const path = join(dir, 'comments.duckdb');
    await writeWarehouse(path, sampleInput());
    const tables = await query(path, `SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`);
    const columns = await query(path, `SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'`);
    const views = await query(path, `SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal`);
    expect(tables).toHaveLength(TABLES.length);
    expect(views.map((v) => v['view_name']).sort()).toEqual(VIEWS.map((v) => v.name).sort());
    // duckdb_columns() lists the columns of views too.
    expect(columns).toHaveLength([...TABLES, ...VIEWS].reduce((n, t) => n + t.columns.length, 0));
    for (const row of [...tables, ...views, ...columns]) {
      expect(typeof row['comment'] === 'string' && row['comment'].trim().length > 0, JSON.stringify(row)).toBe(true);
    }
    const described = await describeWarehouse(path);
    expect(described.map((t) => t.name)).toEqual(TABLES.map((t) => t.name));
    expect(described.find((t) => t.name === 'cells')?.columns.find((c) => c.name === 'row_path')?.type).toBe('VARCHAR[]');
    // The views work on the sample: its one observation is its own latest value and first vintage.
    const [latest] = await query(path, `SELECT raw, release, releases, revisions FROM latest_observations`);
    expect(latest).toEqual({ raw: '95,000', release: 'ons-dav-2020-11', releases: 1n, revisions: 0n });
    const [vintage] = await query(path, `SELECT vintage, previous_value, revision, revision_direction FROM observation_vintages`);
    expect(vintage).toEqual({ vintage: 1n, previous_value: null, revision: null, revision_direction: null });
    expect(await query(path, `SELECT count(*) AS n FROM primary_cells`)).toEqual([{ n: 3n }]);
  });

  it('writes the same rows in the same order twice, whatever the input order', async () => {
    const path = join(dir, 'twice.duckdb');
    await writeWarehouse(path, sampleInput());
    const first = await dump(path);
    const shuffled = sampleInput();
    shuffled.cells.reverse();
    shuffled.statements.reverse();
    shuffled.tables[0]!.columns.reverse();
    shuffled.tables[0]!.rows.reverse();
    await writeWarehouse(path, shuffled);
    expect(await dump(path)).toBe(first);
  });

  it('rejects input that breaks its contract with a ContractError, leaving no file', async () => {
    const path = join(dir, 'invalid.duckdb');
    const input = sampleInput();
    input.findings[0]!.id = 'Not A Finding Id';
    const error = await writeWarehouse(path, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe('contract-violation');
    expect(existsSync(path)).toBe(false);
  });

  it('commits many findings a batch at a time as it loads them all at once', async () => {
    // 600 findings (three batches), given in no order, each with its evidence
    const many = sampleInput();
    const [first] = many.findings;
    many.findings = Array.from({ length: 600 }, (_, i) => ({ ...first!, id: `total-equals-sum:${((i * 7919) % 600).toString(16).padStart(12, '0')}`, message: `finding ${i}` }));
    const whole = join(dir, 'findings-whole.duckdb');
    await writeWarehouse(whole, many);
    const batched = join(dir, 'findings-batched.duckdb');
    const writer = await openWarehouse(batched, {});
    await writer.commit(many);
    const written = await writer.finish();
    expect(written.rows['findings']).toBe(600);
    expect(written.rows['finding_evidence']).toBe(1200);
    expect(await dump(batched)).toBe(await dump(whole));
  });

  it('fails a commit whose findings break their contract, naming them, and leaves no file', async () => {
    const path = join(dir, 'invalid-batched.duckdb');
    const input = sampleInput();
    input.findings[0]!.evidence = [];
    const writer = await openWarehouse(path, {});
    const error = await writer.commit(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe('contract-violation');
    expect((error as ContractError).message).toMatch(/findings 1-1 by id[\s\S]*evidence/);
    expect(existsSync(path)).toBe(false);
  });

  it('makes the schema while its row files are to come, and loads them once they are given', async () => {
    const path = join(dir, 'files-to-come.duckdb');
    let give!: (files: Record<string, never>) => void;
    const writer = openWarehouse(path, new Promise((resolve) => (give = resolve)));
    // the file and its tables are made before the row files are known
    for (let i = 0; i < 100 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(path)).toBe(true);
    give({});
    const opened = await writer;
    await opened.commit(sampleInput());
    const written = await opened.finish();
    const whole = join(dir, 'files-given.duckdb');
    expect(written.digests).toEqual((await writeWarehouse(whole, sampleInput())).digests);
    expect(await dump(path)).toBe(await dump(whole));
  });

  it('copies the schema from a template made for it, or makes it when the template is not for this schema or cannot be opened: the same warehouse', async () => {
    const template = join(dir, 'template', 'schema.duckdb');
    await mkdir(join(dir, 'template'), { recursive: true });
    await writeSchemaTemplate(template);
    expect(await usableTemplate(template)).toBe(template);
    /** The catalog (tables, columns, views, comments) and every table's rows, of a warehouse loaded with sampleInput. */
    const loaded = async (name: string, options: { template?: string | null }) => {
      const path = join(dir, `${name}.duckdb`);
      const writer = await openWarehouse(path, {}, options);
      await writer.commit(sampleInput());
      const { digests } = await writer.finish();
      const catalog = await query(
        path,
        `SELECT 'column' AS kind, table_name AS name, column_name AS part, data_type AS what, comment FROM duckdb_columns() WHERE NOT internal
         UNION ALL SELECT 'table', table_name, '', '', comment FROM duckdb_tables() WHERE NOT internal
         UNION ALL SELECT 'view', view_name, '', sql, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL`,
      );
      return { digests, catalog, rows: await dump(path) };
    };
    const made = await loaded('schema-made', { template: null });
    expect(made.catalog.length).toBeGreaterThan(100);
    expect(await loaded('schema-copied', { template })).toEqual(made);
    // the copy is what a warehouse opened with a template starts from (a table added to this one is there)
    const marked = join(dir, 'template', 'marked.duckdb');
    await writeSchemaTemplate(marked);
    const instance = await DuckDBInstance.create(marked);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE copied_from_the_template (x INTEGER); CHECKPOINT');
    connection.closeSync();
    instance.closeSync();
    const writer = await openWarehouse(join(dir, 'schema-marked.duckdb'), {}, { template: marked });
    expect((await writer.connection.runAndReadAll("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'copied_from_the_template'")).getRows()[0]![0]).toBe(1n);
    await writer.abort();

    // a template for another schema or DuckDB, or with no key, is not used
    await writeFile(`${template}.json`, `${JSON.stringify({ key: 'another schema' })}\n`);
    expect(await usableTemplate(template)).toBeNull();
    await rm(`${template}.json`);
    expect(await usableTemplate(template)).toBeNull();
    // one that is not a DuckDB file: the schema is made instead
    const broken = join(dir, 'template', 'broken.duckdb');
    await writeFile(broken, 'not a database');
    expect(await loaded('schema-despite-template', { template: broken })).toEqual(made);
  });

  it('reads back the findings without their evidence, by id (what a later run compares with)', async () => {
    const path = join(dir, 'finding-keys.duckdb');
    const input = sampleInput();
    await writeWarehouse(path, input);
    const keys = await readFindingKeys(path);
    expect(keys).toEqual(input.findings.map((f) => ({ id: f.id, check: f.check, severity: f.severity, message: f.message, merged_ids: f.merged_ids ?? [f.id] })));
  });

  it('rejects with the reason the row files never came, and leaves no file', async () => {
    const path = join(dir, 'files-withdrawn.duckdb');
    const reason = new Error('the run failed while its documents were read');
    let withdraw!: (err: Error) => void;
    const writer = openWarehouse(path, new Promise((_, reject) => (withdraw = reject)));
    withdraw(reason);
    expect(await writer.catch((e: unknown) => e)).toBe(reason);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.wal`)).toBe(false);
  });

  it('turns a DuckDB refusal into warehouse-write-failed naming the table, and leaves no file', async () => {
    const path = join(dir, 'dup.duckdb');
    const input = sampleInput();
    input.measures.push({ ...input.measures[0]! });
    const error = await writeWarehouse(path, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DavsError);
    expect((error as DavsError).code).toBe('warehouse-write-failed');
    expect((error as DavsError).message).toContain('measures');
    expect(existsSync(path)).toBe(false);
  });

  // A second DuckDBInstance in the same process opens the same file without complaint (DuckDB's
  // file lock is per process), so the lock is tested from a child process.
  it('refuses to replace a file another process holds open for writing', async () => {
    const path = join(dir, 'locked.duckdb');
    await writeWarehouse(path, sampleInput());
    const script = [
      "import { DuckDBInstance } from '@duckdb/node-api';",
      `const instance = await DuckDBInstance.create(${JSON.stringify(path)});`,
      'const connection = await instance.connect();',
      "process.stdout.write('ready\\n');",
      "process.stdin.on('end', () => { connection.closeSync(); instance.closeSync(); process.exit(0); });",
      'process.stdin.resume();',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('child did not open the warehouse')), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error('child exited early')));
      });
      const error = await writeWarehouse(path, sampleInput()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DavsError);
      expect((error as DavsError).code).toBe('warehouse-locked');
      expect((error as DavsError).message).toContain('another process holds the warehouse open for writing');
      await expect(readWarehouseCounts(path)).rejects.toMatchObject({ code: 'warehouse-locked' });
    } finally {
      child.stdin.end();
      await exited;
    }
    // The held file was left alone.
    expect((await readWarehouseCounts(path))['cells']).toBe(3);
  }, 30_000);
});
