import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './revised-figure.js';

describe('revised-figure', () => {
  it('passes a later release that repeats the earlier figure', async () => {
    const r = await runFixture(check, 'revised-figure', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('warns of a revision the later release does not flag (99,447 → 99,966), with its size and both places', async () => {
    const r = await runFixture(check, 'revised-figure', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.message).toContain('up 519');
    expect(r.findings[0]!.message).toContain('does not say it was revised');
    expect(new Set(r.findings[0]!.evidence.map((e) => e.where.split(':')[0]))).toEqual(new Set(['a-2021.txt', 'b-2022.txt']));
    expect(r.findings[0]!.tolerance).toBe('exact (counts are not rounded); gap 519; rounding alone explains it: never (0%)');
    // the earlier release's places and the later one's, each with its cell or statement
    const roleOf = (e: (typeof r.findings)[number]['evidence'][number]) => `${e.where.split(':')[0]} ${e.role}`;
    expect(new Set(r.findings[0]!.evidence.map(roleOf))).toEqual(new Set(['a-2021.txt earlier', 'b-2022.txt later']));
    expect(r.findings[0]!.evidence.every((e) => e.source_id !== null)).toBe(true);
  });

  it('reports a revision the later release flags ("a revised 99,966") as info', async () => {
    const r = await runFixture(check, 'revised-figure', 'flagged');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('info');
    expect(r.findings[0]!.message).toContain('marks it revised');
  });
});
