import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { withoutRunBlock } from '../checks/report/changes.js';
import type { Finding } from '../checks/index.js';
import { runNightly, type RunResult } from '../pipelines/run.js';
import { RAW, queryWarehouse, sink } from './helpers.js';


async function run(rawDir: string, clock: string): Promise<{ result: RunResult; warehouse: string; log: Array<Record<string, unknown>> }> {
  const warehouse = await mkdtemp(join(tmpdir(), 'davs-wh-'));
  const { lines, log } = sink();
  const result = await runNightly({ rawDir, warehouseDir: warehouse, failOn: 'never', log, clock: () => new Date(clock) });
  return { result, warehouse, log: lines };
}

/** Every table of the warehouse but `runs`, as sorted rows of text: what "identical content" means. */
async function dump(path: string): Promise<Record<string, string[]>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (await (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name`)).getRowObjects()).map((r) => String(r.table_name));
    const out: Record<string, string[]> = {};
    for (const table of tables.filter((t) => t !== 'runs')) {
      const rows = (await connection.runAndReadAll(`SELECT * FROM "${table}"`)).getRowObjectsJson();
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('nightly run over the bundled raw/ corpus', () => {
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;
  let findings: Finding[];

  beforeAll(async () => {
    first = await run(RAW, '2026-01-01T02:00:00Z');
    second = await run(RAW, '2026-01-02T02:00:00Z');
    findings = JSON.parse(await readFile(join(first.warehouse, 'reports', 'latest', 'findings.json'), 'utf8')) as Finding[];
  });

  it('completes with exit 0 and writes the warehouse and the three reports', async () => {
    expect(first.result.exitCode).toBe(0);
    expect(first.result.failures).toEqual([]);
    for (const file of ['findings.json', 'report.md', 'report.html']) {
      expect((await readFile(join(first.warehouse, 'reports', 'latest', file), 'utf8')).length).toBeGreaterThan(100);
    }
    const counts = await dump(join(first.warehouse, 'davs.duckdb'));
    expect(counts.documents).toHaveLength(9); // five releases, two SafeLives reports also as PDF, and the 2020 article's two appendix workbooks
    expect(counts.cells!.length).toBeGreaterThan(4000);
  });

  it("shows each finding's evidence as printed, read back from the run's evidence shelf, which is not published", async () => {
    const html = await readFile(join(first.warehouse, 'reports', 'latest', 'report.html'), 'utf8');
    const tables = html.split('<table class="asprinted">').length - 1;
    const sentences = html.split('<blockquote class="prose">').length - 1;
    // most findings rest on table cells; the change findings on sentences
    expect(tables).toBeGreaterThan(findings.length / 2);
    expect(sentences).toBeGreaterThan(0);
    expect((await readdir(join(first.warehouse, 'reports', 'latest'))).filter((f) => !/\.(json|md|html|duckdb)$/.test(f))).toEqual([]);
  });

  it('finds the November 2020 article’s 99,467 against its 99,447, with both locations', () => {
    const f = findings.find((x) => x.check === 'restated-figure' && x.message.includes('99,467'));
    expect(f).toBeDefined();
    expect(f!.severity).toBe('error');
    const where = f!.evidence.map((e) => e.where);
    expect(where).toContain('ons-dav-2020-11.txt:L36');
    expect(where).toContain('ons-dav-2020-11.txt:L140');
  });

  it('links every piece of finding evidence to its document: finding_evidence.document_id joins documents', async () => {
    const [row] = await queryWarehouse(join(first.warehouse, 'davs.duckdb'), 'SELECT count(*) AS evidence, count(d.document_id) AS joined FROM finding_evidence e LEFT JOIN documents d USING (document_id)');
    expect(Number(row!.evidence)).toBeGreaterThan(0);
    expect(row!.joined).toBe(row!.evidence);
  });

  it('gives each observation its period as dates: MARAC cases for the year ending March 2020 run 2019-04-01 to 2020-03-31', async () => {
    const db = join(first.warehouse, 'davs.duckdb');
    const rows = await queryWarehouse(
      db,
      `SELECT DISTINCT period_type, period_start::VARCHAR AS period_start, period_end::VARCHAR AS period_end FROM observations WHERE measure_id = 'marac-cases' AND period = 'YE 2020-03'`,
    );
    expect(rows).toEqual([{ period_type: 'year_ending', period_start: '2019-04-01', period_end: '2020-03-31' }]);
    const [untyped] = await queryWarehouse(db, 'SELECT count(*) AS n FROM observations WHERE period_start IS NULL OR period_end < period_start');
    expect(Number(untyped!.n)).toBe(0);
  });

  it('raises nothing on a multi-response table ("Details of physical abuse", lines 656-670)', () => {
    const onIt = findings.filter((f) => f.evidence.some((e) => e.locator.kind === 'line' && e.locator.document === 'safelives-insights-idva-2019-20.txt' && e.locator.line >= 656 && e.locator.line <= 670));
    expect(onIt).toEqual([]);
  });

  it('is reproducible: byte-identical findings and reports (written on this thread or another), identical warehouse content apart from runs', async () => {
    for (const file of ['findings.json', 'report.md', 'report.html', 'checks.json']) {
      // byte-identical but for the block naming the run (its id and time, what changed since the run before)
      const a = await readFile(join(first.warehouse, 'reports', 'latest', file), 'utf8');
      const b = await readFile(join(second.warehouse, 'reports', 'latest', file), 'utf8');
      if (file.startsWith('report.')) expect(a.includes('davs:run'), file).toBe(true);
      expect(withoutRunBlock(a) === withoutRunBlock(b), file).toBe(true);
    }
    expect(await dump(join(first.warehouse, 'davs.duckdb'))).toEqual(await dump(join(second.warehouse, 'davs.duckdb')));
    expect(first.result.run.run_id).not.toBe(second.result.run.run_id);
  });

  it('logs one info line per stage with counts and a duration (the load in three: the observations the checks query, the other document tables, the rest)', () => {
    const stages = first.log.filter((l) => l.level === 30 && typeof l.stage === 'string' && typeof l.duration_ms === 'number').map((l) => l.stage);
    // the extract ends once every document is read: the observations' load, the transform and the
    // checks do not wait for the other editions, the other document tables do
    const extract = stages.indexOf('extract');
    expect(stages.filter((s) => s !== 'extract')).toEqual(['load', 'transform', 'checks', 'load', 'report', 'load', 'publish']);
    expect(stages.filter((s) => s === 'extract')).toHaveLength(1);
    expect(extract).toBeLessThan(stages.indexOf('report'));
    const messages = first.log.filter((l) => l.level === 30 && typeof l.duration_ms === 'number').map((l) => l.msg);
    expect(messages.indexOf('extract done')).toBeLessThan(messages.indexOf('document tables loaded'));
    expect(messages.indexOf('observations loaded')).toBeLessThan(messages.indexOf('checks done'));
  });

  it("gives each stage's line the process's memory high-water mark so far, which never falls", () => {
    const marks = first.log.filter((l) => l.level === 30 && typeof l.duration_ms === 'number').map((l) => l.max_rss_mb);
    expect(marks.length).toBe(8);
    for (const [i, mb] of marks.entries()) {
      expect(Number.isInteger(mb) && (mb as number) > 0, `stage line ${i}: ${String(mb)}`).toBe(true);
      if (i > 0) expect(mb as number).toBeGreaterThanOrEqual(marks[i - 1] as number);
    }
  });
});

describe('bad input costs nothing else', () => {
  it('skips an unreadable document with a clear error, loads the rest and keeps exit 0', async () => {
    const raw = await mkdtemp(join(tmpdir(), 'davs-raw-'));
    await cp(RAW, raw, { recursive: true });
    await writeFile(join(raw, 'broken.txt'), Buffer.from([0x52, 0x65, 0xff, 0xfe, 0x0a]));
    const bad = join(import.meta.dirname, 'fixtures', 'workbooks');
    await cp(join(bad, 'zip-bomb.xlsx'), join(raw, 'zip-bomb.xlsx'));
    await cp(join(bad, 'password-protected.xlsx'), join(raw, 'password-protected.xlsx'));
    const { result, warehouse, log } = await run(raw, '2026-01-03T02:00:00Z');
    expect(result.exitCode).toBe(0);
    expect(result.failures.map((f) => f.file)).toEqual(['broken.txt', 'password-protected.xlsx', 'zip-bomb.xlsx']);
    expect(result.failures[0]).toMatchObject({ file: 'broken.txt', code: 'input-unreadable', stage: 'extract' });
    for (const f of result.failures) expect(f.message).toContain(f.file);
    expect(log.some((l) => l.level === 50 && l.document === 'broken.txt')).toBe(true);
    const content = await dump(join(warehouse, 'davs.duckdb'));
    expect(content.documents).toHaveLength(12); // every file of raw/ is listed; document_failures says which failed
    // each of the three failed, and none of the three is listed in the manifest
    expect(content.document_problems!.filter((r) => r.includes('"kind":"failed"'))).toHaveLength(3);
    expect(content.document_problems!.filter((r) => r.includes('"kind":"unlisted"'))).toHaveLength(3);
    expect(content.tables!.length).toBeGreaterThan(100);
  });

  it('turns --fail-on error into exit 2 when errors are found', async () => {
    const warehouse = await mkdtemp(join(tmpdir(), 'davs-wh-'));
    const result = await runNightly({ rawDir: RAW, warehouseDir: warehouse, failOn: 'error', log: sink().log, clock: () => new Date('2026-01-04T02:00:00Z') });
    expect(result.exitCode).toBe(2);
  });
});
