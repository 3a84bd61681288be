/**
 * A table's digest is taken from its rows as stored when they are already in order, else a range of
 * rows at a time (load/index.ts tableDigest, digestRanges): either way it must be the digest of the
 * whole table sorted at once, whatever the first column holds.
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

/** The digest's definition, over the whole table at once. */
async function wholeDigest(path: string, table: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT CAST(to_json(t) AS VARCHAR) AS r FROM ${table} AS t ORDER BY r`)).getRows();
    return createHash('sha256').update(rows.map((r) => r[0] as string).join('\n')).digest('hex');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('digest of a table too large to sort at once', () => {
  it('equals the digest of the whole table sorted, for text keys that are prefixes of one another, escaped, repeated and NULL', async () => {
    const path = join(dir, 'big.duckdb');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const awkward = ['a', 'ab', 'a"b', 'a\\\\b', 'a b', 'é', '中', '😀', '', 'a\tb', 'A', 'z'];
    try {
      await connection.run('CREATE TABLE t (k VARCHAR, n INTEGER, v DOUBLE)');
      await connection.run('CREATE TABLE numbers (n INTEGER, k VARCHAR)');
      // 240,000 rows: three ranges and more; keys from a few awkward stems, many repeated, some NULL
      const stems = awkward.map((a) => `'${a.replaceAll("'", "''")}'`).join(', ');
      await connection.run(
        `INSERT INTO t SELECT CASE WHEN i % 997 = 0 THEN NULL ELSE list_extract([${stems}], (i % ${awkward.length}) + 1) || CAST(i % 5003 AS VARCHAR) END, i % 7, i / 3.0 FROM range(240000) r(i)`,
      );
      await connection.run('INSERT INTO numbers SELECT i % 50000, CAST(i AS VARCHAR) FROM range(150000) r(i)');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const digests = await tableDigests(path);
    expect(digests['t']).toBe(await wholeDigest(path, 't'));
    // a first column that is not text is sorted whole
    expect(digests['numbers']).toBe(await wholeDigest(path, 'numbers'));
  }, 120_000);

  it('equals it for rows stored in order (read without a sort), out of order only at the end, longer than the buffer, or none', async () => {
    const path = join(dir, 'stored.duckdb');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    try {
      // in code-point order of their JSON, repeated rows and escaped text among them
      await connection.run('CREATE TABLE sorted_rows (k VARCHAR, n INTEGER)');
      await connection.run(`INSERT INTO sorted_rows SELECT k, n FROM (SELECT 'k' || lpad(CAST(i % 70000 AS VARCHAR), 6, '0') || CASE WHEN i % 3 = 0 THEN '"q' WHEN i % 3 = 1 THEN 'é' ELSE '' END AS k, i % 2 AS n FROM range(150000) r(i)) ORDER BY CAST(to_json({'k': k, 'n': n}) AS VARCHAR)`);
      // in order but for its last row, which sorts first
      await connection.run('CREATE TABLE last_out (k VARCHAR)');
      await connection.run(`INSERT INTO last_out SELECT 'b' || lpad(CAST(i AS VARCHAR), 7, '0') FROM range(120000) r(i) ORDER BY 1`);
      await connection.run(`INSERT INTO last_out VALUES ('a')`);
      // rows of several megabytes, in order
      await connection.run('CREATE TABLE long_rows (k VARCHAR)');
      await connection.run(`INSERT INTO long_rows SELECT chr(CAST(97 + i AS INTEGER)) || repeat('x', 3000000) FROM range(3) r(i) ORDER BY 1`);
      await connection.run('CREATE TABLE no_rows (k VARCHAR)');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const digests = await tableDigests(path);
    for (const table of ['sorted_rows', 'last_out', 'long_rows', 'no_rows']) expect(digests[table], table).toBe(await wholeDigest(path, table));
  }, 120_000);
});
