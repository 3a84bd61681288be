import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './count-percent-base.js';

describe('count-percent-base', () => {
  it('passes percentages that round from count ÷ n (11 of 3,074 shown as 0%)', async () => {
    const r = await runFixture(check, 'count-percent-base', 'pass');
    expect(r.summary.passed).toBe(3);
    expect(r.findings).toEqual([]);
  });

  it('fails a percentage that does not follow from its count (410 of 3,074 shown as 31%)', async () => {
    const r = await runFixture(check, 'count-percent-base', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('13.3%');
    expect(r.findings[0]!.actual).toBe('31%');
    expect(r.findings[0]!.evidence).toHaveLength(2);
  });
});
