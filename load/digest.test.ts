/**
 * A table's digest (load/index.ts TABLE_DIGEST): the sha256 of its row count and the exact sums of
 * the high and low 64 bits of each row's MD5, the rows as DuckDB's to_json. Computed here again in
 * JavaScript from the rows' JSON, it must agree; it must not depend on the rows' order, and must
 * change when a row changes, is added (a repeat among them) or is removed.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DIGEST, tableDigests } from './index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-digest-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The definition, in JavaScript over the rows' JSON as DuckDB writes it. */
async function definedDigest(path: string, table: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT CAST(to_json(t) AS VARCHAR) AS r FROM ${table} AS t`)).getRows();
    let high = 0n;
    let low = 0n;
    for (const [json] of rows) {
      const md5 = createHash('md5').update(json as string, 'utf8').digest();
      low += md5.readBigUInt64LE(0);
      high += md5.readBigUInt64LE(8);
    }
    return createHash('sha256').update(`${rows.length} ${high} ${low}`).digest('hex');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function withWarehouse(name: string, statements: string[]): Promise<string> {
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

const awkward = ['a', 'ab', 'a"b', 'a\\\\b', 'a b', 'é', '中', '😀', '', 'a\tb', 'A', 'z'];
const stems = awkward.map((a) => `'${a.replaceAll("'", "''")}'`).join(', ');

describe(`table digest (${TABLE_DIGEST})`, () => {
  it('is its definition computed over the rows as JSON: escaped and non-ASCII text, NULLs, repeated rows, no rows, more rows than DuckDB scans in one vector', async () => {
    const path = await withWarehouse('defined', [
      'CREATE TABLE t (k VARCHAR, n INTEGER, v DOUBLE)',
      // 100,000 rows, scanned by several threads; many repeated, some NULL
      `INSERT INTO t SELECT CASE WHEN i % 997 = 0 THEN NULL ELSE list_extract([${stems}], (i % ${awkward.length}) + 1) || CAST(i % 503 AS VARCHAR) END, i % 7, i / 3.0 FROM range(100000) r(i)`,
      'CREATE TABLE empty (k VARCHAR)',
      'CREATE TABLE runs (started_at TIMESTAMP)',
    ]);
    const digests = await tableDigests(path);
    expect(digests['t']).toBe(await definedDigest(path, 't'));
    expect(digests['empty']).toBe(await definedDigest(path, 'empty'));
    // the table with the clock in it is not digested
    expect(Object.keys(digests).sort()).toEqual(['empty', 't']);
  }, 60_000);

  it('does not depend on the order rows were stored in, and changes with any row changed, added again or removed', async () => {
    const rows = `SELECT list_extract([${stems}], (i % ${awkward.length}) + 1) || CAST(i AS VARCHAR) AS k, i % 3 AS n FROM range(5000) r(i)`;
    const path = await withWarehouse('order', [
      `CREATE TABLE forwards AS SELECT * FROM (${rows}) ORDER BY k`,
      `CREATE TABLE backwards AS SELECT * FROM (${rows}) ORDER BY k DESC`,
      `CREATE TABLE changed AS SELECT k, CASE WHEN k = 'a0' THEN 1 ELSE n END AS n FROM (${rows})`,
      `CREATE TABLE repeated AS SELECT * FROM (${rows}) UNION ALL SELECT 'a0', 0`,
      `CREATE TABLE removed AS SELECT * FROM (${rows}) WHERE k <> 'a0'`,
      // two rows swapped for two others of the same count: a sum of row hashes still differs
      `CREATE TABLE swapped AS SELECT * FROM (${rows}) WHERE k NOT IN ('a0', 'ab1') UNION ALL SELECT 'a0', 1 UNION ALL SELECT 'ab1', 0`,
    ]);
    const digests = await tableDigests(path);
    expect(digests['backwards']).toBe(digests['forwards']);
    for (const table of ['changed', 'repeated', 'removed', 'swapped']) expect(digests[table], table).not.toBe(digests['forwards']);
    expect(new Set(Object.values(digests)).size).toBe(5);
  }, 60_000);
});
