/**
 * The checks read the observations a partition at a time (observationRowPartitions): a partition
 * larger than DuckDB can sort under a small memory limit is still read whole, because a batch of
 * one partition is not sorted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observationRowPartitions } from './observations.js';
import { createTableSql, tableSpec } from './schema.js';

/** Rows of the large partition: sorted by partition, they do not fit under LIMIT (checked below). */
const LARGE = 60_000;
const LIMIT = '24MB';

describe('a partition larger than DuckDB can sort under its memory limit', () => {
  let dir: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'davs-partition-'));
    instance = await DuckDBInstance.create(join(dir, 'w.duckdb'), { memory_limit: LIMIT, temp_directory: join(dir, 'spill') });
    connection = await instance.connect();
    await connection.run(createTableSql(tableSpec('observations'), { primaryKey: false }));
    // one large partition (England and Wales, no breakdown) and three small ones
    const row = (geography: string, breakdown: string) =>
      `SELECT 'obs:' || i || '${geography}${breakdown}', 'marac_cases', 'YE 2020-03', 'year_ending', DATE '2019-04-01', DATE '2020-03-31', '${geography}', NULL, '${breakdown}',
        CAST(i AS VARCHAR), i, 0, 'count', 'doc' || (i % 97), NULL, 'cell', 'cell:' || i, 'The number of MARAC cases discussed in the year ' || repeat('x', 200), 'Table 2!B' || i`;
    await connection.run(`INSERT INTO observations ${row('England and Wales', '')} FROM range(${LARGE}) t(i)
      UNION ALL ${row('Wales', '')} FROM range(7) t(i) UNION ALL ${row('England', 'female')} FROM range(5) t(i) UNION ALL ${row('Wales', 'male')} FROM range(3) t(i)`);
  }, 60_000);

  afterAll(async () => {
    connection?.closeSync();
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  it('cannot be sorted under the limit (what reading it sorted would need)', async () => {
    const sorted = async () => {
      const result = await connection.stream(`SELECT CAST(to_json(o) AS VARCHAR) FROM observations o ORDER BY o.geography, o.breakdown`);
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) chunk.reset();
    };
    await expect(sorted()).rejects.toThrow(/memory/i);
  }, 60_000);

  it('is read whole, the small partitions after it sorted in one batch, each partition once in key order', async () => {
    const partitions: Array<{ keys: string[]; rows: number }> = [];
    for await (const rows of observationRowPartitions(connection, new Map(), 1_000)) {
      const keys = new Set(rows.map((r) => { const a = JSON.parse(r) as unknown[]; return `${String(a[3])}|${String(a[5])}`; }));
      partitions.push({ keys: [...keys], rows: rows.length });
    }
    expect(partitions).toEqual([
      { keys: ['England|female'], rows: 5 },
      { keys: ['England and Wales|'], rows: LARGE },
      { keys: ['Wales|'], rows: 7 },
      { keys: ['Wales|male'], rows: 3 },
    ]);
  }, 60_000);
});
