import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECISIONS_HEADER, parseDecisions, readDecisions } from '../checks/decisions.js';
import type { Finding } from '../checks/index.js';
import { UsageError } from '../core/index.js';
import { main } from '../pipelines/cli.js';
import { review } from '../pipelines/commands.js';
import { loadConfig } from '../pipelines/config.js';
import { runNightly, type RunResult } from '../pipelines/run.js';
import { queryWarehouse, sink, smallCorpus, tempDir } from './helpers.js';

const GONE = 'restated-figure:000000000000';

async function nightly(raw: string, warehouse: string, decisionsFile: string, failOn: 'error' | 'never' = 'never'): Promise<RunResult> {
  const { log } = sink();
  return runNightly({ rawDir: raw, warehouseDir: warehouse, failOn, log, clock: () => new Date('2026-01-01T02:00:00Z'), decisionsFile });
}

function report(warehouse: string, file: 'report.md' | 'report.html' | 'findings.json'): Promise<string> {
  return readFile(join(warehouse, 'reports', 'latest', file), 'utf8');
}

describe('davs review and decisions that last', () => {
  let raw: string;
  let warehouse: string;
  let findings: Finding[];
  let errors: Finding[];

  beforeAll(async () => {
    raw = await smallCorpus();
    warehouse = await tempDir('wh');
    const first = await nightly(raw, warehouse, join(await tempDir('none'), 'decisions.jsonl'), 'error');
    expect(first.exitCode).toBe(2); // errors found, none decided
    findings = JSON.parse(await report(warehouse, 'findings.json')) as Finding[];
    errors = findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.severity === 'warning')).toBe(true);
  });

  it('writes an entry with a header, and replaces it when the finding is decided again', async () => {
    const file = join(await tempDir('review'), 'decisions.jsonl');
    const id = errors[0]!.id;
    const line = await review({ findingId: id, verdict: 'confirmed', note: 'checked against the PDF', by: 'A. Steward', force: false, decisionsFile: file, warehouseDir: warehouse });
    expect(line).toContain(id);
    let text = await readFile(file, 'utf8');
    expect(text.startsWith(DECISIONS_HEADER.join('\n'))).toBe(true);
    let entries = parseDecisions(text, file);
    expect(entries).toEqual([{ finding_id: id, verdict: 'confirmed', note: 'checked against the PDF', by: 'A. Steward', decided_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);

    // another finding sorts in by id; deciding the first again replaces its line
    const other = findings.find((f) => f.id !== id)!;
    await review({ findingId: other.id, verdict: 'explained', note: 'footnote 3 explains it', by: 'B. Steward', force: false, decisionsFile: file, warehouseDir: warehouse });
    const again = await review({ findingId: id, verdict: 'false-alarm', note: 'the table is multi-response', by: 'B. Steward', force: false, decisionsFile: file, warehouseDir: warehouse });
    expect(again).toContain('replaces confirmed by A. Steward');
    text = await readFile(file, 'utf8');
    entries = parseDecisions(text, file);
    expect(entries.map((e) => e.finding_id)).toEqual([id, other.id].sort());
    expect(entries.find((e) => e.finding_id === id)).toMatchObject({ verdict: 'false-alarm', note: 'the table is multi-response', by: 'B. Steward' });
    const dataLines = text.split('\n').filter((l) => l.startsWith('{'));
    expect(dataLines).toHaveLength(2);
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toEqual(DECISIONS_HEADER);
  });

  it('refuses an unknown finding id (unless --force), an empty note and a bad verdict', async () => {
    const file = join(await tempDir('review'), 'decisions.jsonl');
    const base = { verdict: 'confirmed', note: 'why', by: 'A. Steward', force: false, decisionsFile: file, warehouseDir: warehouse };
    await expect(review({ ...base, findingId: GONE })).rejects.toThrow(UsageError);
    await expect(review({ ...base, findingId: GONE })).rejects.toThrow(/not in the last published run's findings/);
    await expect(review({ ...base, findingId: errors[0]!.id, note: '   ' })).rejects.toThrow(/--note is required and may not be empty/);
    await expect(review({ ...base, findingId: errors[0]!.id, note: undefined })).rejects.toThrow(/--note is required/);
    await expect(review({ ...base, findingId: errors[0]!.id, verdict: 'maybe' })).rejects.toThrow(/--verdict must be one of confirmed, false-alarm, explained, fixed-upstream/);
    await expect(review({ ...base, findingId: 'not-an-id' })).rejects.toThrow(/not a finding id/);
    expect(await readDecisions(file)).toEqual([]); // nothing written

    await review({ ...base, findingId: GONE, force: true });
    expect((await readDecisions(file)).map((d) => d.finding_id)).toEqual([GONE]);
  });

  it('exits 1 from the command line on a usage error, 0 when recorded', async () => {
    const file = join(await tempDir('review'), 'decisions.jsonl');
    const quiet = ['--log-level', 'silent', '--warehouse', warehouse, '--decisions', file];
    expect(await main(['review', GONE, '--verdict', 'confirmed', '--note', 'why', '--by', 'X', ...quiet])).toBe(1);
    expect(await main(['review', errors[0]!.id, '--verdict', 'confirmed', '--note', '', '--by', 'X', ...quiet])).toBe(1);
    expect(await main(['run', '--verdict', 'confirmed', ...quiet])).toBe(1);
    expect(await readDecisions(file)).toEqual([]);
    expect(await main(['review', errors[0]!.id, '--verdict', 'fixed-upstream', '--note', 'corrected in the 2021 release', '--by', 'X', ...quiet])).toBe(0);
    expect(await readDecisions(file)).toMatchObject([{ finding_id: errors[0]!.id, verdict: 'fixed-upstream', by: 'X' }]);
  });

  it('shows decisions in the warehouse and the report, marks stale ones, and leaves decided findings out of --fail-on', async () => {
    const file = join(await tempDir('decided'), 'decisions.jsonl');
    for (const f of errors) await review({ findingId: f.id, verdict: 'confirmed', note: `checked ${f.id}`, by: 'A. Steward', force: false, decisionsFile: file, warehouseDir: warehouse });
    await review({ findingId: GONE, verdict: 'explained', note: 'a footnote <explains> it', by: 'A. Steward', force: true, decisionsFile: file, warehouseDir: warehouse });

    const wh = await tempDir('wh-decided');
    const result = await nightly(raw, wh, file, 'error');
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0); // every error decided: --fail-on error has nothing to count
    expect(result.undecided.map((f) => f.id).sort()).toEqual(findings.filter((f) => f.severity !== 'error').map((f) => f.id).sort());

    const db = join(wh, 'davs.duckdb');
    const rows = await queryWarehouse(db, `SELECT finding_id, verdict, note, decided_by, decided_on::VARCHAR AS decided_on, status FROM finding_decisions ORDER BY finding_id`);
    expect(rows).toHaveLength(errors.length + 1);
    expect(rows.find((r) => r.finding_id === GONE)).toMatchObject({ verdict: 'explained', status: 'stale', decided_by: 'A. Steward' });
    expect(rows.filter((r) => r.status === 'current').map((r) => r.finding_id).sort()).toEqual(errors.map((f) => f.id).sort());
    const [joined] = await queryWarehouse(db, `SELECT count(*) AS n FROM finding_decisions d JOIN findings f ON f.finding_id = d.applies_to WHERE d.status = 'current'`);
    expect(Number(joined!.n)).toBe(errors.length);
    const comments = await queryWarehouse(db, `SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'finding_decisions'`);
    expect(comments).toHaveLength(7);
    for (const c of comments) expect(String(c.comment ?? '').length, String(c.column_name)).toBeGreaterThan(10);

    const md = await report(wh, 'report.md');
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    expect(md).toContain(`Undecided: 0 errors, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
    expect(md).toContain(`decided: ${errors.length} (1 stale decision on findings that no longer occur)`);
    expect(md).not.toContain('## Errors (');
    const decidedAt = md.indexOf(`## Decided (${errors.length})`);
    const staleAt = md.indexOf('## Decisions on findings that no longer occur (1)');
    expect(decidedAt).toBeGreaterThan(md.indexOf('## Warnings ('));
    expect(staleAt).toBeGreaterThan(decidedAt);
    expect(md).toContain(`- decision: **confirmed** by A. Steward on `);
    expect(md).toContain(`checked ${errors[0]!.id}`);
    expect(md.slice(staleAt)).toContain(GONE);
    expect(md.slice(staleAt)).toContain('a footnote \\<explains\\> it');

    const html = await report(wh, 'report.html');
    expect(html).toContain(`Decided (${errors.length})`);
    expect(html).toContain('<p class="decision">Decision: <span class="verdict">confirmed</span> by A. Steward');
    expect(html).toContain('<section id="stale-decisions">');
    expect(html).toContain('a footnote &lt;explains&gt; it');
  });

  it('runs and publishes with a malformed decisions file, naming the file and the line, as if there were no decisions', async () => {
    const file = join(await tempDir('bad'), 'decisions.jsonl');
    const good = JSON.stringify({ finding_id: errors[0]!.id, verdict: 'confirmed', note: 'ok', by: 'A', decided_on: '2026-01-01' });
    const bad = JSON.stringify({ finding_id: errors[0]!.id, verdict: 'maybe', note: 'ok', by: 'A', decided_on: '2026-01-01' });
    await writeFile(file, `# header\n${good}\n${bad}\n`);
    const wh = await tempDir('wh-bad');
    const result = await nightly(raw, wh, file, 'never');
    expect(result.exitCode).toBe(0);
    const problem = result.problems.find((p) => p.message.includes('decisions.jsonl'));
    expect(problem).toBeDefined();
    expect(problem!.message).toContain(`${file}:3`);
    expect(problem!.message).toContain('verdict');
    expect(result.decisions).toEqual([]);
    expect(result.undecided).toHaveLength(findings.length);

    const db = join(wh, 'davs.duckdb');
    expect(await queryWarehouse(db, 'SELECT * FROM finding_decisions')).toEqual([]);
    const listed = await queryWarehouse(db, `SELECT message FROM document_problems WHERE message LIKE '%decisions.jsonl:3%'`);
    expect(listed).toHaveLength(1);
    const md = await report(wh, 'report.md');
    expect(md).toContain('decisions.jsonl:3');
    expect(md).toContain('## Errors (');

    // a duplicate finding id names both lines
    await writeFile(file, `${good}\n${good}\n`);
    await expect(readDecisions(file)).rejects.toThrow(/decisions\.jsonl:2: .*decided twice \(also line 1\)/);
    // --fail-on error counts every finding when the decisions cannot be read: document problems first
    expect((await nightly(raw, await tempDir('wh-bad2'), file, 'error')).exitCode).toBe(3);
  });

  it('takes the decisions file from davs.config.json, relative to the config file', async () => {
    const dir = await tempDir('config');
    await writeFile(join(dir, 'davs.config.json'), JSON.stringify({ decisions: 'stewards/decisions.jsonl' }));
    expect(loadConfig(join(dir, 'davs.config.json'), true).decisions).toBe(join(dir, 'stewards', 'decisions.jsonl'));
    expect(loadConfig(join(dir, 'none.json'), false).decisions).toBeUndefined();
  });
});
