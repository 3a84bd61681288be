/**
 * The warehouse's empty schema (its tables, comments and views) as a DuckDB file made once, by `npm
 * run build` into dist/, and copied for each new warehouse instead of being made again: making it
 * is 193 statements and 104 views to bind, 60-70 ms of a night (the bundled corpus's cold night
 * waits for it once its primary editions are read), copying and opening the file 20-25 ms.
 * The file says what it was made from (schemaKey: the statements and DuckDB's version): a warehouse
 * whose schema or DuckDB differs from the template's makes its schema itself, as does one with no
 * template (the TypeScript run through tsx before a build).
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { DuckDBInstance, version, type DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { canonicalJson, sha256 } from '../core/hash.js';
import { packagePath } from '../core/paths.js';
import { schemaSql } from './schema.js';
import { viewSql } from './views.js';

/** Where `npm run build` makes the template; beside it `<file>.json` says what it was made from. */
export const SCHEMA_TEMPLATE = packagePath('dist', 'warehouse-schema.duckdb');

const TemplateKey = z.object({ key: z.string() }).strict();

/**
 * The tables with their comments, as one script (no PRIMARY KEY constraints: DuckDB would build an
 * ART index row by row as the rows go in; each key is checked once its table is loaded and named in
 * the table's COMMENT). One call instead of one a statement (105 -> 59 ms).
 */
function schemaScript(): string {
  return schemaSql({ primaryKey: false }).join(';\n');
}

/** The views with their comments, as one script. Views hold no rows: duckdb_tables() does not list them, so they are not digested as tables. */
function viewScript(): string {
  return viewSql().join(';\n');
}

let scripts: { schema: string; views: string; key: string } | null = null;

/** The two scripts and what a template is made from (them and the version of DuckDB that ran them): made once a process (2.5 ms, and a night opens a warehouse on its critical path). */
function schemaScripts(): { schema: string; views: string; key: string } {
  if (scripts === null) {
    const schema = schemaScript();
    const views = viewScript();
    scripts = { schema, views, key: sha256(canonicalJson({ schema, views, duckdb: version() })) };
  }
  return scripts;
}

/** What a template is made from: the schema's and the views' scripts and the version of DuckDB that ran them. */
export function schemaKey(): string {
  return schemaScripts().key;
}

/**
 * Make the tables and views in `connection`'s database, in one transaction: what a template holds,
 * and what a warehouse opened without one is given. `failed` names which part could not be made.
 */
export async function makeSchema(connection: DuckDBConnection, failed: (part: 'schema' | 'views', err: unknown) => unknown = (_, err) => err): Promise<void> {
  const { schema, views } = schemaScripts();
  await connection.run('BEGIN TRANSACTION');
  for (const [part, script] of [['schema', schema], ['views', views]] as const) {
    try {
      await connection.run(script);
    } catch (err) {
      throw failed(part, err);
    }
  }
  await connection.run('COMMIT');
}

/** Make the template at `path`: a DuckDB file holding the schema and views and nothing else, checkpointed into the one file, and `<path>.json` with its key. */
export async function writeSchemaTemplate(path: string = SCHEMA_TEMPLATE): Promise<void> {
  for (const file of [`${path}.json`, path, `${path}.wal`]) await rm(file, { force: true });
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    try {
      await makeSchema(connection);
      await connection.run('CHECKPOINT');
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  // written last: a template whose key file is there is whole
  await writeFile(`${path}.json`, `${JSON.stringify({ key: schemaKey() })}\n`);
}

/** `path` when a template there was made for this schema and this DuckDB (and is one file, with no log beside it), else null. */
export async function usableTemplate(path: string = SCHEMA_TEMPLATE): Promise<string | null> {
  const text = await readFile(`${path}.json`, 'utf8').catch(() => null);
  if (text === null) return null;
  let parsed: z.infer<typeof TemplateKey>;
  try {
    parsed = TemplateKey.parse(JSON.parse(text));
  } catch {
    return null;
  }
  if (parsed.key !== schemaKey() || !existsSync(path) || existsSync(`${path}.wal`)) return null;
  return path;
}
