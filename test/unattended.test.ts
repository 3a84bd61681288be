/**
 * Issue 8, unattended nights: no document sinks a run, a run that should not publish does not,
 * locks and leftovers of dead runs are handled, and a run can be verified. In-process runs.
 */
import { chmod, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDigests } from '../load/index.js';
import { EXIT, PublishRefused, exitCodeOf, runNightly, type RunResult } from '../pipelines/run.js';
import { verifyWarehouse } from '../pipelines/verify.js';
import { hostileCorpus } from './hostile.js';
import { queryWarehouse, sink, smallCorpus, snapshot, tempDir } from './helpers.js';

const query = queryWarehouse;

function nightly(rawDir: string, warehouseDir: string, extra: Partial<Parameters<typeof runNightly>[0]> = {}): Promise<RunResult> {
  return runNightly({ rawDir, warehouseDir, failOn: 'never', log: sink().log, ...extra });
}

describe('a raw folder with every kind of bad document (issue 8)', () => {
  let result: RunResult;
  let warehouse: string;
  let report: string;
  beforeAll(async () => {
    const raw = await tempDir('hostile');
    await hostileCorpus(raw);
    warehouse = await tempDir('wh');
    result = await nightly(raw, warehouse);
    report = await readFile(join(warehouse, 'reports', 'latest', 'report.md'), 'utf8');
  }, 300_000);

  it('publishes with exit 0, every good document loaded', async () => {
    expect(result.exitCode).toBe(0);
    const docs = await query(join(warehouse, 'davs.duckdb'), 'SELECT file, (SELECT count(*) FROM cells c WHERE c.document_id = d.document_id) AS cells FROM documents d ORDER BY file');
    const files = docs.map((d) => d.file);
    for (const f of ['big-table.txt', 'ons-dav-2020-11.txt', 'repeated-paragraph.pdf', 'safelives-insights-idva-2019-20.pdf', 'scanned.pdf', 'utf16.txt']) expect(files).toContain(f);
    expect(Number(docs.find((d) => d.file === 'big-table.txt')!.cells)).toBe(120_000);
    expect(result.failures).toEqual([]);
  });

  it('reads the UTF-16 text and every sentence of the repeated paragraph, each its own statement', async () => {
    const rows = await query(join(warehouse, 'davs.duckdb'), "SELECT s.raw, d.file FROM statements s JOIN documents d USING (document_id) WHERE d.file IN ('utf16.txt', 'repeated-paragraph.pdf') ORDER BY d.file, s.statement_id");
    expect(rows.filter((r) => r.file === 'utf16.txt').map((r) => r.raw)).toContain('12,345');
    expect(rows.filter((r) => r.file === 'repeated-paragraph.pdf' && r.raw === '3,074').length).toBeGreaterThanOrEqual(2);
  });

  it('lists each bad file with its reason in report.md and in document_problems', async () => {
    const problems = await query(join(warehouse, 'davs.duckdb'), 'SELECT file, kind, severity FROM document_problems ORDER BY file, kind');
    const expected = [
      { file: 'archive/', kind: 'skipped', severity: 'warning' },
      { file: 'minutes.docx', kind: 'skipped', severity: 'warning' },
      { file: 'ons-dav-2022-11.txt', kind: 'missing', severity: 'error' },
      { file: 'scanned.pdf', kind: 'empty', severity: 'warning' },
    ];
    for (const p of expected) {
      expect(problems).toContainEqual(p);
      expect(report).toContain(p.file);
    }
    expect(report).toMatch(/ons-dav-2022-11\.txt.*missing/);
    expect(report).toMatch(/scanned\.pdf.*no tables and no numbers/);
  });

  it('lets --fail-on fail on lost documents (exit 3 before findings)', () => {
    expect(exitCodeOf('error', result.findings, result.problems)).toBe(EXIT.documents);
    expect(exitCodeOf('error', result.findings, [])).toBe(EXIT.findings);
    expect(exitCodeOf('never', result.findings, result.problems)).toBe(EXIT.ok);
  });
});

describe('two files with one slug and the same bytes', () => {
  it('are two documents with two ids, both loaded', async () => {
    const raw = await smallCorpus();
    await cp(join(raw, 'ons-dav-2021-11.txt'), join(raw, 'ons_dav_2021_11.txt'));
    const warehouse = await tempDir('wh');
    const result = await nightly(raw, warehouse);
    expect(result.failures).toEqual([]);
    const ids = await query(join(warehouse, 'davs.duckdb'), "SELECT file, document_id FROM documents WHERE file LIKE 'ons%2021%' ORDER BY file");
    expect(ids[0]!.document_id).toBe('ons-dav-2021-11-7a1e8d9752d0');
    expect(ids[1]!.document_id).toMatch(/^ons-dav-2021-11-[0-9a-f]{12}$/);
    expect(ids[1]!.document_id).not.toBe(ids[0]!.document_id);
    const loaded = await query(join(warehouse, 'davs.duckdb'), 'SELECT count(DISTINCT document_id) AS n FROM statements');
    expect(Number(loaded[0]!.n)).toBe(4);
  });
});

describe('guards: what must not be published is not', () => {
  it('refuses an empty corpus and a corpus that lost most documents; --allow-shrink publishes', async () => {
    const warehouse = await tempDir('wh');
    const full = await nightly(await smallCorpus(), warehouse);
    const before = await snapshot(warehouse);

    const empty = await tempDir('empty');
    await expect(nightly(empty, warehouse)).rejects.toThrow(PublishRefused);
    await expect(nightly(join(empty, 'not-mounted'), warehouse)).rejects.toThrow(/cannot list the raw folder/);
    const one = await smallCorpus(['ons-dav-2023-11.txt']);
    await expect(nightly(one, warehouse)).rejects.toThrow(/1 documents loaded against 3 in the last published run/);
    expect(await snapshot(warehouse)).toEqual(before);
    expect((await readdir(warehouse)).filter((n) => n.startsWith('.staging'))).toEqual([]);

    const shrunk = await nightly(one, warehouse, { allowShrink: true });
    expect(shrunk.run.documents).toBe(1);
    expect((await snapshot(warehouse)).current).not.toBe(before.current);
    expect(full.run.cells).toBeGreaterThan(shrunk.run.cells);
  });
});

describe('locks and leftovers', () => {
  it('lets one of two simultaneous runs through; the other is told the warehouse is locked', async () => {
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    const warehouse = await tempDir('wh');
    const [a, b] = await Promise.allSettled([nightly(raw, warehouse), nightly(raw, warehouse)]);
    const outcomes = [a.status, b.status].sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const rejected = [a, b].find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect(String(rejected.reason)).toMatch(/warehouse-locked/);
  });

  it('takes over the lock of a dead process and removes staging folders and unpublished runs it left', async () => {
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    const warehouse = await tempDir('wh');
    const first = await nightly(raw, warehouse);
    await writeFile(join(warehouse, '.lock'), JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), run_id: 'run-dead' }));
    await mkdir(join(warehouse, '.staging-run-dead'));
    await writeFile(join(warehouse, '.staging-run-dead', 'davs.duckdb'), 'half a file');
    await mkdir(join(warehouse, 'runs', 'run-99999999T000000000Z-1-abcdef'));
    const { lines, log } = sink();
    const second = await runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log });
    expect(second.run.run_id).not.toBe(first.run.run_id);
    const left = await readdir(warehouse);
    expect(left.filter((n) => n.startsWith('.staging') || n === '.lock')).toEqual([]);
    expect(await readdir(join(warehouse, 'runs'))).toEqual([first.run.run_id, second.run.run_id].sort());
    expect(lines.filter((l) => l.level === 40 && /interrupted/.test(String(l.msg))).length).toBe(2);
  });
});

describe('history', () => {
  it('keeps the last 10 published runs, read-only, and removes older ones', async () => {
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    const warehouse = await tempDir('wh');
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await nightly(raw, warehouse)).run.run_id);
    const kept = await readdir(join(warehouse, 'runs'));
    expect(kept).toEqual(ids.slice(1).sort());
    expect((await snapshot(warehouse)).current).toBe(join('runs', ids[10]!));
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(warehouse, 'runs', ids[10]!))).mode & 0o777).toBe(0o555);
    expect((await stat(join(warehouse, 'runs', ids[10]!, 'davs.duckdb'))).mode & 0o777).toBe(0o444);
  }, 60_000);
});

describe('davs verify', () => {
  it('passes on a fresh run and names the table a client changed after publishing', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('wh');
    const run = await nightly(raw, warehouse);
    expect(await tableDigests(join(warehouse, 'davs.duckdb'))).toEqual(run.run.table_sha256);
    const ok = await verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log });
    expect(ok.exitCode).toBe(EXIT.ok);
    expect(ok.lines.at(-1)).toBe('verified: reproduced exactly');

    // the owner of the files can always make them writable again: what verify is for
    const dir = join(warehouse, 'runs', run.run.run_id);
    await chmod(dir, 0o755);
    await chmod(join(dir, 'davs.duckdb'), 0o644);
    const instance = await DuckDBInstance.create(join(dir, 'davs.duckdb'));
    const connection = await instance.connect();
    await connection.run('DELETE FROM findings WHERE severity = \'error\'');
    await connection.run('CHECKPOINT');
    connection.closeSync();
    instance.closeSync();
    const changed = await verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log });
    expect(changed.exitCode).toBe(EXIT.differs);
    expect(changed.differs).toEqual([{ table: 'findings', where: 'published' }]);
    expect(changed.lines.join('\n')).toMatch(/changed since publishing in findings/);

    await writeFile(join(raw, 'ons-dav-2023-11.txt'), `${await readFile(join(raw, 'ons-dav-2023-11.txt'), 'utf8')}\nA new line stating 42,000 calls.\n`);
    const rebuilt = await verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log });
    expect(rebuilt.differs.filter((d) => d.where === 'rebuilt').map((d) => d.table)).toContain('statements');
    expect(rebuilt.lines.join('\n')).toMatch(/input changed since: ons-dav-2023-11\.txt/);
    await rm(warehouse, { recursive: true, force: true }).catch(() => undefined);
  });

  it('refuses a run.json whose digests another definition computed, instead of calling every table changed', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('wh');
    const run = await nightly(raw, warehouse);
    const dir = join(warehouse, 'runs', run.run.run_id);
    await chmod(dir, 0o755);
    const manifest = join(dir, 'run.json');
    await chmod(manifest, 0o644);
    const { table_digest: _named, ...older } = JSON.parse(await readFile(manifest, 'utf8')) as Record<string, unknown>;
    await writeFile(manifest, JSON.stringify(older));
    await expect(verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log })).rejects.toThrow(/digests as an older davs computed them, this davs computes sha256-of-row-md5-sums/);
    await rm(warehouse, { recursive: true, force: true }).catch(() => undefined);
  });
});
