import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './percent-sum-100.js';

describe('percent-sum-100', () => {
  it('passes a single-response distribution that makes 100%', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'pass');
    expect(r.summary.passed).toBeGreaterThanOrEqual(2);
    expect(r.findings).toEqual([]);
  });

  it('fails one whose counts add up to n but whose percentages make 95%', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'fail');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.severity).toBe('error');
    expect(f!.expected).toBe('100%');
    expect(f!.actual).toBe('95%');
    expect(f!.tolerance).toBe('± 1.5');
    // the parts, each with its cell, and the base n printed for them (at the table, no cell of its own)
    expect(f!.evidence.map((e) => e.where)).toEqual(['referrals.txt:L4', 'referrals.txt:L10', 'referrals.txt:L11', 'referrals.txt:L12']);
    expect(f!.evidence.map((e) => e.role)).toEqual(['base', 'part', 'part', 'part']);
    expect(f!.evidence[0]!.source_id).toBeNull();
    expect(f!.evidence.slice(1).every((e) => e.source_kind === 'cell' && e.source_id !== null)).toBe(true);
    expect(f!.id).toMatch(/^percent-sum-100:[0-9a-f]{12}$/);
  });

  it('leaves a multi-response question (counts over n) undecided, never a finding', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });

  it('warns when twelve whole percentages make 96%: inside ± 6, but improbable from rounding alone', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'improbable');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.actual).toBe('96%');
    expect(r.findings[0]!.message).toContain('probability < 0.0001');
  });

  it('passes an improbable 102% when every percentage follows from its count: rounding, known rather than likely', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'pass-rounded');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(1);
  });

  it('leaves each category\'s own rate undecided: percentages adding to far less than 100% are not shares of one whole, even with an "Other" row', async () => {
    const r = await runFixture(check, 'percent-sum-100', 'rates');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });
});
