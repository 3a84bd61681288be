/**
 * Row files: a table's rows as JSON lines (one object per row, keyed by column name in column
 * order), written where the rows are built (a worker, one document at a time) and read by DuckDB
 * in bulk at load. writeRowFiles is the one check of each value against its column at that stage
 * boundary; the loader trusts what it wrote and reads it with the columns' exact types.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ContractError, DavsError } from '../core/errors.js';
import { sortColumns, type Row, type SqlValue } from './rows.js';
import { TABLE_NAMES, quoteIdent, quoteString, tableSpec, type ColumnSpec, type TableName, type TableSpec } from './schema.js';
import { valueProblem } from './values.js';

/** One file writeRowFiles wrote: which table's rows, where, how many. */
export interface RowFile {
  table: TableName;
  path: string;
  rows: number;
}

/** A row file as writeRowFiles wrote it: with the sha256 of its bytes. */
export interface WrittenRowFile extends RowFile {
  sha256: string;
}

/** For each table loaded from files, the files holding its rows (none: the table is empty). */
export type RowFiles = Partial<Record<TableName, readonly string[]>>;

/** Rows of some tables, in column order (schema.ts), as buildRows or documentRows give them. */
export type SomeTableRows = Partial<Record<TableName, readonly Row[]>>;

/** Bytes buffered before a write: large enough to make writes cheap, small enough never to hold a whole table. */
const WRITE_BATCH = 1 << 20;

// ---------------------------------------------------------------- encoding (pure)

/** ES2024's String.prototype.isWellFormed and toWellFormed (V8 11, Node 20), beyond the ES2022 lib this project compiles against. */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/** The string DuckDB stores for `text`: a lone UTF-16 surrogate becomes U+FFFD, as the appender's UTF-8 conversion makes it. */
function wellFormed(text: string): string {
  const t = text as WellFormedString;
  return t.isWellFormed() ? text : t.toWellFormed();
}

/** A string JSON.stringify writes as it is between quotes: no quote, backslash, control character or surrogate. */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function jsonString(text: string): string {
  // most values need no escaping: quoted as they are, without JSON.stringify's copy (the same bytes)
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(wellFormed(text));
}

/**
 * A value (already checked by valueProblem) as the JSON DuckDB reads back to exactly what the
 * appender would store: shortest round-trip doubles, with -0 written so that it stays negative;
 * timestamps as the UTC instant the appender reads from them (Date.parse), to the millisecond.
 */
export function jsonValue(column: ColumnSpec, value: SqlValue): string {
  if (value === null) return 'null';
  switch (column.type) {
    case 'VARCHAR':
    case 'DATE':
      return jsonString(value as string);
    case 'TIMESTAMP':
      return JSON.stringify(new Date(Date.parse(value as string)).toISOString());
    case 'VARCHAR[]':
      return `[${(value as readonly string[]).map(jsonString).join(',')}]`;
    case 'DOUBLE':
      return Object.is(value, -0) ? '-0.0' : JSON.stringify(value);
    case 'INTEGER':
    case 'BIGINT':
      return String(value);
  }
}

/** The key (or first) values of a row, to name it in an error. */
function rowName(spec: TableSpec, row: Row, index: number): string {
  const key = spec.primaryKey.length > 0 ? sortColumns(spec) : [0];
  return `${spec.name} row ${index + 1} (${key.map((i) => `${spec.columns[i]!.name} = ${JSON.stringify(row[i] ?? null)}`).join(', ')})`;
}

/** One row as a line of JSON, every value checked against its column; throws a ContractError naming table, row and column. */
export function rowLine(spec: TableSpec, row: Row, index: number): string {
  if (row.length !== spec.columns.length) {
    throw new ContractError(`${rowName(spec, row, index)} has ${row.length} values for ${spec.columns.length} columns`, { code: 'contract-violation', stage: 'load' });
  }
  const prefixes = keyPrefixes(spec);
  let line = '';
  for (let i = 0; i < spec.columns.length; i++) {
    const column = spec.columns[i]!;
    const value = row[i] ?? null;
    const problem = valueProblem(column, value);
    if (problem !== null) throw new ContractError(`${rowName(spec, row, index)} does not fit the warehouse: ${problem}`, { code: 'contract-violation', stage: 'load' });
    line += prefixes[i]! + jsonValue(column, value);
  }
  return `${line}}\n`;
}

/** Each column's `{"name":` / `,"name":` as it opens its value in a row's line, made once per table. */
const PREFIXES = new WeakMap<TableSpec, string[]>();
function keyPrefixes(spec: TableSpec): string[] {
  let prefixes = PREFIXES.get(spec);
  if (!prefixes) {
    prefixes = spec.columns.map((c, i) => `${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
    PREFIXES.set(spec, prefixes);
  }
  return prefixes;
}

// ---------------------------------------------------------------- writing

/**
 * Write the rows to `path` (through `path.partial`, renamed once whole) and return the sha256 of the
 * bytes written, hashed as they are written. Synchronous: the writer (a document worker) has nothing
 * else to do meanwhile, and a write per batch costs no round trip through the thread pool.
 */
function writeTableFile(path: string, spec: TableSpec, rows: readonly Row[]): string {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  const hash = createHash('sha256');
  // lines are encoded straight into one buffer, written (and hashed) each time it fills: no string
  // of a whole batch is ever made (encoding one built by concatenation costs more than the writes)
  const buffer = Buffer.allocUnsafe(WRITE_BATCH);
  let used = 0;
  const put = (bytes: Uint8Array) => {
    hash.update(bytes);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
  };
  const flush = () => {
    put(buffer.subarray(0, used));
    used = 0;
  };
  try {
    for (let r = 0; r < rows.length; r++) {
      const line = rowLine(spec, rows[r]!, r);
      // a UTF-16 code unit is at most 3 bytes of UTF-8
      if (used + line.length * 3 > buffer.length) flush();
      if (line.length * 3 > buffer.length) {
        put(Buffer.from(line, 'utf8'));
      } else {
        used += buffer.write(line, used, 'utf8');
      }
    }
    flush();
    closeSync(fd);
    renameSync(partial, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(partial, { force: true });
    throw err;
  }
  return hash.digest('hex');
}

/**
 * Write each table's rows to `dir/<table>.jsonl` (dir is created), checking every value against its
 * column first: a value that does not fit throws a ContractError naming the table, the row (its key)
 * and the column, and leaves no file for that table. A table with no rows gets no file (an older one
 * of that name is removed). Returns the files written, in schema order, each with the sha256 of its bytes.
 */
export async function writeRowFiles(dir: string, rows: SomeTableRows): Promise<WrittenRowFile[]> {
  mkdirSync(dir, { recursive: true });
  const written: WrittenRowFile[] = [];
  for (const table of TABLE_NAMES) {
    const tableRows = rows[table];
    if (tableRows === undefined) continue;
    const path = join(dir, `${table}.jsonl`);
    if (tableRows.length === 0) {
      rmSync(path, { force: true });
      continue;
    }
    const sha256 = writeTableFile(path, tableSpec(table), tableRows);
    written.push({ table, path, rows: tableRows.length, sha256 });
  }
  return written;
}

/** The rowFiles argument of writeWarehouse from the files of any number of writeRowFiles calls (a table none wrote is empty). */
export function rowFilesByTable(files: Iterable<RowFile>, tables: readonly TableName[] = []): RowFiles {
  const out: Partial<Record<TableName, string[]>> = {};
  for (const table of tables) out[table] = [];
  for (const f of files) (out[f.table] ??= []).push(f.path);
  return out;
}

// ---------------------------------------------------------------- loading (DuckDB reads the files)

/**
 * INSERT of a table's rows from its files, as they are in the files, file after file: no sort. A
 * sort of every row into key order held memory DuckDB does not count, growing with the corpus (at
 * 1,000 documents the observations' sort alone grew the process by 630 MB under a 384MB limit,
 * 340 MB without it). Each file is one document's rows in key order (documentRows), so files listed
 * in document-id order give a table whose key begins with the document id in key order (the digest
 * does not depend on the order: tableDigest).
 */
export function insertFromFilesSql(spec: TableSpec, files: readonly string[]): string {
  const columns = spec.columns.map((c) => quoteIdent(c.name)).join(', ');
  const types = spec.columns.map((c) => `${quoteIdent(c.name)}: ${quoteString(c.type)}`).join(', ');
  const source = `read_json([${files.map(quoteString).join(', ')}], format = 'newline_delimited', records = true, columns = {${types}})`;
  return `INSERT INTO ${quoteIdent(spec.name)} SELECT ${columns} FROM ${source}`;
}

function unreadable(spec: TableSpec, file: string, why: string, cause: unknown): DavsError {
  return new DavsError(`cannot read the rows of table ${spec.name} from this file: ${why}`, {
    code: 'input-unreadable',
    stage: 'load',
    document: file,
    hint: 'write it with writeRowFiles',
    cause,
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The file DuckDB's error names, if it is one of `files` (DuckDB names the file of a malformed line or a value of the wrong type). */
function fileNamed(err: unknown, files: readonly string[]): string | null {
  const named = /file "([^"]+)"/.exec(messageOf(err))?.[1];
  return named !== undefined && files.includes(named) ? named : null;
}

/**
 * Load a table's rows from row files in one statement; returns the number of rows. An empty list
 * loads nothing. A file that is missing, or that DuckDB cannot read as rows of the table, throws an
 * input-unreadable DavsError naming the file; any other refusal is DuckDB's error. (Keys are checked by
 * the caller once the table is loaded: the tables carry no PRIMARY KEY constraint.)
 */
export async function insertFromFiles(connection: DuckDBConnection, spec: TableSpec, files: readonly string[]): Promise<number> {
  const nonEmpty: string[] = [];
  for (const file of files) {
    const info = await stat(file).catch((err: unknown) => {
      throw unreadable(spec, file, messageOf(err), err);
    });
    if (!info.isFile()) throw unreadable(spec, file, 'not a file', undefined);
    if (info.size > 0) nonEmpty.push(file);
  }
  if (nonEmpty.length === 0) return 0;
  try {
    const result = await connection.run(insertFromFilesSql(spec, nonEmpty));
    return result.rowsChanged;
  } catch (err) {
    const file = fileNamed(err, nonEmpty);
    if (file !== null) throw unreadable(spec, file, messageOf(err).split('\n')[0]!, err);
    throw err;
  }
}
