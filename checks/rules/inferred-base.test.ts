import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './inferred-base.js';

describe('inferred-base', () => {
  it('passes counts and percentages that allow one base, a total row shown as 100% included', async () => {
    const r = await runFixture(check, 'inferred-base', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('fails 900 (75%), 240 (20%), 30 (5%): 75% needs n in 1,193–1,208, 5% needs n in 546–666', async () => {
    const r = await runFixture(check, 'inferred-base', 'fail');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('900 (75%) needs n in 1,193–1,208');
    expect(f!.message).toContain('30 (5%) needs n in 546–666');
    expect(f!.evidence).toHaveLength(6);
    expect(f!.id).toMatch(/^inferred-base:[0-9a-f]{12}$/);
  });

  it('leaves percentages that do not make 100% undecided: they may not share one base', async () => {
    const r = await runFixture(check, 'inferred-base', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });
});
