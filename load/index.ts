/**
 * Load: write one run's outputs into a fresh DuckDB file: first the tables written as row files by
 * workers, read by DuckDB in bulk (row-files.ts) and committed, which the checks across documents
 * then query (openWarehouse); then the tables held in memory, through the Appender a data chunk at a
 * time (append.ts), and the digests (finish). The caller passes a staging path and publishes it by
 * rename once this resolves; a failure removes the file.
 */
import { existsSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, version as duckdbLibraryVersion, type DuckDBConnection, type JS } from '@duckdb/node-api';
import { ContractError, DavsError, parseContract } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { compareKeys, sortBy } from '../core/sort.js';
import { collectingEvery } from '../core/memory.js';
import { z } from 'zod';
import { Finding } from '../checks/contracts.js';
import { appendRowBatches, appendRows } from './append.js';
import { WarehouseInput } from './contracts.js';
import { insertFromFiles, type RowFiles } from './row-files.js';
import { connectForStreaming, limitRunAhead } from './streams.js';
import { buildRows, findingEvidenceRows, findingRow, type Row, type TableRows } from './rows.js';
import { TABLES, TABLE_NAMES, quoteIdent, quoteString, type TableName, type TableSpec } from './schema.js';
import { makeSchema, usableTemplate } from './template.js';

export { WarehouseInput, RunRecord, RunManifest, DocumentProblem, PROBLEM_KINDS } from './contracts.js';
export { admitDocuments, type Admission } from './admit.js';
export { TABLES, TABLE_NAMES, type TableName } from './schema.js';
export { epochDays, epochMicros, valueProblem } from './values.js';
export { VIEWS, VIEW_NAMES, type ViewName } from './views.js';
export { DOCUMENT_TABLES, documentRows, observationRow, type DocumentInput, type DocumentRows, type DocumentTable, type Row, type SqlValue } from './rows.js';
export { insertFromFilesSql, rowFilesByTable, writeRowFiles, type RowFile, type RowFiles, type SomeTableRows } from './row-files.js';
export { PARTITION_BATCH_ROWS, categoryFigures, figureSizes, observationCounts, observationOfRow, observationPartitions, observationRowPartitions, observationsFrom, observationsOf, partitionBatches, type DocumentFiles, type FigureSize } from './observations.js';
export { EXPORT_FORMATS, checkExportArguments, exportWarehouse, type ExportFormat, type ExportOptions, type ExportResult, type ExportedTable } from './export.js';

export interface WriteResult {
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Content hash of each table but `runs` (see tableDigests). */
  digests: Record<string, string>;
  /** From openWarehouse to the end of finish, the caller's work between them included. */
  duration_ms: number;
  /** Milliseconds spent per step: 'schema', each table by name, 'commit', 'checkpoint', 'digests'. */
  timings_ms: Record<string, number>;
}

export interface ColumnDescription {
  name: string;
  type: string;
  nullable: boolean;
  comment: string | null;
}

export interface TableDescription {
  name: string;
  comment: string | null;
  columns: ColumnDescription[];
}

// ---------------------------------------------------------------- errors

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function isLockError(err: unknown): boolean {
  return messageOf(err).includes('Could not set lock');
}

function lockedError(path: string, cause: unknown): DavsError {
  return new DavsError('another process holds the warehouse open for writing', {
    code: 'warehouse-locked',
    stage: 'load',
    document: path,
    hint: 'wait for it to finish or close it',
    cause,
  });
}

function writeFailed(path: string, what: string, cause: unknown): DavsError {
  if (cause instanceof DavsError) return cause;
  if (isLockError(cause)) return lockedError(path, cause);
  return new DavsError(`${what}: ${messageOf(cause)}`, { code: 'warehouse-write-failed', stage: 'load', document: path, cause });
}

// ---------------------------------------------------------------- DuckDB plumbing

function closeQuietly(close: () => void): void {
  try {
    close();
  } catch {
    // Closing after a failed append throws "transaction is aborted"; the original error is what matters.
  }
}

async function removeDatabaseFiles(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  await rm(spillDirectory(path), { recursive: true, force: true });
}

/** Where DuckDB spills what does not fit under LOAD_MEMORY_LIMIT while it writes `path`: beside it, removed after the load. */
function spillDirectory(path: string): string {
  return `${path}.tmp`;
}

/**
 * DuckDB's memory limit while writing the warehouse: what does not fit spills to disk beyond it, so
 * the load stays within bounded memory whatever the corpus size (about 1 GB of row files at 1,000
 * documents). Loading the 1,000-document row files alone (one thread, no sort; the warehouse file
 * they make is 121 MB) peaked at 440 MiB under 384MB, 345 under 128MB and 285 under 64MB, in 7.7,
 * 7.5 and 8.2 s; the 100-document ones at about 245 under 384MB or 128MB alike. The limit was 384MB
 * while the load still sorted each table.
 *
 * The process holds more than DuckDB counts because DuckDB allocates through its own jemalloc,
 * which keeps the pages its statements freed for reuse: after that load the process held 310-320
 * MiB, DuckDB counted 24 MB in use, and glibc's malloc_trim gave back only 11 MB. Setting the
 * memory limit anew purges them (BufferPool::SetLimit ends in the allocator's FlushAll: every SET
 * memory_limit here does it): set after each table, the same load ended at 160 MiB in the same
 * time. It does not lower a night's peak, which comes later, while the checks and the digests
 * query: set after each table loaded and each table digested, a cached night of 1,000 documents
 * peaked at 552 and 578 MiB against 579 and 569 (two paired calls, n=3 and 4, the second not
 * purging while the process was under 256 MiB: within the noise); after each batch of the checks'
 * partitions too, 544 against 593 MiB in 1.07 of the time (each batch's sort allocates again what
 * the last one freed, and its pages are faulted in anew); with jemalloc's background threads
 * purging as statements run (allocator_background_threads) as well, 543 against 584 MiB in 1.13 of
 * the time; and with no pages kept at all (DuckDB's jemalloc reads DUCKDB_JE_MALLOC_CONF:
 * dirty_decay_ms:0,muzzy_decay_ms:0), 535 against 586 MiB in 1.32 of the time, its system time
 * doubled (2026-12-04). What DuckDB keeps is what makes it fast.
 *
 * 64MB since 2026-12-05 (it was 128MB), for the digests and the checkpoint after the commit too
 * (streaming aggregates, no sort): once the checks and the series had been made to collect their
 * garbage more often (pipelines/run.ts), the load and the digests were where a night of 1,000
 * documents peaked. A cached night of 1,000 documents: load stage 280-320 MiB against 341-393, the
 * night's peak 363-384 against 433-445, in about 1.02 of the time (alternated, n=3 each). A limit
 * this low is no use to a sort: the checks' partition batches need QUERY_MEMORY_LIMIT (below).
 */
const LOAD_MEMORY_LIMIT = '64MB';

/**
 * DuckDB's memory limit between loading the document tables and committing the rest, while the
 * checks read the observations in sorted batches of partitions (load/observations.ts; see
 * openWarehouse). At 1,000 documents 128MB took the checks and the digests (which then sorted each
 * table) no longer than 256MB did (6.7 and 10.7-11.4 s). Under 64MB a batch of 50,000 observations
 * still sorts, one of 100,000 does not (out of memory, 2026-12-05).
 */
const QUERY_MEMORY_LIMIT = '128MB';

/**
 * The compression DuckDB does not try when it writes the warehouse: FSST, which it otherwise tries
 * on every text column at each checkpoint. Without it the bundled corpus's CHECKPOINT took 70-87 ms
 * instead of 122-131 (its file 6.0 MB instead of 5.3) and the night 0.977 of the time (paired, n=20);
 * at 1,000 documents 221 ms instead of 313 (130 MB instead of 118). Text columns are then
 * dictionary-compressed or stored as they are: a larger file for a shorter night.
 */
const DISABLED_COMPRESSION = 'fsst';

/**
 * Refuse to delete a file another process is writing: try to take DuckDB's lock on it first.
 * Any other failure to open (not a DuckDB file, another version) is ignored: the file is replaced.
 */
async function assertNotLocked(path: string): Promise<void> {
  if (!existsSync(path)) return;
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  } catch (err) {
    if (isLockError(err)) throw lockedError(path, err);
    return;
  }
  closeQuietly(() => instance.closeSync());
}

// ---------------------------------------------------------------- public API

/** The fields of WarehouseInput that hold one record per table, cell, sentence or observation: checked value by value, not by zod. */
const BULK_FIELDS = ['tables', 'cells', 'statuses', 'statements', 'cell_geographies', 'observations'] as const;

/** The rest of the input (run, documents, problems, measures, findings, summaries, decisions): small, parsed with its contract. */
const WarehouseHead = WarehouseInput.omit({ tables: true, cells: true, statuses: true, statements: true, cell_geographies: true, observations: true });

function contractError(path: string, what: string, cause?: unknown): ContractError {
  return new ContractError(`warehouse input breaks its contract: ${what}`, { code: 'contract-violation', stage: 'load', document: path, cause });
}

/**
 * `input` with its small parts parsed by the contract. The bulk arrays are taken as they are (no
 * second copy of every record): their rows are checked value by value against the columns as they
 * load, or were checked by writeRowFiles when they come from files.
 */
function validInput(path: string, input: WarehouseInput): WarehouseInput {
  const { tables, cells, statuses, statements, cell_geographies, observations, ...head } = input;
  const valid = parseContract(WarehouseHead, head, { stage: 'load', document: path, what: 'warehouse input' });
  const bulk = { tables, cells, statuses, statements, cell_geographies: cell_geographies ?? [], observations };
  for (const field of BULK_FIELDS) if (!Array.isArray(bulk[field])) throw contractError(path, `${field} is not a list`);
  return { ...valid, ...bulk };
}

/** How many findings are checked against their contract and made rows at once. */
const FINDINGS_PER_BATCH = 256;

/**
 * The findings in key order (by id), their rows made a batch at a time: each batch is checked
 * against the contract the first time it is made rows (the findings table, loaded first), and its
 * copy let go with its rows. At 1,000 documents making every finding's rows at once took 50 MB.
 */
function findingBatches(path: string, findings: readonly Finding[]): { rows(of: (f: Finding) => Row[]): Iterable<Row[]> } {
  const ordered = sortBy(findings, (f) => [f.id]);
  let checked = false;
  return {
    *rows(of) {
      // each batch's validated copy and rows are garbage once appended: collected every few batches,
      // as the revision series are read beside the commit (pipelines/run.ts)
      const made = collectingEvery(4 * FINDINGS_PER_BATCH);
      for (let from = 0; from < ordered.length; from += FINDINGS_PER_BATCH) {
        let batch = ordered.slice(from, from + FINDINGS_PER_BATCH);
        if (!checked) batch = parseContract(FINDING_LIST, batch, { stage: 'load', document: path, what: `warehouse input (findings ${from + 1}-${from + batch.length} by id)` });
        yield batch.flatMap(of);
        made(batch.length);
      }
      checked = true;
    },
  };
}

const FINDING_LIST = z.array(Finding);

/** Rows of the tables loaded from memory; a table loaded from files must have none here. */
function memoryRows(path: string, input: WarehouseInput, rowFiles: RowFiles, options: { findingsApart?: boolean } = {}): TableRows {
  for (const table of Object.keys(rowFiles)) {
    if (!(TABLE_NAMES as readonly string[]).includes(table)) throw contractError(path, `row files are given for ${table}, which is not a warehouse table`);
  }
  let rows: TableRows;
  try {
    rows = buildRows(input, path, options);
  } catch (err) {
    if (err instanceof DavsError) throw err;
    throw contractError(path, messageOf(err), err);
  }
  for (const table of Object.keys(rowFiles) as TableName[]) {
    if (rows[table].length > 0) throw contractError(path, `rows of ${table} are given both in the input and as row files`);
  }
  return rows;
}

/**
 * Validate `input`, replace whatever is at `path` with a new warehouse, and load every table in
 * one transaction. Rows go in sorted by primary key, so the same input gives the same tables.
 *
 * `rowFiles` names, for some tables, the files (written by writeRowFiles) holding all of their rows;
 * DuckDB reads those in bulk and sorts them by key, and the input must give none of their rows
 * (leave its arrays for them empty). Every other table comes from `input`, a data chunk at a time.
 * Either way the tables, and so their digests, are the same.
 */
export async function writeWarehouse(path: string, input: WarehouseInput, rowFiles: RowFiles = {}): Promise<WriteResult> {
  // the input is held to its contract before anything at `path` is touched
  const rows = memoryRows(path, validInput(path, input), rowFiles);
  const writer = await openWarehouse(path, rowFiles);
  await writer.commit(input, rows);
  return writer.finish();
}

/**
 * A warehouse being written: its schema made and the tables given as row files loaded and
 * committed. The checks across documents query those tables on `connection` (observations:
 * load/observations.ts) before the rest is known; `commit` then loads the other tables from the
 * input and commits, `finish` digests and closes, and `abort` leaves nothing at the path. The file
 * is a staging one: nobody reads it before the run publishes it whole.
 */
export interface WarehouseWriter {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Rows loaded so far, per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Milliseconds spent so far per step ('schema', each table loaded from files, 'commit files'). */
  readonly timings_ms: Readonly<Record<string, number>>;
  /**
   * Load every table not given as row files from `input` (its row-file tables empty) and commit:
   * the warehouse then holds every row (finish checkpoints it into the one file at `path`).
   * `connection` may still be read.
   * Without `validRows` the findings are checked against their contract and loaded a batch at a
   * time (a finding that breaks it fails the commit, naming the batch).
   */
  commit(input: WarehouseInput, validRows?: TableRows): Promise<void>;
  /**
   * Load more row files after those the writer was opened with, each table in a transaction of its
   * own as they were, before commit: tables the caller did not read from the warehouse before (the
   * pipeline loads the observations, judges them, then loads the other document tables:
   * pipelines/run.ts). A table's rows go in after those it has. Nothing may be reading on
   * `connection` meanwhile.
   */
  loadMore(rowFiles: RowFiles): Promise<void>;
  /**
   * A connection of the caller's own, for reading beside the writer's (the report's revision series
   * are read while commit loads the findings), its streamed results run-ahead limited
   * (limitRunAhead). The caller closes it once its reads are done; a reader left open when the
   * writer closes keeps DuckDB's database open until it is closed.
   */
  connect(): Promise<DuckDBConnection>;
  /**
   * Once `reading` (the caller's own reads, on `connection` or its own) has settled, digest every
   * table (after commit) on a connection of its own, then checkpoint and close: the file at `path`
   * is then the whole warehouse.
   */
  finish(reading?: Promise<unknown>): Promise<WriteResult>;
  /** Roll back, close and remove the file (after a failure elsewhere in the run). */
  abort(): Promise<void>;
}

/**
 * Load each table `rowFiles` names from its files into the warehouse at `path`, one table a
 * transaction, committed as soon as it is loaded; `loaded` is told each table's rows. On one DuckDB
 * thread, in the files' order (the load does not sort). What was measured instead, on the
 * 1,000-document row files:
 * - Two threads: DuckDB's insert that keeps the files' order held what it read for later batches
 *   and ran out of memory on the statements' 46 MB. One thread loads them in 7.0 s against 5.8 s
 *   for a sort of every table by two, and peaks at 451 MiB against 684 (the sort's memory grew with
 *   the corpus, and DuckDB did not count most of it).
 * - Two tables at once, each on a connection of its own: 4.6 s against 8.0, but out of memory at
 *   2,000 documents under 128MB (DuckDB checkpoints after a commit only when no other transaction is
 *   open, so neither lane's committed rows left memory) where one table at a time peaks at 366 MiB.
 * - Two threads with preserve_insertion_order off (the digest does not need the files' order):
 *   5.3-6.0 s against 7.7-8.7 alone, in less memory, but the CHECKPOINT of what they wrote took
 *   1.0-1.8 s more (the observations' alone 1.3 s), so a night's load and commit took as long.
 * - Loading while the documents are read, a batch of finished documents at a time, so that the load
 *   runs beside the workers instead of alone after them (tried in 8819ec0): DuckDB's cost grows with
 *   the number of INSERTs, not only with the rows. One thread: 9.9 s of CPU in one INSERT a table,
 *   25.6 s in 20 batches of 50 documents (18.9 s with automatic checkpoints off, 5.4 s of it the
 *   final CHECKPOINT), 43.7 s in batches of 6. A cold night took 1.24 times as long (paired, n=3)
 *   and 1.26 times the CPU; the bundled corpus 0.99.
 * - Observations first, and the other tables (which the checks and the revision series do not read)
 *   while the checks stream the observations on a second connection: with that connection's
 *   transaction open DuckDB does not checkpoint, and the other tables ran out of memory under 128MB
 *   (2026-12-04). The pipeline does load the observations first, but the other tables after the
 *   checks, with nothing else reading (WarehouseWriter.loadMore).
 */
async function loadRowFiles(connection: DuckDBConnection, path: string, rowFiles: RowFiles, loaded: (table: string, rows: number) => void): Promise<void> {
  await connection.run('SET threads = 1');
  for (const spec of TABLES) {
    const files = rowFiles[spec.name];
    if (files === undefined) continue;
    let rows: number;
    try {
      await connection.run('BEGIN TRANSACTION');
      rows = await insertFromFiles(connection, spec, files);
      await assertUniqueKey(connection, spec);
      await connection.run('COMMIT');
    } catch (err) {
      throw writeFailed(path, `could not load table ${spec.name}`, err);
    }
    loaded(spec.name, rows);
  }
  await connection.run('RESET threads');
}

/**
 * Load `rowFiles` (loadRowFiles; the connection under LOAD_MEMORY_LIMIT), then begin the
 * transaction the warehouse is read in until commit(), under QUERY_MEMORY_LIMIT: until then it is
 * only read (streamed, in partitions), and DuckDB lets go of the pages the load kept, which are in
 * the file now, and works in less. No CHECKPOINT: DuckDB checkpoints by itself once the log of
 * committed changes passes its threshold (16 MB), which a large table's commit does; a small load
 * stays in the log until finish() checkpoints (150 ms saved on the bundled corpus).
 */
async function loadThenRead(connection: DuckDBConnection, path: string, rowFiles: RowFiles, loaded: (table: string, rows: number) => void): Promise<void> {
  await loadRowFiles(connection, path, rowFiles, loaded);
  await connection.run(`SET memory_limit = '${QUERY_MEMORY_LIMIT}'`);
  await connection.run('BEGIN TRANSACTION');
}

/**
 * A new DuckDB file at `path` (nothing there), opened for the load: a copy of `template` when one is
 * given and opens (`copied`: its schema is there), else an empty one.
 */
async function createWarehouseFile(path: string, template: string | null): Promise<{ instance: DuckDBInstance; copied: boolean }> {
  const create = () => DuckDBInstance.create(path, { memory_limit: LOAD_MEMORY_LIMIT, temp_directory: spillDirectory(path) });
  if (template !== null) {
    try {
      await copyFile(template, path);
      return { instance: await create(), copied: true };
    } catch {
      // a template that cannot be copied or opened: the schema is made instead
      await removeDatabaseFiles(path).catch(() => undefined);
    }
  }
  try {
    return { instance: await create(), copied: false };
  } catch (err) {
    throw writeFailed(path, 'could not create the warehouse file', err);
  }
}

/**
 * Replace whatever is at `path` with a new warehouse and load the tables `rowFiles` names, in bulk
 * (see writeWarehouse). Given a promise of the row files, the file and its schema are made while it
 * is pending (the pipeline begins the warehouse while its last documents are read); a promise that
 * rejects leaves nothing at `path` and rejects this with its reason. The schema is a copy of the
 * build's template when that was made for it (load/template.ts; `template: null` makes it here).
 */
export async function openWarehouse(path: string, rowFilesToCome: RowFiles | PromiseLike<RowFiles>, options: { template?: string | null } = {}): Promise<WarehouseWriter> {
  const started = performance.now();
  const rowsComing = Promise.resolve(rowFilesToCome);
  rowsComing.catch(() => undefined); // awaited below, once the schema is made
  await assertNotLocked(path);
  await removeDatabaseFiles(path);

  const { instance, copied } = await createWarehouseFile(path, options.template === undefined ? await usableTemplate() : options.template);
  let connection: DuckDBConnection | undefined;
  let rowFiles: RowFiles = {};
  /** Why the row files never came, when their promise rejected. */
  let withdrawn = null as { reason: unknown } | null;
  const counts: Record<string, number> = {};
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (step: string): void => {
    const now = performance.now();
    timings[step] = Math.round(now - mark);
    mark = now;
  };
  /** A table's rows loaded from files (the first or later: loadMore). */
  const loadedRows = (table: string, rows: number): void => {
    counts[table] = (counts[table] ?? 0) + rows;
    lap(table);
  };
  let closed = false;
  let committed = false;
  let digesting: DuckDBConnection | undefined;
  const close = async (ok: boolean): Promise<void> => {
    if (closed) return;
    closed = true;
    if (digesting) {
      const d = digesting;
      closeQuietly(() => d.closeSync());
    }
    if (connection) {
      const c = connection;
      closeQuietly(() => c.closeSync());
    }
    closeQuietly(() => instance.closeSync());
    await rm(spillDirectory(path), { recursive: true, force: true }).catch(() => undefined);
    if (!ok) await removeDatabaseFiles(path).catch(() => undefined);
  };
  // After a failed append DuckDB marks the transaction aborted; COMMIT would silently roll back,
  // so roll back explicitly and never commit.
  const abort = async (): Promise<void> => {
    if (closed) return;
    if (connection) await connection.run('ROLLBACK').catch(() => undefined);
    await close(false);
  };
  try {
    connection = await instance.connect();
    await connection.run(`SET disabled_compression_methods = '${DISABLED_COMPRESSION}'`);
    // (no PRIMARY KEY constraints: DuckDB would build an ART index row by row as the rows go in, most
    // of the load's time and gigabytes at 1,000 documents; each key is checked once its table is
    // loaded, assertUniqueKey)
    if (!copied) await makeSchema(connection, (part, err) => writeFailed(path, part === 'schema' ? 'could not create the schema' : 'could not create the views', err));
    lap('schema');
    // Each table is committed as soon as it is loaded: rows a transaction has not committed stay in
    // DuckDB's memory, committed ones can be evicted to the file, so the load holds one table's rows at
    // a time, not all of them (loading the 1,000-document row files peaked at 950 MiB in one
    // transaction, 747 MiB committing per table, both under 512MB). The file is in a staging folder:
    // a load that fails is removed whole, so one transaction is not needed for that.
    try {
      rowFiles = await rowsComing;
    } catch (err) {
      withdrawn = { reason: err };
      throw err;
    }
    mark = performance.now(); // the load's steps, not the wait for its files
    // (the instance was created under LOAD_MEMORY_LIMIT)
    await loadThenRead(connection, path, rowFiles, loadedRows);
    lap('commit files');
  } catch (err) {
    await abort();
    // the row files never came (the run failed before its documents were all read): its own error
    if (withdrawn !== null) throw withdrawn.reason;
    throw writeFailed(path, 'could not write the warehouse', err);
  }
  const open = connection;
  return {
    path,
    connection: open,
    rows: counts,
    get timings_ms() {
      return { ...timings };
    },
    abort,
    connect: () => connectForStreaming(instance),
    async loadMore(more: RowFiles): Promise<void> {
      if (committed) throw new Error(`the warehouse ${path} is already committed`);
      const merged: Record<string, readonly string[]> = { ...rowFiles };
      for (const [table, files] of Object.entries(more)) merged[table] = [...(merged[table] ?? []), ...files];
      rowFiles = merged;
      mark = performance.now();
      try {
        // the reading transaction ends (it only read); each table then commits its own rows, as at the start
        await open.run('COMMIT');
        await open.run(`SET memory_limit = '${LOAD_MEMORY_LIMIT}'`);
        await loadThenRead(open, path, more, loadedRows);
      } catch (err) {
        await abort();
        throw writeFailed(path, 'could not write the warehouse', err);
      }
    },
    async commit(input: WarehouseInput, validRows?: TableRows): Promise<void> {
      if (committed) throw new Error(`the warehouse ${path} is already committed`);
      mark = performance.now(); // the steps of commit, not the run's work between open and commit
      try {
        // the findings (tens of MB at 1,000 documents) are checked and made rows a batch at a time, in key order
        const findingsApart = validRows === undefined;
        const rows = validRows ?? memoryRows(path, { ...validInput(path, { ...input, findings: [] }), findings: input.findings }, rowFiles, { findingsApart });
        const findings = findingsApart ? findingBatches(path, input.findings) : null;
        await open.run(`SET memory_limit = '${LOAD_MEMORY_LIMIT}'`);
        for (const spec of TABLES) {
          if (rowFiles[spec.name] !== undefined) continue;
          try {
            if (findings !== null && spec.name === 'findings') counts[spec.name] = await appendRowBatches(open, spec, findings.rows((f) => [findingRow(f)]));
            else if (findings !== null && spec.name === 'finding_evidence') counts[spec.name] = await appendRowBatches(open, spec, findings.rows(findingEvidenceRows));
            else {
              await appendRows(open, spec, rows[spec.name]);
              counts[spec.name] = rows[spec.name].length;
            }
            await assertUniqueKey(open, spec);
          } catch (err) {
            throw writeFailed(path, `could not load table ${spec.name}`, err);
          }
          lap(spec.name);
        }
        try {
          await open.run('COMMIT');
          lap('commit');
          // the digests only read, an aggregate a table with no sort, while the report is written
          // beside them: under the load's limit, which is already set (above). Set again for what
          // setting it does besides: DuckDB's allocator lets go of the pages the commit's appends
          // freed (see LOAD_MEMORY_LIMIT), before the digests and the report run beside each other
          await open.run(`SET memory_limit = '${LOAD_MEMORY_LIMIT}'`);
          // and what the report reads beside them is streamed with little run-ahead
          // (load/streams.ts). Not before: with it from the start the checks' sorted partition batches
          // waited on their reader, and a cached night of 1,000 documents took 14% longer (34.1
          // against 30.0 s, paired), though it peaked at 587 MiB against 734. From here, 676 against
          // 723 in the same time.
          await limitRunAhead(open);
        } catch (err) {
          throw writeFailed(path, 'could not commit the load', err);
        }
      } catch (err) {
        await abort();
        throw writeFailed(path, 'could not write the warehouse', err);
      }
      committed = true;
    },
    async finish(reading?: Promise<unknown>): Promise<WriteResult> {
      if (!committed) throw new Error(`the warehouse ${path} is digested only once committed`);
      let digests: Record<string, string> = {};
      // the caller's reads first: a cached night of 1,000 documents, its digests beside the
      // report's revision series, peaked at 498 MiB; with them after, at 449 (medians of 3, alternated)
      await reading?.catch(() => undefined);
      mark = performance.now();
      try {
        digesting = await connectForStreaming(instance);
        digests = await digestTables(digesting);
        lap('digests');
        const d = digesting;
        digesting = undefined;
        closeQuietly(() => d.closeSync());
        // Fold the log of committed changes into the file, so the single file at `path` is the
        // whole warehouse. Last, once the digests and the caller's reads are done (a CHECKPOINT
        // fails while another connection has a transaction open). The caller's report, which reads
        // nothing more from here, is written meanwhile: it no longer waits for the CHECKPOINT
        // (130-210 ms on the bundled corpus), as it did when commit() made it.
        await open.run('CHECKPOINT');
        lap('checkpoint');
      } catch (err) {
        await abort();
        throw writeFailed(path, 'could not write the warehouse', err);
      }
      await close(true);
      // rows per table in schema order, as a whole load lists them
      const ordered = Object.fromEntries(TABLES.flatMap((spec) => (spec.name in counts ? [[spec.name, counts[spec.name]!]] : [])));
      return { rows: ordered, digests, duration_ms: Math.round(performance.now() - started), timings_ms: timings };
    },
  };
}

/**
 * Refuse a table two of whose rows share its primary key (admission keeps that from happening: this
 * is the loader's own check, in place of a PRIMARY KEY constraint). The error names the table, the
 * key columns and one duplicated key; writeWarehouse turns it into warehouse-write-failed.
 */
async function assertUniqueKey(connection: DuckDBConnection, spec: TableSpec): Promise<void> {
  if (spec.primaryKey.length === 0) return;
  const key = spec.primaryKey.map(quoteIdent).join(', ');
  const [dup] = await queryRows(connection, `SELECT ${key}, count(*) AS n FROM ${quoteIdent(spec.name)} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
  if (dup === undefined) return;
  const value = spec.primaryKey.map((k) => `${k} = ${JSON.stringify(dup[k] ?? null)}`).join(', ');
  throw new Error(`table ${spec.name} has ${String(dup['n'])} rows with the same primary key (${spec.primaryKey.join(', ')}): ${value}`);
}

/** Open `path` read-only, run `fn`, close. Lock and open failures become DavsErrors. */
async function withReadOnly<T>(path: string, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  if (!existsSync(path)) {
    throw new DavsError('no warehouse file here', { code: 'input-unreadable', stage: 'load', document: path, hint: 'run the pipeline first' });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  } catch (err) {
    if (isLockError(err)) throw lockedError(path, err);
    throw new DavsError(`could not open the warehouse: ${messageOf(err)}`, { code: 'input-unreadable', stage: 'load', document: path, cause: err });
  }
  let connection: DuckDBConnection | undefined;
  try {
    connection = await connectForStreaming(instance);
    return await fn(connection);
  } finally {
    if (connection) {
      const c = connection;
      closeQuietly(() => c.closeSync());
    }
    closeQuietly(() => instance.closeSync());
  }
}

export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, JS>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS();
}

function asString(value: JS | undefined): string {
  if (typeof value !== 'string') throw new Error(`expected a string from DuckDB, got ${typeof value}`);
  return value;
}

function asNullableString(value: JS | undefined): string | null {
  return value === null || value === undefined ? null : asString(value);
}

function asNumber(value: JS | undefined): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  throw new Error(`expected a number from DuckDB, got ${typeof value}`);
}

/** Schema order (TABLE_NAMES) for davs tables, then any other table by name. (table_oid is not stable across reopening.) */
export function compareTableNames(a: string, b: string): number {
  const rank = (name: string): number => {
    const i = (TABLE_NAMES as readonly string[]).indexOf(name);
    return i < 0 ? TABLE_NAMES.length : i;
  };
  return compareKeys([rank(a), a], [rank(b), b]);
}

/** Tables of the main schema of the open file, in schema order. */
async function mainTables(connection: DuckDBConnection): Promise<Array<{ name: string; comment: string | null }>> {
  const rows = await queryRows(
    connection,
    `SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'`,
  );
  return rows
    .map((r) => ({ name: asString(r['table_name']), comment: asNullableString(r['comment']) }))
    .sort((x, y) => compareTableNames(x.name, y.name));
}

/** Row count of every table in the warehouse at `path`, keyed by table name. Opens the file read-only. */
export async function readWarehouseCounts(path: string): Promise<Record<string, number>> {
  return withReadOnly(path, async (connection) => {
    const counts: Record<string, number> = {};
    for (const table of await mainTables(connection)) {
      const [row] = await queryRows(connection, `SELECT count(*) AS n FROM ${quoteIdent(table.name)}`);
      counts[table.name] = asNumber(row?.['n']);
    }
    return counts;
  });
}

/** A finding as the comparison with a later run reads it back (readFindingKeys): no evidence (parsing a whole finding leaves all but these out). */
export const FindingKey = z.object({ id: Finding.shape.id, check: Finding.shape.check, severity: Finding.shape.severity, message: Finding.shape.message, merged_ids: Finding.shape.merged_ids });
export type FindingKey = z.infer<typeof FindingKey>;

/**
 * The findings of the warehouse at `path` (opened read-only) without their evidence, by id: what a
 * later run compares its own with. At 2,000 documents that run parsed the published findings.json
 * for them (39 MB, about 1 s) and held it twice, parsed and validated: about 230 MB of heap.
 */
export async function readFindingKeys(path: string): Promise<FindingKey[]> {
  const rows = await withReadOnly(path, (connection) => queryRows(connection, 'SELECT finding_id AS id, check_id AS "check", severity, message, merged_ids FROM findings ORDER BY finding_id'));
  return parseContract(z.array(FindingKey), rows.map((r) => ({ ...r, merged_ids: r['merged_ids'] ?? undefined })), { stage: 'load', document: path, what: 'findings' });
}

/** Every table and column of the warehouse at `path` with its type and COMMENT, in schema order. Opens read-only. */
export async function describeWarehouse(path: string): Promise<TableDescription[]> {
  return withReadOnly(path, (connection) => describeTables(connection));
}

/** Every table and column of an open warehouse with its type and COMMENT, tables in schema order (compareTableNames), columns in column order. */
export async function describeTables(connection: DuckDBConnection): Promise<TableDescription[]> {
  const tables = await mainTables(connection);
  const columns = await queryRows(
    connection,
    `SELECT table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main' ORDER BY column_index`,
  );
  return tables.map((t) => ({
    name: t.name,
    comment: t.comment,
    columns: columns
      .filter((c) => c['table_name'] === t.name)
      .map((c) => ({
        name: asString(c['column_name']),
        type: asString(c['data_type']),
        nullable: c['is_nullable'] === true,
        comment: asNullableString(c['comment']),
      })),
  }));
}

/**
 * What a table's digest is, named in run.json (`table_digest`), so that a run.json of another
 * definition is not taken for a changed warehouse. Every row of the table as JSON (DuckDB's
 * `to_json`, as text), each row's MD5 as a 128-bit number (DuckDB's `md5_number`: the digest's 16
 * bytes little-endian); its high and low 64 bits, each summed over the rows exactly (`high`,
 * `low`); the table's digest is the sha256 of `<rows> <high> <low>`. One SQL query anyone can run
 * in DuckDB (`tableDigestSql`), and a sum: it depends on the rows, repeated ones counted, not on
 * their order, so no sort and no row leaves DuckDB. It detects any change made by accident or by a
 * client that wrote to the file; it is not a signature (MD5 and a sum of row hashes both yield to
 * someone crafting rows to collide).
 *
 * The digest before it was the sha256 of the rows' JSON sorted, one per line. Sorting a million
 * rows under DuckDB's memory limit took it a range at a time and streamed every row's JSON to this
 * process: at 1,000 documents, alone, 9.4-9.9 s, 11.2 s of CPU and 430 MB for all tables. This one
 * takes 3.1 s, 4.8 s of CPU and 260 MB; with each row's sha256 in place of its MD5, 6.4 s and 10.5 s
 * of CPU (DuckDB's sha256 of a row costs three times its to_json).
 */
export const TABLE_DIGEST = 'sha256-of-row-md5-sums/1';

/** The query of a table's digest: one row, `rows`, `high`, `low`, each as text (digestTables runs every table's in one query). */
export function tableDigestSql(table: string): string {
  const sum = (bits: string) => `CAST(coalesce(sum(CAST(${bits} AS UBIGINT)::HUGEINT), 0) AS VARCHAR)`;
  return `SELECT CAST(count(*) AS VARCHAR) AS rows, ${sum('m >> 64')} AS high, ${sum('m & 18446744073709551615::UHUGEINT')} AS low FROM (SELECT md5_number(CAST(to_json(t) AS VARCHAR)) AS m FROM ${quoteIdent(table)} AS t)`;
}

/** A table's digest from its sums, as tableDigestSql gives them. */
function digestOfSums(table: string, sums: Record<string, JS> | undefined): string {
  if (sums === undefined) throw new Error(`the digest of ${table}: DuckDB returned no row`);
  return sha256(`${asString(sums['rows'])} ${asString(sums['high'])} ${asString(sums['low'])}`);
}

/**
 * Content hash of every table but `runs` (the one table with the clock in it), by TABLE_DIGEST, so
 * it depends on content, not on insertion order or storage layout; and of every view's SQL. Two
 * warehouses with equal digests hold the same rows.
 *
 * Every table's tableDigestSql in one query (a UNION ALL, each row named by its table): DuckDB
 * then scans the tables side by side on its threads, where one query a table scanned a small
 * table on one thread and paid a query's overhead for each. Measured alone on the 2-core machine
 * of issue 12: the bundled corpus's warehouse in 51-56 ms against 180-194, the 1,000-document one
 * in 2.1 s against 2.5, peaking at 236-251 MB against 266-270 (2026-12-05).
 */
async function digestTables(connection: DuckDBConnection): Promise<Record<string, string>> {
  const tables = (await mainTables(connection)).map((t) => t.name).filter((name) => name !== 'runs');
  const out: Record<string, string> = {};
  if (tables.length > 0) {
    const sums = await queryRows(connection, tables.map((name) => `SELECT ${quoteString(name)} AS table_name, * FROM (${tableDigestSql(name)})`).join('\nUNION ALL\n'));
    const byTable = new Map(sums.map((row) => [asString(row['table_name']), row]));
    for (const name of tables) out[name] = digestOfSums(name, byTable.get(name));
  }
  // a view holds no rows of its own, but what it is defined as is part of what was published: a
  // client that redefines one changes what analysts read, and davs verify names it like a table
  for (const view of await queryRows(connection, `SELECT view_name, sha256(sql) AS h FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name`)) {
    out[asString(view['view_name'])] = asString(view['h']);
  }
  return out;
}

/** Content hash of each table of the warehouse at `path` (opened read-only), as written by writeWarehouse. */
export async function tableDigests(path: string): Promise<Record<string, string>> {
  return withReadOnly(path, digestTables);
}

/**
 * Whether a process holds the DuckDB file at `path` open for writing: DuckDB's own lock, which a
 * read-only open cannot share with a writer. Returns DuckDB's words naming the holder, or null.
 */
export async function writerHolding(path: string): Promise<string | null> {
  if (!existsSync(path)) return null;
  try {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    closeQuietly(() => instance.closeSync());
    return null;
  } catch (err) {
    if (!isLockError(err)) return null;
    const pid = /PID (\d+)/.exec(messageOf(err));
    return pid ? `pid ${pid[1]}` : 'another process';
  }
}

/** Version of the DuckDB library this process loads, e.g. 'v1.5.6' (what SQL's version() says), asked of the library: no database is opened for it. */
export function duckdbVersion(): string {
  return duckdbLibraryVersion();
}
