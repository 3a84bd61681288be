import { chmod, copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type JS } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS, tableDigests } from '../load/index.js';
import { runNightly } from '../pipelines/run.js';
import { verifyWarehouse } from '../pipelines/verify.js';
import { RAW, queryWarehouse, sink, tempDir } from './helpers.js';

let warehouse = '';
let db = '';
let digests: Record<string, string> = {};

const query = (sql: string): Promise<Record<string, JS>[]> => queryWarehouse(db, sql);

beforeAll(async () => {
  warehouse = await tempDir('views');
  const result = await runNightly({ rawDir: RAW, warehouseDir: warehouse, failOn: 'never', log: sink().log, clock: () => new Date('2026-01-01T02:00:00Z') });
  expect(result.exitCode).toBe(0);
  db = join(warehouse, 'davs.duckdb');
  digests = result.run.table_sha256;
}, 60_000);

afterAll(async () => {
  if (warehouse) await rm(warehouse, { recursive: true, force: true });
});

describe('analyst views over the bundled corpus', () => {
  it('creates every view with a comment on it and on each of its columns, in the declared order', async () => {
    const views = await query(`SELECT view_name, comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' ORDER BY view_name`);
    expect(views.map((v) => v['view_name'])).toEqual(VIEWS.map((v) => v.name).sort());
    for (const v of views) expect(typeof v['comment'] === 'string' && v['comment'].length > 40, String(v['view_name'])).toBe(true);
    for (const spec of VIEWS) {
      const columns = await query(
        `SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = '${spec.name}' ORDER BY column_index`,
      );
      expect(columns.map((c) => c['column_name']), spec.name).toEqual(spec.columns.map((c) => c.name));
      for (const c of columns) expect(typeof c['comment'] === 'string' && c['comment'].trim().length > 0, `${spec.name}.${String(c['column_name'])}`).toBe(true);
    }
  });

  it('observation_vintages: MARAC cases YE 2020-03 in England and Wales, 99,447 then 99,966, revised up by 519', async () => {
    const rows = await query(
      `SELECT release, release_date::VARCHAR AS release_date, vintage, vintages, raw, value, previous_raw, revision, revision_direction, values_in_release
       FROM observation_vintages WHERE measure_id = 'marac-cases' AND period = 'YE 2020-03' AND geography = 'England and Wales' ORDER BY vintage`,
    );
    expect(rows).toEqual([
      // The November 2020 article also prints 99,467 once (the restated-figure error); its tables and appendix say 99,447.
      { release: 'ons-dav-2020-11', release_date: '2020-11-25', vintage: 1n, vintages: 2n, raw: '99,447', value: 99447, previous_raw: null, revision: null, revision_direction: null, values_in_release: 2n },
      { release: 'ons-dav-2021-11', release_date: '2021-11-24', vintage: 2n, vintages: 2n, raw: '99,966', value: 99966, previous_raw: '99,447', revision: 519, revision_direction: 'up', values_in_release: 1n },
    ]);
    const [unchanged] = await query(
      `SELECT release, revision, revision_direction FROM observation_vintages WHERE measure_id = 'marac-cases' AND period = 'YE 2019-03' AND vintage = 2`,
    );
    expect(unchanged).toEqual({ release: 'ons-dav-2020-11', revision: 0, revision_direction: 'unchanged' });
  });

  it('latest_observations: one row per figure, the latest release’s value and how many releases state it', async () => {
    const [dupes] = await query(`SELECT count(*) - count(DISTINCT (measure_id, period, geography, breakdown)) AS n FROM latest_observations`);
    expect(dupes!['n']).toBe(0n);
    const [keys] = await query(`SELECT count(DISTINCT (measure_id, period, geography, breakdown)) AS n FROM observations`);
    const [rows] = await query(`SELECT count(*) AS n FROM latest_observations`);
    expect(rows!['n']).toBe(keys!['n']);
    const [row] = await query(
      `SELECT raw, release, releases, first_release, first_raw, revisions FROM latest_observations
       WHERE measure_id = 'marac-cases' AND period = 'YE 2020-03' AND geography = 'England and Wales'`,
    );
    expect(row).toEqual({ raw: '99,966', release: 'ons-dav-2021-11', releases: 2n, first_release: 'ons-dav-2020-11', first_raw: '99,447', revisions: 1n });
  });

  it('measure_series: MARAC cases by year for England and Wales, latest values in period order with the GSS code', async () => {
    const rows = await query(
      `SELECT period, period_start::VARCHAR AS start, raw, geography_code, previous_period, change FROM measure_series WHERE measure_id = 'marac-cases' AND geography = 'England and Wales'`,
    );
    expect(rows.map((r) => [r['period'], r['raw']])).toEqual([
      ['YE 2018-03', '88,461'],
      ['YE 2019-03', '93,892'],
      ['YE 2020-03', '99,966'],
      ['YE 2021-03', '107,855'],
      ['YE 2022-03', '114,067'],
      ['YE 2023-03', '111,418'],
    ]);
    expect(new Set(rows.map((r) => r['geography_code']))).toEqual(new Set(['K04000001']));
    expect(rows[0]).toMatchObject({ start: '2017-04-01', previous_period: null, change: null });
    expect(rows[5]).toMatchObject({ previous_period: 'YE 2022-03', change: -2649 });
  });

  it('measure_series: the IDVA FTE by region over time, from the survey\'s regional table (2019) and the ONS and survey England and Wales figures', async () => {
    const rows = await query(
      `SELECT geography_code, geography, period, raw FROM measure_series WHERE measure_id = 'idva-fte' AND geography_code LIKE 'E12%' ORDER BY geography_code, period_start`,
    );
    expect(new Set(rows.map((r) => r['geography_code'])).size).toBe(9); // the nine English regions
    expect(rows.find((r) => r['geography'] === 'North East' && r['period'] === '2019')?.['raw']).toBe('41');
    const national = await query(`SELECT period, raw FROM measure_series WHERE measure_id = 'idva-fte' AND geography_code = 'K04000001' ORDER BY period_start`);
    expect(national.map((r) => [r['period'], r['raw']])).toEqual([
      ['2017', '897'],
      ['2019', '980'],
    ]);
  });

  it('observations: the fact table holds over 1,000 values with a measure, a typed period and a GSS-coded area, and keys a breakdown by its labels', async () => {
    const [counts] = await query(
      `SELECT count(*) FILTER (WHERE period_type IS NOT NULL AND geography_code IS NOT NULL) AS complete, count(*) AS total FROM observations o JOIN documents d USING (document_id) WHERE d.edition_of IS NULL`,
    );
    expect(counts!['complete'] as bigint).toBeGreaterThan(1000n);
    // the Insights report's '2020' is its own reporting year, April 2019 to March 2020 (raw/manifest.json period_labels)
    const [ethnicity] = await query(
      `SELECT period, period_type, period_start::VARCHAR AS start, raw FROM observations WHERE measure_id = 'insights-cases-percent' AND breakdown = 'Ethnicity › English/ Welsh / Scottish / Northern Irish / British' ORDER BY period_start DESC LIMIT 1`,
    );
    expect(ethnicity).toMatchObject({ period: 'YE 2020-03', period_type: 'year_ending', start: '2019-04-01', raw: '80%' });
    // one value per key and release: a breakdown never stands for two categories
    const [dupes] = await query(
      `SELECT count(*) AS n FROM (SELECT measure_id, period, geography, breakdown, document_id FROM observations WHERE breakdown <> '' GROUP BY ALL HAVING count(*) > 1)`,
    );
    expect(dupes!['n']).toBe(0n);
  });

  it('cells: the area a cell is for, from its row labels (an area column grouping rows included), else its table and document', async () => {
    const [marac] = await query(`SELECT geography_code FROM cells WHERE locator = 'ons-dav-2020-11-appendix-accessible.xlsx!Table_2!D7'`);
    expect(marac).toEqual({ geography_code: 'K04000001' }); // Table 2: …, England and Wales
    const [wales] = await query(`SELECT geography_code FROM cells WHERE locator = 'ons-dav-2020-11-appendix-accessible.xlsx!Table_8!C7'`);
    expect(wales).toEqual({ geography_code: 'W92000004' }); // the row 'Wales'
    // the old-style workbook's Table 3 prints 'Total referrals' for England, then for Wales, under an area column written once
    const areas = await query(
      `SELECT row_path[1] AS area, geography_code FROM cells WHERE locator LIKE 'ons-dav-2020-11-appendix.xlsx!Table 3!%' AND row_path[-1] = 'Total referrals' GROUP BY ALL ORDER BY area`,
    );
    expect(areas).toEqual([
      { area: 'England', geography_code: 'E92000001' },
      { area: 'Wales', geography_code: 'W92000004' },
    ]);
  });

  it('primary_cells: the cells of primary editions only, so the PDF edition of a report is not counted twice', async () => {
    const [counts] = await query(
      `SELECT (SELECT count(*) FROM primary_cells) AS primary_cells,
              (SELECT count(*) FROM cells c JOIN documents d USING (document_id) WHERE d.edition_of IS NULL) AS expected,
              (SELECT count(*) FROM cells) AS all_cells,
              (SELECT count(*) FROM primary_cells p JOIN documents d USING (document_id) WHERE d.edition_of IS NOT NULL) AS editions`,
    );
    expect(counts!['primary_cells']).toBe(counts!['expected']);
    expect(counts!['editions']).toBe(0n);
    expect((counts!['primary_cells'] as bigint) < (counts!['all_cells'] as bigint)).toBe(true);
    const regions = await query(
      `SELECT geography_code, raw, release FROM primary_cells WHERE geography_code LIKE 'E12%' AND column_path[-1] = 'FTE Idvas' ORDER BY geography_code, release_date, release`,
    );
    expect(regions).toHaveLength(9); // nine regions, once each: the survey's text edition, not its PDF
    expect(regions[0]).toEqual({ geography_code: 'E12000001', raw: '41', release: 'safelives-practitioner-survey-2019' });
  });

  it('digests each view by its definition, beside the tables, and davs verify reproduces the warehouse exactly', async () => {
    for (const view of VIEWS) expect(digests[view.name], view.name).toMatch(/^[0-9a-f]{64}$/);
    expect(await tableDigests(db)).toEqual(digests);
    const verified = await verifyWarehouse({ rawDir: RAW, warehouseDir: warehouse, log: sink().log });
    expect(verified.lines.at(-1)).toBe('verified: reproduced exactly');
    expect(verified.exitCode).toBe(0);
  }, 60_000);

  it('notices a view a client redefined: its digest, and only its, changes', async () => {
    const copy = join(await tempDir('views-copy'), 'davs.duckdb');
    await copyFile(db, copy);
    await chmod(copy, 0o644);
    const instance = await DuckDBInstance.create(copy);
    const connection = await instance.connect();
    try {
      await connection.run('CREATE OR REPLACE VIEW latest_observations AS SELECT 1 AS one');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const after = await tableDigests(copy);
    expect(Object.keys(after).filter((name) => after[name] !== digests[name])).toEqual(['latest_observations']);
  }, 60_000);
});
