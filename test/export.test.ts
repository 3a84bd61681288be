import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type JS } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DavsError, UsageError } from '../core/errors.js';
import { TABLE_NAMES, VIEWS, exportWarehouse } from '../load/index.js';
import { quoteString } from '../load/schema.js';
import { runNightly } from '../pipelines/run.js';
import { RAW, davs, queryWarehouse, sink, tempDir } from './helpers.js';

let warehouse = '';
let db = '';
let out = '';
let scratch = '';

beforeAll(async () => {
  warehouse = await tempDir('export-wh');
  scratch = await tempDir('export-out');
  const result = await runNightly({ rawDir: RAW, warehouseDir: warehouse, failOn: 'never', log: sink().log, clock: () => new Date('2026-01-01T02:00:00Z') });
  expect(result.exitCode).toBe(0);
  db = join(warehouse, 'davs.duckdb');
  out = join(scratch, 'first');
  await exportWarehouse({ database: db, outDir: out, format: 'parquet' });
}, 120_000);

afterAll(async () => {
  for (const dir of [warehouse, scratch]) if (dir) await rm(dir, { recursive: true, force: true });
});

async function withMemory<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const rows = async (c: DuckDBConnection, sql: string): Promise<Record<string, JS>[]> => (await c.runAndReadAll(sql)).getRowObjectsJS();

/** sha256 of the rows of `relation` as JSON lines in code-point order, and their count. */
const digestSql = (relation: string): string =>
  `SELECT count(*) AS n, sha256(coalesce(string_agg(r, chr(10) ORDER BY r), '')) AS h FROM (SELECT CAST(to_json(t) AS VARCHAR) AS r FROM ${relation} AS t)`;

async function fileHashes(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) hashes[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex');
  return hashes;
}

describe('davs export --format parquet', () => {
  it('writes one Parquet file per warehouse table and a README, nothing else', async () => {
    const tables = await queryWarehouse(db, `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'`);
    expect(tables.map((t) => t['table_name']).sort()).toEqual([...TABLE_NAMES].sort());
    expect((await readdir(out)).sort()).toEqual([...TABLE_NAMES.map((t) => `${t}.parquet`), 'README.md'].sort());
  });

  it('every file read back in a fresh in-memory DuckDB has the table’s columns, types and rows', async () => {
    await withMemory(async (c) => {
      await c.run(`ATTACH ${quoteString(db)} AS w (READ_ONLY)`);
      for (const table of TABLE_NAMES) {
        const file = quoteString(join(out, `${table}.parquet`));
        const described = await rows(c, `DESCRIBE SELECT * FROM read_parquet(${file})`);
        const columns = await rows(c, `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'w' AND table_name = '${table}' ORDER BY column_index`);
        expect(described.map((d) => [d['column_name'], d['column_type']]), table).toEqual(columns.map((d) => [d['column_name'], d['data_type']]));
        const [fromParquet] = await rows(c, digestSql(`read_parquet(${file})`));
        const [fromWarehouse] = await rows(c, digestSql(`w.main.${table}`));
        expect(fromParquet, table).toEqual(fromWarehouse);
        // and row for row, duplicates counted (EXCEPT ALL both ways)
        const [diff] = await rows(
          c,
          `SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet(${file}) EXCEPT ALL SELECT * FROM w.main.${table})) +
                  (SELECT count(*) FROM (SELECT * FROM w.main.${table} EXCEPT ALL SELECT * FROM read_parquet(${file}))) AS n`,
        );
        expect(diff!['n'], table).toBe(0n);
      }
      const [observations] = await rows(c, `SELECT count(*) AS n FROM read_parquet(${quoteString(join(out, 'observations.parquet'))})`);
      expect(observations!['n'] as bigint).toBeGreaterThan(1000n);
    });
  });

  it('writes rows in primary-key order', async () => {
    await withMemory(async (c) => {
      const ids = await rows(c, `SELECT cell_id FROM read_parquet(${quoteString(join(out, 'cells.parquet'))})`);
      const sorted = [...ids].map((r) => String(r['cell_id'])).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(ids.map((r) => r['cell_id'])).toEqual(sorted);
    });
  });

  it('the README describes every table and column with the warehouse’s comments, and its SQL recreates the views over the files', async () => {
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    const columns = await queryWarehouse(db, `SELECT c.table_name, c.column_name, c.data_type, c.comment, t.comment AS table_comment FROM duckdb_columns() c JOIN duckdb_tables() t USING (database_name, schema_name, table_name) WHERE c.schema_name = 'main'`);
    for (const table of TABLE_NAMES) {
      expect(readme, table).toContain(`## ${table}\n`);
      expect(readme, table).toContain(String(columns.find((c) => c['table_name'] === table)!['table_comment']));
    }
    expect(columns.length).toBeGreaterThan(100);
    for (const c of columns) {
      const comment = String(c['comment']).replace(/\s*\n\s*/g, ' ').replaceAll('|', '\\|');
      expect(readme, `${String(c['table_name'])}.${String(c['column_name'])}`).toContain(`| ${String(c['data_type'])} | `);
      expect(readme, `${String(c['table_name'])}.${String(c['column_name'])}`).toContain(`\`${String(c['column_name'])}\``);
      expect(readme, `${String(c['table_name'])}.${String(c['column_name'])}`).toContain(comment);
    }
    expect(readme).not.toContain(scratch); // no host path: the README is the same wherever it is written

    // run the README's SQL as an analyst would, in a fresh DuckDB looking in the export folder
    const sql = /```sql\n(CREATE VIEW[\s\S]*?)```/.exec(readme)?.[1];
    expect(sql).toBeDefined();
    await withMemory(async (c) => {
      await c.run(`SET file_search_path = ${quoteString(out)}`);
      await c.run(sql!);
      await c.run(`ATTACH ${quoteString(db)} AS w (READ_ONLY)`);
      for (const view of VIEWS) {
        const [over] = await rows(c, digestSql(`memory.main.${view.name}`));
        const [inWarehouse] = await rows(c, digestSql(`w.main.${view.name}`));
        expect(over, view.name).toEqual(inWarehouse);
        expect((over!['n'] as bigint) > 0n, view.name).toBe(true);
      }
      // the restated-figure question over the files: one release, one figure, two values
      const restated = await rows(
        c,
        `SELECT release, raw FROM observation_vintages WHERE measure_id = 'marac-cases' AND period = 'YE 2020-03' AND geography = 'England and Wales' AND values_in_release > 1`,
      );
      expect(restated).toEqual([{ release: 'ons-dav-2020-11', raw: '99,447' }]);
      // the portable form in the project README (joins, GROUP BY, HAVING only), over the tables' views of the files
      const portable = await rows(
        c,
        `SELECT o.measure_id, o.period, o.geography, o.breakdown, d.release,
                count(DISTINCT o.value) AS n_values, min(o.value) AS low, max(o.value) AS high
         FROM observations o JOIN documents d ON d.document_id = o.document_id
         WHERE d.edition_of IS NULL
         GROUP BY o.measure_id, o.period, o.geography, o.breakdown, d.release
         HAVING count(DISTINCT o.value) > 1
         ORDER BY o.measure_id, o.period, o.geography, o.breakdown, d.release`,
      );
      expect(portable).toEqual([
        { measure_id: 'marac-cases', period: 'YE 2020-03', geography: 'England and Wales', breakdown: '', release: 'ons-dav-2020-11', n_values: 2n, low: 99447, high: 99467 },
      ]);
    });
  });

  it('exporting the same warehouse twice gives byte-identical files', async () => {
    const second = join(scratch, 'second');
    await exportWarehouse({ database: db, outDir: second, format: 'parquet' });
    const [a, b] = [await fileHashes(out), await fileHashes(second)];
    expect(Object.keys(a).length).toBe(TABLE_NAMES.length + 1);
    expect(b).toEqual(a);
  });

  it('refuses an unknown or missing format, a missing folder, and a folder that is not empty without --force', async () => {
    const fresh = join(scratch, 'fresh');
    await expect(exportWarehouse({ database: db, outDir: fresh, format: 'csv' })).rejects.toThrow(/unknown export format "csv"/);
    await expect(exportWarehouse({ database: db, outDir: fresh, format: undefined })).rejects.toThrow(/--format is required/);
    await expect(exportWarehouse({ database: db, outDir: undefined, format: 'parquet' })).rejects.toThrow(UsageError);
    const busy = join(scratch, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'mine\n');
    await expect(exportWarehouse({ database: db, outDir: busy, format: 'parquet' })).rejects.toThrow(/is not empty/);
    expect(await readdir(busy)).toEqual(['notes.txt']);
    const forced = await exportWarehouse({ database: db, outDir: busy, format: 'parquet', force: true });
    expect(forced.tables.length).toBe(TABLE_NAMES.length);
    expect((await readdir(busy)).sort()).toEqual([...TABLE_NAMES.map((t) => `${t}.parquet`), 'README.md', 'notes.txt'].sort());
    expect(await fileHashes(busy)).toMatchObject(await fileHashes(out));
    await expect(exportWarehouse({ database: join(scratch, 'nowhere', 'davs.duckdb'), outDir: join(scratch, 'x'), format: 'parquet' })).rejects.toThrow(DavsError);
  });

  it('the command: exports with --warehouse, and refuses with exit code 1 and a message', async () => {
    const dir = join(scratch, 'cli');
    const ok = await davs(['export', '--format', 'parquet', dir, '--warehouse', warehouse]);
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(await fileHashes(dir)).toEqual(await fileHashes(out));

    const again = await davs(['export', '--format', 'parquet', dir, '--warehouse', warehouse]);
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toMatch(/is not empty.*--force/);
    expect((await davs(['export', '--format', 'parquet', dir, '--warehouse', warehouse, '--force'])).exitCode).toBe(0);

    const csv = await davs(['export', '--format', 'csv', join(scratch, 'cli-csv'), '--warehouse', warehouse]);
    expect(csv.exitCode).toBe(1);
    expect(csv.stdout).toMatch(/unknown export format \\"csv\\"/);

    const noDir = await davs(['export', '--format', 'parquet', '--warehouse', warehouse]);
    expect(noDir.exitCode).toBe(1);
    expect(noDir.stdout).toMatch(/needs the folder to write to/);

    const empty = await tempDir('export-nothing');
    const nothing = await davs(['export', '--format', 'parquet', join(scratch, 'cli-nothing'), '--warehouse', empty]);
    await rm(empty, { recursive: true, force: true });
    expect(nothing.exitCode).toBe(1);
    expect(nothing.stdout).toMatch(/no published warehouse in/);
  });
});
