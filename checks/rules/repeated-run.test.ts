import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './repeated-run.js';

describe('repeated-run', () => {
  it('passes a column whose values do not repeat as a run', async () => {
    const r = await runFixture(check, 'repeated-run', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('flags 27%, 66%, 79% given again for three other rows, with both runs as evidence', async () => {
    const r = await runFixture(check, 'repeated-run', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.actual).toBe('27%, 66%, 79%');
    expect(r.findings[0]!.evidence.map((e) => e.where)).toEqual(['abuse.txt:L8', 'abuse.txt:L9', 'abuse.txt:L10', 'abuse.txt:L11', 'abuse.txt:L12', 'abuse.txt:L13']);
  });
});
