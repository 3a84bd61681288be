/**
 * The loaded `observations` table read back as Observation records, for the checks that compare
 * documents: they run over the warehouse, not over observations the run holds in memory. Rows come
 * back a chunk at a time; a partition (one geography, breakdown and family of measures, every
 * period: all a group's checks look up) is the most held at once. Only primary editions have observations (the
 * transform gives another edition none). `files` names each document's file (its locators are
 * printed with it): the documents table is loaded after the checks.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import { parseLocator } from '../core/locator.js';
import { compareCodePoints } from '../core/sort.js';
import { sharedTexts } from '../core/memory.js';
import { Unit } from '../core/figure.js';
import { quoteString } from './schema.js';
import { streamedChunks } from './streams.js';
import type { MeasureFamilies } from '../checks/across-documents.js';
import type { Observation } from '../transform/contracts.js';

/**
 * An Observation's fields (from its row: load/rows.ts observationRow) as one JSON array per row: one
 * string to take from DuckDB per observation instead of one per column (each value taken from a
 * result costs more than parsing it).
 */
const ROW_JSON = `CAST(json_array(o.observation_id, o.measure_id, o.period, o.geography, o.geography_code, o.breakdown, o.raw, o.value, o.decimals, o.unit,
  o.document_id, CAST(o.release_date AS VARCHAR), o.source_kind, o.source_id, o.excerpt, o.locator) AS VARCHAR)`;
const FROM = 'observations o';

/** Each document's file, by document id. */
export type DocumentFiles = ReadonlyMap<string, string>;

/**
 * An observation from its row as the observations queries give it (one JSON array), its locator read
 * back in its document's file. `shared` gives the one copy kept of a text many observations repeat
 * (see sharedTexts); by default each has its own.
 */
export function observationOfRow(json: DuckDBValue | undefined, files: DocumentFiles, shared: (value: string) => string = (value) => value): Observation {
  const row = JSON.parse(text(json)) as unknown[];
  const [observation_id, measure_id, period, geography, geography_code, breakdown, raw, value, decimals, unit, document_id, release_date, source_kind, source_id, excerpt, locator] = row;
  const file = files.get(text(document_id));
  if (file === undefined) throw new Error(`observation ${String(observation_id)} is of document ${String(document_id)}, which the run does not have`);
  if (source_kind !== 'cell' && source_kind !== 'statement') throw new Error(`observation ${String(observation_id)} has source_kind ${String(source_kind)}`);
  return {
    observation_id: text(observation_id),
    measure_id: shared(text(measure_id)),
    period: shared(text(period)),
    geography: shared(text(geography)),
    geography_code: geography_code === null ? null : shared(text(geography_code)),
    breakdown: shared(text(breakdown)),
    figure: { raw: text(raw), value: num(value), decimals: num(decimals), unit: unitOf(unit) },
    document_id: shared(text(document_id)),
    release_date: release_date === null ? null : shared(text(release_date)),
    source_kind,
    source_id: text(source_id),
    excerpt: shared(text(excerpt)),
    locator: parseLocator(text(locator), file),
  };
}

const UNITS: ReadonlySet<string> = new Set(Unit.options);

function unitOf(value: unknown): Unit {
  if (typeof value !== 'string' || !UNITS.has(value)) throw new Error(`an observation has unit ${String(value)}`);
  return value as Unit;
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected text from the observations table, got ${value === null ? 'NULL' : typeof value}`);
  return value;
}

function num(value: unknown): number {
  if (typeof value !== 'number') throw new Error(`expected a number from the observations table, got ${value === null ? 'NULL' : typeof value}`);
  return value;
}

/**
 * The chunks of `sql`'s result. A streamed result that fails part way (DuckDB out of memory in its
 * sort) ends as if it were complete, so the rows are counted first (or `expected` is known) and a
 * shorter stream is an error, not fewer observations judged.
 */
async function* countedChunks(connection: DuckDBConnection, sql: string, expected?: number): AsyncGenerator<DuckDBDataChunk> {
  const wanted = expected ?? (await countOf(connection, sql));
  let read = 0;
  // the consumer copies what it needs before it asks for the next chunk: each is freed then (load/streams.ts)
  for await (const chunk of streamedChunks(connection, sql)) {
    read += chunk.rowCount;
    yield chunk;
  }
  if (read !== wanted) throw new Error(`DuckDB returned ${read} of the ${wanted} observations asked for: the query failed part way (out of memory?)`);
}

/** The observations `sql` selects (ROW_JSON), a chunk at a time (see countedChunks). */
async function* rowsOf(connection: DuckDBConnection, sql: string, files: DocumentFiles): AsyncGenerator<Observation> {
  for await (const chunk of countedChunks(connection, sql)) {
    const rows = chunk.getColumnVector(0);
    for (let i = 0; i < chunk.rowCount; i++) yield observationOfRow(rows.getItem(i) as DuckDBValue, files);
  }
}

async function listOf(observations: AsyncIterable<Observation>): Promise<Observation[]> {
  const out: Observation[] = [];
  for await (const o of observations) out.push(o);
  return out;
}

async function countOf(connection: DuckDBConnection, sql: string): Promise<number> {
  const result = await connection.runAndReadAll(`SELECT count(*) FROM (${sql})`);
  return Number(result.getRows()[0]![0]);
}

/**
 * Every observation, one partition at a time: all of one geography, breakdown and family of measures
 * (`families`, the checks' measureFamilies; each partition's observations in no particular order:
 * the checks order them).
 */
export async function* observationPartitions(connection: DuckDBConnection, files: DocumentFiles, families: MeasureFamilies): AsyncGenerator<Observation[]> {
  for await (const rows of observationRowPartitions(connection, families)) {
    // the observations of a partition repeat their measure, period, geography, breakdown, document
    // and release, and the many documents that print the same table the same excerpt: at 1,000
    // documents the largest partition's 18,571 excerpts (one geography, before partitions were of a
    // family of measures too) were 5.8 MB as read, each its own copy
    const shared = sharedTexts();
    const partition = rows.map((row) => observationOfRow(row, files, shared));
    // the rows' JSON is garbage once read, but this frame and the rows' generator still held it
    // while the checks judged the partition: at 1,000 documents, 15 MB of the largest partition's
    // 18,571 rows (as above) beside their observations
    rows.length = 0;
    yield partition;
  }
}

/**
 * Rows of observations read back in one sorted query, about: the partitions are read in batches of
 * whole partitions up to this many rows (a larger partition is a batch of its own). One query sorting
 * every observation by partition held more than DuckDB's memory limit: at 1,000 documents (490,000
 * rows of JSON) DuckDB counted 244 MB under its 256MB limit and the process grew by 390 MB; in
 * batches DuckDB counts 89 MB, the process grows by 240 MB, and the reading takes no longer.
 */
export const PARTITION_BATCH_ROWS = 50_000;
/** Partitions in a batch, at most, where each is named in the batch's query. */
const PARTITION_BATCH_KEYS = 1_000;

/** A partition's key and its number of observations, in partition order. */
interface PartitionSize {
  geography: string;
  breakdown: string;
  family: string;
  rows: number;
}

/**
 * Pure: consecutive partitions grouped into batches of at most `limit` rows and `maxParts`
 * partitions (for a query that names each), each partition whole (one larger than `limit` is a
 * batch alone), in their order.
 */
export function partitionBatches<T extends { rows: number }>(partitions: readonly T[], limit: number, maxParts = PARTITION_BATCH_KEYS): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let rows = 0;
  for (const p of partitions) {
    if (batch.length > 0 && (rows + p.rows > limit || batch.length >= maxParts)) {
      batches.push(batch);
      batch = [];
      rows = 0;
    }
    batch.push(p);
    rows += p.rows;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Every observation's row in partition order (as observationOfRow reads it), a partition at a time:
 * what observationPartitions parses. A partition is read whole before it is given (at most one
 * partition's rows held here), and DuckDB sorts one batch of partitions at a time
 * (PARTITION_BATCH_ROWS). A batch of one partition (one larger than a batch, or the only one) is
 * not sorted: its rows are all it selects. Sorted, 150,000 observations did not fit under the
 * checks' 128MB limit (out of memory: the checks, and the night, failed; 100,000 did), so a corpus
 * with a large enough partition could not be checked at all; unsorted, the most held
 * is the partition's rows here, which the checks need whole anyway.
 */
export async function* observationRowPartitions(connection: DuckDBConnection, families: MeasureFamilies, batchRows = PARTITION_BATCH_ROWS): AsyncGenerator<string[]> {
  const family = familySql(families);
  const sizes: PartitionSize[] = (await connection.runAndReadAll(`SELECT o.geography, o.breakdown, ${family} AS family, count(*) AS n FROM ${FROM} GROUP BY ALL ORDER BY ALL`))
    .getRows()
    .map(([geography, breakdown, family, n]) => ({ geography: text(geography), breakdown: text(breakdown), family: text(family), rows: Number(n) }));
  const batches = partitionBatches(sizes, batchRows, Number.POSITIVE_INFINITY);
  for (const batch of batches) {
    // the batch's partitions are a range of keys in the sizes' order, which is DuckDB's, as that of
    // the comparisons and the sort below: the rows come in the batch's partitions' order, and each
    // partition is its count of rows. Before, the query named each partition of the batch in a
    // VALUES list to join (batches of at most 1,000), and read its number back with each row: the
    // bundled corpus's 1,726 partitions (of a geography and breakdown, then) took 203, 121 and 107 ms in three reads, against 133, 105
    // and 55 now; 1,000 documents' took as long either way (2.6-3.1 s). Numbering the partitions
    // with a window function instead held about 100 MB more at 1,000 documents.
    const sql = `SELECT ${ROW_JSON} FROM ${FROM}${batches.length === 1 ? '' : ` WHERE ${keyRange(family, batch[0]!, batch[batch.length - 1]!)}`}${batch.length === 1 ? '' : ` ORDER BY o.geography, o.breakdown, ${family}`}`;
    const expected = batch.reduce((n, p) => n + p.rows, 0);
    let at = 0;
    let partition: string[] = [];
    for await (const chunk of countedChunks(connection, sql, expected)) {
      const rows = chunk.getColumnVector(0);
      for (let i = 0; i < chunk.rowCount; i++) {
        partition.push(text(rows.getItem(i)));
        // (more rows than counted: countedChunks throws once they end)
        if (at < batch.length && partition.length === batch[at]!.rows) {
          yield partition;
          partition = [];
          at++;
        }
      }
    }
  }
}

/** The observations whose (geography, breakdown, family: `family`, its SQL) is from `first` to `last`, both included, in DuckDB's order of the three. */
function keyRange(family: string, first: PartitionSize, last: PartitionSize): string {
  const columns = ['o.geography', 'o.breakdown', family];
  const key = (p: PartitionSize) => [p.geography, p.breakdown, p.family].map(sqlText);
  // (a, b, c) >= (x, y, z), column by column: a > x OR (a = x AND (b > y OR (b = y AND c >= z)))
  const bound = (values: string[], strict: '>' | '<', inclusive: '>=' | '<='): string =>
    columns.reduceRight((inner, column, i) => (inner === '' ? `${column} ${inclusive} ${values[i]}` : `(${column} ${strict} ${values[i]} OR (${column} = ${values[i]} AND ${inner}))`), '');
  return `${bound(key(first), '>', '>=')} AND ${bound(key(last), '<', '<=')}`;
}

/** A partition's family of measures in SQL: the family's key for a measure of a family of more than one, else its own id. */
function familySql(families: MeasureFamilies): string {
  if (families.size === 0) return 'o.measure_id';
  const cases = [...families].sort(([a], [b]) => compareCodePoints(a, b)).map(([measure, key]) => `WHEN ${sqlText(measure)} THEN ${sqlText(key)}`);
  return `(CASE o.measure_id ${cases.join(' ')} ELSE o.measure_id END)`;
}

/** The observations of the given figures: measure, period, geography, breakdown; a null period is every period. */
export async function observationsOf(connection: DuckDBConnection, files: DocumentFiles, keys: ReadonlyArray<{ measure_id: string; period: string | null; geography: string; breakdown: string }>): Promise<Observation[]> {
  if (keys.length === 0) return [];
  const list = keys.map((k) => `(${[k.measure_id, k.period, k.geography, k.breakdown].map(sqlText).join(', ')})`).join(',\n');
  const sql = `WITH wanted(measure_id, period, geography, breakdown) AS (VALUES ${list})
    SELECT ${ROW_JSON} FROM ${FROM} JOIN wanted w ON w.measure_id = o.measure_id AND (w.period IS NULL OR w.period = o.period) AND w.geography = o.geography AND w.breakdown = o.breakdown`;
  return listOf(rowsOf(connection, sql, files));
}

/** A figure a revision chart is drawn for (measure, geography, breakdown: every period) and its number of observations. */
export interface FigureSize {
  measure_id: string;
  geography: string;
  breakdown: string;
  rows: number;
}

/**
 * How many observations each of the given figures has (measure, geography, breakdown: every period),
 * in the order given; a figure with none is 0. What reading them in batches is planned by.
 */
export async function figureSizes(connection: DuckDBConnection, keys: ReadonlyArray<{ measure_id: string; geography: string; breakdown: string }>): Promise<FigureSize[]> {
  if (keys.length === 0) return [];
  const list = keys.map((k) => `(${[k.measure_id, k.geography, k.breakdown].map(sqlText).join(', ')})`).join(',\n');
  const result = await connection.runAndReadAll(`WITH wanted(measure_id, geography, breakdown) AS (VALUES ${list})
    SELECT o.measure_id, o.geography, o.breakdown, count(*) FROM ${FROM} SEMI JOIN wanted w ON w.measure_id = o.measure_id AND w.geography = o.geography AND w.breakdown = o.breakdown GROUP BY ALL`);
  const rows = new Map(result.getRows().map(([m, g, b, n]) => [JSON.stringify([text(m), text(g), text(b)]), Number(n)]));
  return keys.map((k) => ({ measure_id: k.measure_id, geography: k.geography, breakdown: k.breakdown, rows: rows.get(JSON.stringify([k.measure_id, k.geography, k.breakdown])) ?? 0 }));
}

/** The observations read from the given cells or statements. */
export async function observationsFrom(connection: DuckDBConnection, files: DocumentFiles, sourceIds: readonly string[]): Promise<Observation[]> {
  if (sourceIds.length === 0) return [];
  const sql = `WITH wanted(source_id) AS (VALUES ${sourceIds.map((id) => `(${sqlText(id)})`).join(', ')})
    SELECT ${ROW_JSON} FROM ${FROM} JOIN wanted w ON w.source_id = o.source_id`;
  return listOf(rowsOf(connection, sql, files));
}

/** Each category (breakdown ≠ '') figure: measure, period, geography, breakdown, once. */
export async function categoryFigures(connection: DuckDBConnection): Promise<Array<{ measure_id: string; period: string; geography: string; breakdown: string }>> {
  const result = await connection.runAndReadAll(
    `SELECT DISTINCT o.measure_id, o.period, o.geography, o.breakdown FROM ${FROM} WHERE o.breakdown <> '' ORDER BY ALL`,
  );
  return result.getRows().map(([measure_id, period, geography, breakdown]) => ({ measure_id: text(measure_id), period: text(period), geography: text(geography), breakdown: text(breakdown) }));
}

/** What the transform's log line says of the loaded observations. */
export async function observationCounts(connection: DuckDBConnection): Promise<{ observations: number; measures: number; from_cells: number }> {
  const result = await connection.runAndReadAll(
    `SELECT count(*), count(DISTINCT o.measure_id), count(*) FILTER (WHERE o.source_kind = 'cell') FROM ${FROM}`,
  );
  const [observations, measures, from_cells] = result.getRows()[0]!;
  return { observations: Number(observations), measures: Number(measures), from_cells: Number(from_cells) };
}

/** A string, or NULL, as an SQL literal. */
function sqlText(value: string | null): string {
  return value === null ? 'NULL' : quoteString(value);
}
