import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './total-equals-sum.js';

describe('total-equals-sum', () => {
  it('passes totals that equal their components, including a "Total LBG" parent of marked children', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'pass');
    expect(r.summary.passed).toBe(3);
    expect(r.findings).toEqual([]);
  });

  it('fails a total that differs from the sum of its rows', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('9');
    expect(r.findings[0]!.actual).toBe('10');
    expect(r.findings[0]!.evidence[0]!.where).toBe('regions.txt:L7');
  });
});
