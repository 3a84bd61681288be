import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './cross-source-figure.js';

describe('cross-source-figure', () => {
  it('passes two publishers giving the same MARAC cases for the same year', async () => {
    const r = await runFixture(check, 'cross-source-figure', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('warns when they differ, with every place each is stated', async () => {
    const r = await runFixture(check, 'cross-source-figure', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.evidence.map((e) => e.where).sort()).toEqual(['ons.txt:L6', 'safelives.txt:L3']);
    expect(r.findings[0]!.tolerance).toBe('exact (counts are not rounded); gap 519; rounding alone explains it: never (0%)');
    expect(r.findings[0]!.evidence.every((e) => e.source_kind === 'statement' && e.source_id !== null)).toBe(true);
  });
});
