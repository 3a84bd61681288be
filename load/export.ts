/**
 * `davs export --format parquet DIR`: every table of a warehouse as one Parquet file, with a
 * README.md generated from the schema (the COMMENTs the warehouse carries) and the view definitions
 * (load/views.ts), so an analyst can query the tables and recreate the views anywhere Parquet is read.
 *
 * The warehouse is opened read-only. Rows are written in primary-key order (all columns for a table
 * without one) by one DuckDB thread, so the same warehouse gives byte-identical files.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type JS } from '@duckdb/node-api';
import { DavsError, UsageError } from '../core/errors.js';
import { describeTables, queryRows, type TableDescription } from './index.js';
import { TABLES, quoteIdent, quoteString } from './schema.js';
import { viewSql } from './views.js';

export const EXPORT_FORMATS = ['parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** The warehouse file (a published `davs.duckdb`), opened read-only. */
  database: string;
  /** Folder the files go to; created when missing. */
  outDir: string | undefined;
  format: string | undefined;
  /** Write into a folder that is not empty (files of the same name are replaced, nothing else is touched). */
  force?: boolean;
}

export interface ExportedTable {
  name: string;
  file: string;
  rows: number;
  /** The columns the rows are ordered by. */
  orderBy: readonly string[] | 'all';
}

export interface ExportResult {
  dir: string;
  tables: ExportedTable[];
  readme: string;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function closeQuietly(close: () => void): void {
  try {
    close();
  } catch {
    // nothing to add to the error that is already on its way
  }
}

/** Refusals that need no warehouse: the format, the folder. Throws a UsageError. */
export async function checkExportArguments(o: Pick<ExportOptions, 'outDir' | 'format' | 'force'>): Promise<{ format: ExportFormat; dir: string }> {
  if (o.format === undefined) throw new UsageError(`--format is required: one of ${EXPORT_FORMATS.join(', ')}`, 'davs export --format parquet DIR');
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
    throw new UsageError(`unknown export format "${o.format}": davs exports ${EXPORT_FORMATS.join(', ')}`, 'davs export --format parquet DIR');
  }
  if (o.outDir === undefined || o.outDir.trim() === '') throw new UsageError('davs export needs the folder to write to', 'davs export --format parquet DIR');
  const dir = resolve(o.outDir);
  if (existsSync(dir)) {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new UsageError(`${dir} exists and is not a folder`, 'give a new or empty folder');
    const entries = await readdir(dir);
    if (entries.length > 0 && !o.force) {
      throw new UsageError(`${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'})`, 'give a new or empty folder, or --force to replace the exported files in it');
    }
  }
  return { format: o.format as ExportFormat, dir };
}

/** The primary key of a davs table whose columns are all in the file, else every column. */
function orderOf(table: TableDescription): readonly string[] | 'all' {
  const spec = TABLES.find((s) => s.name === table.name);
  const names = new Set(table.columns.map((c) => c.name));
  if (spec && spec.primaryKey.length > 0 && spec.primaryKey.every((k) => names.has(k))) return spec.primaryKey;
  return 'all';
}

async function openReadOnly(database: string): Promise<DuckDBInstance> {
  if (!existsSync(database)) {
    throw new DavsError('no published warehouse here', { code: 'input-unreadable', stage: 'load', document: database, hint: 'run davs run first, or give --warehouse DIR' });
  }
  try {
    // one thread: the Parquet writer then lays the rows out the same way every time
    return await DuckDBInstance.create(database, { access_mode: 'READ_ONLY', threads: '1' });
  } catch (err) {
    if (messageOf(err).includes('Could not set lock')) {
      throw new DavsError('another process holds the warehouse open for writing', { code: 'warehouse-locked', stage: 'load', document: database, hint: 'wait for it to finish or close it', cause: err });
    }
    throw new DavsError(`could not open the warehouse: ${messageOf(err)}`, { code: 'input-unreadable', stage: 'load', document: database, cause: err });
  }
}

/**
 * Export every table of the warehouse at `o.database` into `o.outDir`: `<table>.parquet` and
 * README.md. The files are written in a staging folder inside it and renamed into place, so a
 * failed export leaves no half-written file under an exported name.
 */
export async function exportWarehouse(o: ExportOptions): Promise<ExportResult> {
  const { dir } = await checkExportArguments(o);
  const instance = await openReadOnly(o.database);
  let connection: DuckDBConnection | undefined;
  await mkdir(dir, { recursive: true });
  const staging = join(dir, `.davs-export-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging);
  try {
    connection = await instance.connect();
    const schema = await describeTables(connection);
    if (schema.length === 0) throw new DavsError('the warehouse has no tables', { code: 'input-unreadable', stage: 'load', document: o.database, hint: 'run davs run first' });
    const tables: ExportedTable[] = [];
    for (const table of schema) {
      const orderBy = orderOf(table);
      const file = `${table.name}.parquet`;
      const order = orderBy === 'all' ? 'ALL' : orderBy.map(quoteIdent).join(', ');
      try {
        await connection.run(
          `COPY (SELECT * FROM ${quoteIdent(table.name)} ORDER BY ${order}) TO ${quoteString(join(staging, file))} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
        );
      } catch (err) {
        throw new DavsError(`could not write ${file}: ${messageOf(err)}`, { code: 'warehouse-write-failed', stage: 'load', document: join(dir, file), cause: err });
      }
      const [count] = await queryRows(connection, `SELECT count(*) AS n FROM ${quoteIdent(table.name)}`);
      tables.push({ name: table.name, file, rows: Number(count?.['n'] ?? 0), orderBy });
    }
    const [run] = schema.some((t) => t.name === 'runs')
      ? await queryRows(connection, `SELECT run_id, davs_version, duckdb_version FROM runs ORDER BY ALL LIMIT 1`).catch(() => [])
      : [];
    await writeFile(join(staging, 'README.md'), exportReadme(schema, tables, run));
    for (const name of [...tables.map((t) => t.file), 'README.md']) await rename(join(staging, name), join(dir, name));
    return { dir, tables, readme: join(dir, 'README.md') };
  } finally {
    if (connection) {
      const c = connection;
      closeQuietly(() => c.closeSync());
    }
    closeQuietly(() => instance.closeSync());
    await rm(staging, { recursive: true, force: true });
  }
}

/** Text for one Markdown table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replaceAll('|', '\\|');
}

/** The README of an export: pure, from the schema, the row counts and the view specs. */
export function exportReadme(schema: readonly TableDescription[], tables: readonly ExportedTable[], run?: Record<string, JS>): string {
  const out: string[] = [];
  const from =
    run && typeof run['run_id'] === 'string'
      ? ` of run \`${run['run_id']}\` (davs ${String(run['davs_version'])}, written by DuckDB ${String(run['duckdb_version'])})`
      : '';
  out.push('# davs warehouse, exported to Parquet', '');
  out.push(
    `Every table of the davs warehouse${from}, one Parquet file each (\`<table>.parquet\`, Snappy-compressed),`,
    'with the same column names and types. Rows are in primary-key order (all columns for a table without one).',
    'The descriptions below are the COMMENTs the warehouse carries. Parquet keeps no NOT NULL or primary-key',
    'constraints: "nullable" and "key" say what the warehouse enforced.',
    '',
    'With DuckDB, in this folder (or `SET file_search_path = \'/path/to/this/folder\'`):',
    '',
    '```sql',
    "SELECT * FROM 'observations.parquet' LIMIT 10;",
    '```',
    '',
    '| table | rows | ordered by |',
    '|---|---|---|',
  );
  for (const t of tables) out.push(`| [\`${t.name}\`](#${t.name}) | ${t.rows} | ${t.orderBy === 'all' ? 'all columns' : t.orderBy.join(', ')} |`);
  out.push('');
  for (const table of schema) {
    const exported = tables.find((t) => t.name === table.name);
    out.push(`## ${table.name}`, '');
    out.push(`File \`${table.name}.parquet\`${exported ? `, ${exported.rows} ${exported.rows === 1 ? 'row' : 'rows'}` : ''}.`, '');
    if (table.comment) out.push(table.comment, '');
    const key = TABLES.find((s) => s.name === table.name)?.primaryKey ?? [];
    out.push('| column | type | nullable | description |', '|---|---|---|---|');
    for (const c of table.columns) {
      out.push(`| \`${c.name}\`${key.includes(c.name) ? ' (key)' : ''} | ${c.type} | ${c.nullable ? 'yes' : 'no'} | ${cell(c.comment ?? '')} |`);
    }
    out.push('');
  }
  out.push('## Views', '');
  out.push(
    'The warehouse also has views for analysts (load/views.ts). To recreate them over these files, make each',
    'table a view of its Parquet file, then run the view definitions unchanged (DuckDB, in this folder; for',
    'files elsewhere, such as object storage, put their paths in the first statements):',
    '',
    '```sql',
  );
  for (const t of tables) out.push(`CREATE VIEW ${quoteIdent(t.name)} AS SELECT * FROM read_parquet(${quoteString(t.file)});`);
  out.push('');
  for (const sql of viewSql()) out.push(`${sql};`);
  out.push('```', '');
  return out.join('\n');
}
