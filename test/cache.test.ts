/**
 * The document cache and the worker pool: a night that reads every document from the cache gives
 * the same warehouse and findings as one that reads none; a broken entry is read again; a changed
 * reader invalidates its own format's entries only; a document over its time limit fails alone and
 * its worker is replaced.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../extract/index.js';
import { CACHE_DIR, cacheKey, readCacheEntry, readEntryJudging } from '../pipelines/cache.js';
import { DEFAULT_CONFIG } from '../pipelines/config.js';
import { runNightly } from '../pipelines/run.js';
import { checkUnchanged } from '../pipelines/unchanged.js';
import { verifyWarehouse } from '../pipelines/verify.js';
import { WorkerPool } from '../pipelines/worker-pool.js';
import { RAW, davs, sink, smallCorpus, tempDir } from './helpers.js';

const FILES = ['ons-dav-2020-11.txt', 'ons-dav-2020-11-appendix.xlsx', 'safelives-practitioner-survey-2019.txt', 'safelives-practitioner-survey-2019.pdf'];

async function night(raw: string, warehouse: string, cache = true) {
  const { lines, log } = sink();
  const result = await runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log, cache, clock: () => new Date('2026-01-01T00:00:00Z') });
  const extract = lines.find((l) => l['msg'] === 'extract done')!;
  const findings = await readFile(join(warehouse, 'current', 'findings.json'), 'utf8');
  return { hash: result.run.warehouse_sha256, findings, cached: extract['cached'], processed: extract['processed'], result };
}

describe('document cache', () => {
  it('gives the same warehouse and findings from the cache as without it, and reads a broken entry again', async () => {
    const raw = await smallCorpus(FILES);
    const warehouse = await tempDir('cache');
    const cold = await night(raw, warehouse);
    expect(cold).toMatchObject({ cached: 0, processed: FILES.length });
    const warm = await night(raw, warehouse);
    expect(warm).toMatchObject({ cached: FILES.length, processed: 0 });
    expect(warm.hash).toBe(cold.hash);
    expect(warm.findings).toBe(cold.findings);
    // davs verify rebuilds without any cache: a warehouse published from the cache is reproduced exactly
    const verified = await verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log });
    expect(verified.lines.at(-1)).toBe('verified: reproduced exactly');

    // --no-cache reads every document again, to the same result
    const rebuilt = await night(raw, warehouse, false);
    expect(rebuilt).toMatchObject({ cached: 0, processed: FILES.length, hash: cold.hash, findings: cold.findings });

    // a damaged entry is not trusted: that document is read again
    const dir = join(warehouse, CACHE_DIR);
    const entries = (await readdir(dir)).sort();
    expect(entries).toHaveLength(FILES.length);
    // the report shows a primary edition's evidence only: the PDF edition's entry keeps none
    const withEvidence = [];
    for (const e of entries) if ((await readdir(join(dir, e))).includes('evidence.jsonl')) withEvidence.push(e);
    expect(withEvidence).toHaveLength(FILES.length - 1);
    await writeFile(join(dir, withEvidence[0]!, 'evidence.jsonl'), '{"tables": 1}');
    const repaired = await night(raw, warehouse);
    expect(repaired).toMatchObject({ cached: FILES.length - 1, processed: 1, hash: cold.hash, findings: cold.findings });
    // nor is a primary edition's entry without its evidence, even one whose manifest does not list it
    const manifestFile = join(dir, withEvidence[1]!, 'entry.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { sha256: Record<string, string> };
    delete manifest.sha256['evidence.jsonl'];
    await writeFile(manifestFile, JSON.stringify(manifest));
    await rm(join(dir, withEvidence[1]!, 'evidence.jsonl'));
    const refilled = await night(raw, warehouse);
    expect(refilled).toMatchObject({ cached: FILES.length - 1, processed: 1, hash: cold.hash, findings: cold.findings });

    // one document changed: it is read again, and so is its PDF edition (whose record names the
    // text's new document id); the others come from the cache, and entries no run uses are removed
    const survey = join(raw, 'safelives-practitioner-survey-2019.txt');
    await writeFile(survey, (await readFile(survey, 'utf8')).replace('93,892', '93,893'));
    const changed = await night(raw, warehouse);
    expect(changed).toMatchObject({ cached: FILES.length - 2, processed: 2 });
    expect(changed.hash).not.toBe(cold.hash);
    expect(await readdir(dir)).toHaveLength(FILES.length);

    // a row file that is not what was written is not trusted either
    const entry = (await readdir(dir)).sort()[0]!;
    const rows = (await readdir(join(dir, entry))).find((n) => n.endsWith('.jsonl'))!;
    await writeFile(join(dir, entry, rows), '{}\n', { flag: 'a' });
    const again = await night(raw, warehouse);
    expect(again).toMatchObject({ cached: FILES.length - 1, processed: 1, hash: changed.hash, findings: changed.findings });
  }, 300_000);

  it('holds a document\'s record and sizes in memory; its checks read the rest from its entry, as written', async () => {
    const raw = await smallCorpus(['ons-dav-2020-11.txt']);
    const warehouse = await tempDir('cache-judging');
    await night(raw, warehouse);
    const dir = join(warehouse, CACHE_DIR);
    const [key] = await readdir(dir);
    const entry = (await readCacheEntry(join(dir, key!)))!;
    expect(Object.keys(entry.summary).sort()).toEqual(['counts', 'document']);
    const judging = await readEntryJudging(entry);
    expect(judging.statements).toHaveLength(entry.summary.counts.statements);
    expect(judging.statements.length).toBeGreaterThan(0);
    expect(judging.checks).not.toBeNull();
    // an entry changed after the run read it is an error that names the file, not a different judgement
    const file = join(dir, key!, 'judging.json');
    await writeFile(file, JSON.stringify({ ...judging, statements: [] }));
    await expect(readEntryJudging(entry)).rejects.toThrow(`${file}: this cache entry changed while the run was using it`);
    // and the next run does not trust it: the document is read again, to the same findings
    const again = await night(raw, warehouse);
    expect(again).toMatchObject({ cached: 0, processed: 1 });
  }, 120_000);

  it('keys an entry by content, limits and its own format\'s reader code only', async () => {
    const raw = await smallCorpus(FILES);
    const { documents } = await readCorpus(raw);
    const text = documents.find((d) => d.record.format === 'text')!.record;
    const pdf = documents.find((d) => d.record.format === 'pdf')!.record;
    const code = { text: 'a', pdf: 'b', xlsx: 'c' };
    const newPdfReader = { ...code, pdf: 'b2' };
    expect(cacheKey(text, DEFAULT_CONFIG.limits, newPdfReader)).toBe(cacheKey(text, DEFAULT_CONFIG.limits, code));
    expect(cacheKey(pdf, DEFAULT_CONFIG.limits, newPdfReader)).not.toBe(cacheKey(pdf, DEFAULT_CONFIG.limits, code));
    const tighter = { ...DEFAULT_CONFIG.limits, pdf: { ...DEFAULT_CONFIG.limits.pdf, timeoutMs: 1000 } };
    expect(cacheKey(pdf, tighter, code)).not.toBe(cacheKey(pdf, DEFAULT_CONFIG.limits, code));
    expect(cacheKey(text, tighter, code)).toBe(cacheKey(text, DEFAULT_CONFIG.limits, code));
    expect(cacheKey({ ...text, sha256: '0'.repeat(64) }, DEFAULT_CONFIG.limits, code)).not.toBe(cacheKey(text, DEFAULT_CONFIG.limits, code));
  });
});

describe('an unchanged night', () => {
  it('says so, publishes nothing and exits as the published run would; any change to inputs or decisions runs in full', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('unchanged');
    const run = (...extra: string[]) => davs(['run', '--raw', raw, '--warehouse', warehouse, '--fail-on', 'error', ...extra]);
    const first = await run();
    expect(first.exitCode).toBe(2); // the three ONS articles have error findings
    const published = await readFile(join(warehouse, 'current', 'run.json'), 'utf8');

    const second = await run();
    expect(second.exitCode).toBe(2);
    expect(String(second.stdout)).toMatch(/nothing changed since the published run run-/);
    expect(await readFile(join(warehouse, 'current', 'run.json'), 'utf8')).toBe(published);
    // --fail-on is applied to what the published run found
    expect((await run('--fail-on', 'never')).exitCode).toBe(0);

    // another decisions file: not unchanged (a whole run, the documents from the cache)
    const decisions = join(warehouse, '..', `${warehouse.split('/').pop()}-decisions.jsonl`);
    await writeFile(decisions, '');
    const third = await run('--decisions', decisions);
    expect(String(third.stdout)).not.toMatch(/nothing changed/);
    expect(String(third.stdout)).toMatch(/"cached":3,"processed":0/);
    expect(await readFile(join(warehouse, 'current', 'run.json'), 'utf8')).not.toBe(published);
    // (whether the CLI starts its workers first: only for raw files other than the published run's)
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const check = (decisions?: string) => checkUnchanged({ raw, warehouse, config: undefined, decisions, failOn: 'error' }, version);
    expect(await check(decisions)).toMatchObject({ unchanged: true });
    expect(await check()).toMatchObject({ unchanged: false, rawChanged: false });

    // a changed raw file: not unchanged either
    await writeFile(join(raw, 'ons-dav-2023-11.txt'), `${await readFile(join(raw, 'ons-dav-2023-11.txt'), 'utf8')}\n`);
    expect(await check(decisions)).toMatchObject({ unchanged: false, rawChanged: true });
    const fourth = await run('--decisions', decisions);
    expect(String(fourth.stdout)).not.toMatch(/nothing changed/);
    // the log names what changed since the last published run
    expect(String(fourth.stdout)).toMatch(/"added":0,"changed":1,"removed":0,"added_files":\[\],"changed_files":\["ons-dav-2023-11.txt"\]/);
  }, 300_000);
});

describe('worker pool', () => {
  it('fails a document over its time limit, names the file, and goes on with a new worker', async () => {
    const raw = await smallCorpus(FILES);
    const { documents } = await readCorpus(raw);
    const pdf = documents.find((d) => d.record.format === 'pdf')!;
    const text = documents.find((d) => d.record.format === 'text')!;
    const pool = new WorkerPool({ size: 1, maxHeapMb: 1024 });
    try {
      const [slow, next] = await Promise.all([pool.run(pdf.record, join(raw, pdf.record.file), DEFAULT_CONFIG.limits, 1, join(raw, 'entry-pdf')), pool.run(text.record, join(raw, text.record.file), DEFAULT_CONFIG.limits, 60_000, join(raw, 'entry-text'))]);
      expect(slow.ok).toBe(false);
      if (!slow.ok) expect(slow.error.message).toMatch(/safelives-practitioner-survey-2019\.pdf: took longer than 1 ms/);
      expect(next.ok).toBe(true);
      if (next.ok) expect(next.entry.summary.document.file).toBe(text.record.file);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('fails a document whose worker runs out of memory, names the file and the limit, and goes on with a new worker', async () => {
    const { documents } = await readCorpus(RAW);
    const small = documents.find((d) => d.record.file === 'ons-dav-2023-11.txt')!;
    const big = documents.find((d) => d.record.file === 'safelives-insights-idva-2019-20.pdf')!;
    const dir = await tempDir('oom');
    // 24 MB of heap: enough to start a worker and read a short article, not to lay out a 30-page PDF
    const pool = new WorkerPool({ size: 1, maxHeapMb: 24 });
    try {
      const before = await pool.run(small.record, join(RAW, small.record.file), DEFAULT_CONFIG.limits, 60_000, join(dir, 'a'));
      const over = await pool.run(big.record, join(RAW, big.record.file), DEFAULT_CONFIG.limits, 60_000, join(dir, 'b'));
      const after = await pool.run(small.record, join(RAW, small.record.file), DEFAULT_CONFIG.limits, 60_000, join(dir, 'c'));
      expect(before.ok).toBe(true);
      expect(over.ok).toBe(false);
      if (!over.ok) expect(over.error.message).toMatch(/safelives-insights-idva-2019-20\.pdf: needed more than the 24 MB of memory a document may use/);
      expect(after.ok).toBe(true);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('refuses a document whose file changed after the run read it, names the file, and reads the next', async () => {
    const raw = await smallCorpus(FILES);
    const { documents } = await readCorpus(raw);
    const text = documents.find((d) => d.record.format === 'text')!;
    const pool = new WorkerPool({ size: 1, maxHeapMb: 1024 });
    try {
      await writeFile(join(raw, text.record.file), `${await readFile(join(raw, text.record.file), 'utf8')}\n`);
      const changed = await pool.run(text.record, join(raw, text.record.file), DEFAULT_CONFIG.limits, 60_000, join(raw, 'entry-changed'));
      const gone = await pool.run(text.record, join(raw, 'gone.txt'), DEFAULT_CONFIG.limits, 60_000, join(raw, 'entry-gone'));
      const pdf = documents.find((d) => d.record.format === 'pdf')!;
      const next = await pool.run(pdf.record, join(raw, pdf.record.file), DEFAULT_CONFIG.limits, 60_000, join(raw, 'entry-pdf'));
      expect(changed).toMatchObject({ ok: false, stage: 'extract' });
      if (!changed.ok) expect(changed.error.message).toBe(`[input-unreadable] ${text.record.file}: the file changed after the run read it (its sha256 is not the one the run described it by) (the next run reads it as it is then)`);
      expect(gone).toMatchObject({ ok: false, stage: 'extract' });
      if (!gone.ok) expect(gone.error.message).toMatch(new RegExp(`^\\[input-unreadable\\] ${text.record.file.replace('.', '\\.')}: cannot be read again \\(ENOENT\\)`));
      expect(next.ok).toBe(true);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('fails every task when workers cannot start at all, instead of starting them again and again', async () => {
    const raw = await smallCorpus(FILES);
    const { documents } = await readCorpus(raw);
    const text = documents.find((d) => d.record.format === 'text')!;
    // a heap too small to load the worker's code: the pool gives up after a few starts instead of respawning forever
    const pool = new WorkerPool({ size: 2, maxHeapMb: 2 });
    try {
      const outcome = await pool.run(text.record, join(raw, text.record.file), DEFAULT_CONFIG.limits, 60_000, join(raw, 'entry-text'));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.message).toMatch(/ons-dav-2020-11\.txt: was not read: the document workers could not start/);
    } finally {
      await pool.close();
    }
  });
});
