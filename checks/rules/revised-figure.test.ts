import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './revised-figure.js';

describe('revised-figure', () => {
  it('passes a later release that repeats the earlier figure', async () => {
    const r = await runFixture(check, 'revised-figure', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('reports a revision (99,447 → 99,966) as info, with its size', async () => {
    const r = await runFixture(check, 'revised-figure', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('info');
    expect(r.findings[0]!.message).toContain('up 519');
  });
});
