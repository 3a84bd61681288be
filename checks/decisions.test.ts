import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECISIONS_FILE, DECISIONS_HEADER, decisionStatuses, formatDecisions, parseDecisions, readDecisions, recordDecision, type Decision } from './decisions.js';

const a: Decision = { finding_id: 'restated-figure:0123456789ab', verdict: 'confirmed', note: 'main points say 99,467', by: 'A. Steward', decided_on: '2026-12-01' };
const b: Decision = { finding_id: 'percent-sum-100:abcdefabcdef', verdict: 'explained', note: 'footnote 2', by: 'B. Steward', decided_on: '2026-12-02' };

describe('checks/decisions.jsonl', () => {
  it('the bundled file parses', async () => {
    expect(Array.isArray(await readDecisions(DECISIONS_FILE))).toBe(true);
  });

  it('formats one sorted line per decision under the header, and reads it back', () => {
    const text = formatDecisions([a, b]);
    expect(text.split('\n').slice(0, DECISIONS_HEADER.length)).toEqual(DECISIONS_HEADER);
    expect(parseDecisions(text, 'd.jsonl')).toEqual([b, a]);
    expect(formatDecisions([b, a])).toBe(text);
  });

  it('names the file and the line of a bad entry', () => {
    const line = (d: object) => JSON.stringify(d);
    expect(() => parseDecisions(`# c\n${line(a)}\n{not json`, 'd.jsonl')).toThrow(/d\.jsonl:3: not JSON/);
    expect(() => parseDecisions(line({ ...a, note: ' ' }), 'd.jsonl')).toThrow(/d\.jsonl:1: note: a note is required/);
    expect(() => parseDecisions(line({ ...a, decided_on: '2026-02-30' }), 'd.jsonl')).toThrow(/d\.jsonl:1: decided_on: not a calendar date/);
    expect(() => parseDecisions(line({ ...a, verdict: 'ok' }), 'd.jsonl')).toThrow(/d\.jsonl:1: verdict/);
    expect(() => parseDecisions(line({ ...a, extra: 1 }), 'd.jsonl')).toThrow(/d\.jsonl:1/);
    expect(() => parseDecisions(`${line(a)}\n${line({ ...a, verdict: 'false-alarm' })}`, 'd.jsonl')).toThrow(/d\.jsonl:2: .*decided twice \(also line 1\)/);
  });

  it('records a decision, replaces it, keeps a custom header, and refuses to rewrite a broken file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-decisions-'));
    const file = join(dir, 'decisions.jsonl');
    expect(await readDecisions(file)).toEqual([]);
    expect((await recordDecision(file, a)).replaced).toBeNull();
    expect((await recordDecision(file, { ...a, verdict: 'fixed-upstream' })).replaced).toEqual(a);
    expect(await readDecisions(file)).toEqual([{ ...a, verdict: 'fixed-upstream' }]);

    await writeFile(file, `# our own header\n${JSON.stringify(a)}\n`);
    await recordDecision(file, b);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(`# our own header\n${JSON.stringify(b)}\n${JSON.stringify(a)}\n`);

    await writeFile(file, `${JSON.stringify(a)}\n<<<<<<< HEAD\n`);
    await expect(recordDecision(file, b)).rejects.toThrow(/decisions\.jsonl:2: not JSON/);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(a)}\n<<<<<<< HEAD\n`);
  });

  it('marks a decision stale when its finding no longer occurs, current when its id was merged into another finding', () => {
    expect(decisionStatuses([a, b], [{ id: a.finding_id }]).map((d) => [d.finding_id, d.status, d.applies_to])).toEqual([
      [b.finding_id, 'stale', null],
      [a.finding_id, 'current', a.finding_id],
    ]);
    const merged = { id: 'percent-sum-100:111111111111', merged_ids: ['percent-sum-100:111111111111', b.finding_id] };
    expect(decisionStatuses([a, b], [merged]).map((d) => [d.finding_id, d.status, d.applies_to])).toEqual([
      [b.finding_id, 'current', merged.id],
      [a.finding_id, 'stale', null],
    ]);
  });
});
