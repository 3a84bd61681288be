/**
 * A table's digest (load/index.ts tableDigest) is the sha256 of its rows' sha256 digests in byte
 * order, each row's digest that of its JSON (DuckDB's to_json): it must equal that definition worked
 * out here from the rows, whatever the rows hold; not depend on the order they went in; and change
 * with any row, including a repeated one.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDigests } from './index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-digest-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The digest's definition, from every row's JSON at once. */
async function definedDigest(path: string, table: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT CAST(to_json(t) AS VARCHAR) AS r FROM ${table} AS t`)).getRows();
    const digests = rows.map((r) => createHash('sha256').update(r[0] as string, 'utf8').digest()).sort(Buffer.compare);
    const hash = createHash('sha256');
    for (const d of digests) hash.update(d);
    return hash.digest('hex');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function build(name: string, statements: readonly string[]): Promise<string> {
  const path = join(dir, `${name}.duckdb`);
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return path;
}

const AWKWARD = ['a', 'ab', 'a"b', 'a\\\\b', 'a b', 'é', '中', '😀', '', 'a\tb', 'A', 'z'];
const STEMS = AWKWARD.map((a) => `'${a.replaceAll("'", "''")}'`).join(', ');
/** 240,000 rows: keys from a few awkward stems, many repeated, some NULL; numbers and doubles. */
const AWKWARD_ROWS = `SELECT CASE WHEN i % 997 = 0 THEN NULL ELSE list_extract([${STEMS}], (i % ${AWKWARD.length}) + 1) || CAST(i % 5003 AS VARCHAR) END AS k, i % 7 AS n, i / 3.0 AS v FROM range(240000) r(i)`;

describe('table digest', () => {
  it('is the sha256 of the rows’ JSON digests in byte order, for escaped, repeated, NULL, long and no rows', async () => {
    const path = await build('defined', [
      'CREATE TABLE t (k VARCHAR, n INTEGER, v DOUBLE)',
      `INSERT INTO t ${AWKWARD_ROWS}`,
      'CREATE TABLE numbers (n INTEGER, k VARCHAR)',
      'INSERT INTO numbers SELECT i % 50000, CAST(i AS VARCHAR) FROM range(150000) r(i)',
      'CREATE TABLE long_rows (k VARCHAR)',
      `INSERT INTO long_rows SELECT chr(CAST(97 + i AS INTEGER)) || repeat('x', 3000000) FROM range(3) r(i)`,
      'CREATE TABLE no_rows (k VARCHAR)',
    ]);
    const digests = await tableDigests(path);
    for (const table of ['t', 'numbers', 'long_rows', 'no_rows']) expect(digests[table], table).toBe(await definedDigest(path, table));
    // no rows: the sha256 of nothing
    expect(digests['no_rows']).toBe(createHash('sha256').digest('hex'));
  }, 120_000);

  it('does not depend on the order the rows went in, and changes with a changed, removed or repeated row', async () => {
    const path = await build('orders', [
      `CREATE TABLE forwards AS ${AWKWARD_ROWS}`,
      `CREATE TABLE backwards AS SELECT * FROM (${AWKWARD_ROWS}) ORDER BY v DESC`,
      `CREATE TABLE changed AS SELECT k, CASE WHEN v = 100 THEN n + 1 ELSE n END AS n, v FROM (${AWKWARD_ROWS})`,
      `CREATE TABLE removed AS SELECT * FROM (${AWKWARD_ROWS}) WHERE v <> 100`,
      `CREATE TABLE repeated AS SELECT * FROM (${AWKWARD_ROWS}) UNION ALL SELECT * FROM (${AWKWARD_ROWS}) WHERE v = 100`,
    ]);
    const digests = await tableDigests(path);
    expect(digests['backwards']).toBe(digests['forwards']);
    for (const other of ['changed', 'removed', 'repeated']) expect(digests[other], other).not.toBe(digests['forwards']);
  }, 120_000);
});
