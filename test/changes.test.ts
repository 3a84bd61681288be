/**
 * Issue 11, part 2: what changed since the last run. Three nights over a copy of three ONS
 * articles; before the second, one number of the November 2020 article is corrected (the restated
 * 99,467 becomes 99,447: that finding is resolved) and one is broken (a stated rise of 12% becomes
 * 30%: a new finding). The third night reads the same files as the second.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../checks/index.js';
import { withoutRunBlock } from '../checks/report/changes.js';
import { runNightly, type RunResult } from '../pipelines/run.js';
import { verifyWarehouse } from '../pipelines/verify.js';
import { sink, smallCorpus, tempDir } from './helpers.js';

const ARTICLE = 'ons-dav-2020-11.txt';

async function night(raw: string, warehouse: string, clock: string): Promise<{ result: RunResult; md: string; html: string; seen: { run_id: string; findings: Record<string, { run_id: string; started_at: string }> } }> {
  const result = await runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log: sink().log, clock: () => new Date(clock) });
  const latest = join(warehouse, 'reports', 'latest');
  return {
    result,
    md: await readFile(join(latest, 'report.md'), 'utf8'),
    html: await readFile(join(latest, 'report.html'), 'utf8'),
    seen: JSON.parse(await readFile(join(warehouse, 'history', 'findings-seen.json'), 'utf8')),
  };
}

/** The finding this run gives for `check` whose message contains `text`. */
function one(findings: readonly Finding[], check: string, text: string): Finding {
  const found = findings.filter((f) => f.check === check && f.message.includes(text));
  expect(found, `${check} ${text}`).toHaveLength(1);
  return found[0]!;
}

describe('what changed since the last run', () => {
  let raw: string;
  let warehouse: string;
  let first: Awaited<ReturnType<typeof night>>;
  let second: Awaited<ReturnType<typeof night>>;
  let third: Awaited<ReturnType<typeof night>>;

  beforeAll(async () => {
    raw = await smallCorpus();
    warehouse = await tempDir('wh');
    first = await night(raw, warehouse, '2026-03-01T02:00:00Z');
    const path = join(raw, ARTICLE);
    const text = await readFile(path, 'utf8');
    const edited = text.replace('to 99,467 in the year ending March 2020', 'to 99,447 in the year ending March 2020').replace('increased by 12% over the past two years', 'increased by 30% over the past two years');
    expect(edited).not.toBe(text);
    await writeFile(path, edited);
    second = await night(raw, warehouse, '2026-03-02T02:00:00Z');
    third = await night(raw, warehouse, '2026-03-03T02:00:00Z');
  }, 240_000);

  it('a first run: every finding is new, first seen in it, and the report names the run and its time (UTC)', () => {
    const id = first.result.run.run_id;
    expect(first.md).toContain(`Run \`${id}\`, started 2026-03-01 02:00:00 UTC.`);
    expect(first.md).toContain(`**${first.result.findings.length} new, 0 persisting, 0 resolved**`);
    expect(first.md).toContain('no earlier published run, so every finding is new');
    expect(first.html).toContain(`<code class="runid">${id}</code>, started 2026-03-01 02:00:00 UTC`);
    // each new finding is listed with a link to its card
    for (const f of first.result.findings) {
      expect(first.html).toContain(`<a href="#${f.id}">`);
      expect(first.html).toContain(`id="${f.id}"`);
      expect(first.seen.findings[f.id]).toEqual({ run_id: id, started_at: '2026-03-01T02:00:00.000Z' });
    }
    expect(first.seen.run_id).toBe(id);
  });

  it('the second run lists exactly the new and the resolved finding; the others persist with the first night’s date', () => {
    const before = first.result.findings;
    const after = second.result.findings;
    const resolved = one(before, 'restated-figure', '99,467');
    const added = one(after, 'change-on-earlier', 'increased by 30%');
    expect(after.some((f) => f.check === 'restated-figure')).toBe(false);
    expect(before.some((f) => f.check === 'change-on-earlier')).toBe(false);
    const persisting = after.length - 1;
    expect(persisting).toBe(before.length - 1);

    const md = second.md;
    expect(md).toContain(`**1 new, ${persisting} persisting, 1 resolved**`);
    expect(md).toContain(`since the last published run, ${first.result.run.run_id} (2026-03-01 02:00:00 UTC)`);
    const section = (title: string) => md.split(`### ${title}`)[1]!.split('\n### ')[0]!;
    expect(section('New (1)')).toContain(`(\`${added.id}\`)`);
    expect(section('Resolved (1)')).toContain(`(\`${resolved.id}\`, first seen 2026-03-01)`);
    expect(section('Resolved (1)')).toContain('99,467'); // its last message
    const persistingLines = section(`Persisting (${persisting})`).split('\n').filter((l) => l.startsWith('- '));
    expect(persistingLines).toHaveLength(persisting);
    for (const l of persistingLines) expect(l).toContain(`first seen 2026-03-01, \`${first.result.run.run_id}\``);

    expect(second.html).toContain(`<span class="badge new">1 new</span>`);
    expect(second.html).toContain(`<span class="badge resolved">1 resolved</span>`);
    expect(second.html.split('<ul class="new-findings">')[1]!.split('</ul>')[0]).toContain(`<a href="#${added.id}">`);
    expect(second.seen.findings[added.id]).toEqual({ run_id: second.result.run.run_id, started_at: '2026-03-02T02:00:00.000Z' });
  });

  it('names the changed document', () => {
    expect(second.md).toContain('0 documents added, 1 changed (sha256), 0 removed.');
    expect(second.md).toContain(`- changed: \`${ARTICLE}\``);
    expect(second.html).toContain(`<li>Changed: <code>${ARTICLE}</code></li>`);
    expect(third.md).toContain('no document added, changed or removed.');
  });

  it('carries first-seen forward: the third night sees nothing new, and each finding keeps the night it first appeared', () => {
    expect(third.md).toContain(`**0 new, ${third.result.findings.length} persisting, 0 resolved**`);
    const added = one(third.result.findings, 'change-on-earlier', 'increased by 30%');
    for (const f of third.result.findings) {
      const expected = f.id === added.id ? second.result.run : first.result.run;
      expect(third.seen.findings[f.id], f.message).toEqual({ run_id: expected.run_id, started_at: expected.started_at });
    }
    expect(third.md).toContain(`(\`${added.id}\`): first seen 2026-03-02`);
  });

  it('keeps the clock out of the warehouse: the same tables as a fresh build, and davs verify reproduces it', async () => {
    expect(third.result.run.table_sha256).toEqual(second.result.run.table_sha256);
    const fresh = await runNightly({ rawDir: raw, warehouseDir: await tempDir('wh'), failOn: 'never', log: sink().log, clock: () => new Date('2026-03-09T02:00:00Z') });
    expect(fresh.run.table_sha256).toEqual(third.result.run.table_sha256);
    const verified = await verifyWarehouse({ rawDir: raw, warehouseDir: warehouse, log: sink().log });
    expect(verified.lines.at(-1)).toBe('verified: reproduced exactly');
    expect(verified.exitCode).toBe(0);
  }, 120_000);

  it('compares with the published findings.json when the published warehouse cannot be read', async () => {
    const other = await tempDir('wh');
    const before = await night(raw, other, '2026-03-04T02:00:00Z');
    const published = join(other, 'current', 'davs.duckdb');
    await chmod(published, 0o644);
    await writeFile(published, 'not a DuckDB file');
    const after = await night(raw, other, '2026-03-05T02:00:00Z');
    expect(after.md).toContain(`**0 new, ${after.result.findings.length} persisting, 0 resolved**`);
    for (const f of after.result.findings) expect(after.seen.findings[f.id]).toEqual({ run_id: before.result.run.run_id, started_at: '2026-03-04T02:00:00.000Z' });
  }, 120_000);

  it('differs between two runs over the same raw/ only inside the run block', () => {
    expect(withoutRunBlock(third.md)).not.toContain('davs:run');
    expect(withoutRunBlock(third.md)).not.toContain(third.result.run.run_id);
    expect(withoutRunBlock(third.html)).not.toContain(third.result.run.run_id);
    expect(withoutRunBlock(third.md)).toBe(withoutRunBlock(second.md));
    expect(withoutRunBlock(third.html)).toBe(withoutRunBlock(second.html));
  });
});
