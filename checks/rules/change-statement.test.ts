import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check, findChangePhrases } from './change-statement.js';

describe('change-statement', () => {
  it('passes "29,166 calls, a 14% decrease from 33,853" (13.8%)', async () => {
    const r = await runFixture(check, 'change-statement', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('fails a stated increase where the values fell', async () => {
    const r = await runFixture(check, 'change-statement', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('-13.8%');
    expect(r.findings[0]!.actual).toBe('+22%');
    expect(r.findings[0]!.message).toContain('opposite direction');
  });

  it('is undecided when the sentence gives only one value', async () => {
    const r = await runFixture(check, 'change-statement', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });

  it('reads the phrasings publishers use', () => {
    expect(findChangePhrases('a decrease of 10.7% compared with')[0]!.percent.decimals).toBe(1);
    expect(findChangePhrases('increased by 8% to 107,855')[0]!.down).toBe(false);
    expect(findChangePhrases('a 16% decrease from 902')[0]!.down).toBe(true);
  });
});
