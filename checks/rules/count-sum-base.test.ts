import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './count-sum-base.js';

describe('count-sum-base', () => {
  it('passes counts that add up to n', async () => {
    const r = await runFixture(check, 'count-sum-base', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('fails counts that fall short of n while their percentages make 100%', async () => {
    const r = await runFixture(check, 'count-sum-base', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('n = 1,000');
    expect(r.findings[0]!.actual).toBe('955');
    expect(r.findings[0]!.severity).toBe('error');
  });

  it('leaves a shortfall undecided when the percentages do not show the categories are complete', async () => {
    const r = await runFixture(check, 'count-sum-base', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });

  it('warns when counts exceed n by exactly one row, naming that row as overlapping', async () => {
    const r = await runFixture(check, 'count-sum-base', 'warning');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.message).toContain('"Not sex assigned at birth"');
  });

  it('fails counts over n when their percentages make 100%: single-response, so 602 + 360 + 240 must make n = 1,200', async () => {
    const r = await runFixture(check, 'count-sum-base', 'over');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.expected).toBe('n = 1,200');
    expect(r.findings[0]!.actual).toBe('1,202');
    expect(r.findings[0]!.message).toContain('single-response');
  });

  it('leaves counts over n undecided when their percentages are shares of the answers, not of n', async () => {
    const r = await runFixture(check, 'count-sum-base', 'answers');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });

  it('leaves undecided counts over n whose percentages add up nearer to what the counts make of n (806 of 781: 103.2%) than to 100% (102%): a few answers overlap', async () => {
    const r = await runFixture(check, 'count-sum-base', 'overlap');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });
});
