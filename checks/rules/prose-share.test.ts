import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { PLACES_PER_VALUE } from '../places.js';
import { check } from './prose-share.js';

describe('prose-share', () => {
  it("passes 'the most common referral route … was the police (28%)' against the Insights table's Police row, 28%", async () => {
    const r = await runFixture(check, 'prose-share', 'pass');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(1);
  });

  it("warns where the prose gives the police 40% of referral routes and the table 28% (861 of 3,074), naming both places", async () => {
    const r = await runFixture(check, 'prose-share', 'fail');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.severity).toBe('warning');
    expect(f!.message).toContain('40% for Police (Referral route, 2020), but the table gives 28%');
    expect(f!.evidence.map((e) => [e.where.split(':')[0], e.role])).toEqual([
      ['article.txt', 'stated'],
      ['insights.txt', 'table'],
    ]);
    expect(f!.evidence[1]!.source_kind).toBe('cell');
  });

  it('names a share every release repeats once per value, with its first places and how many there are, not once per copy', async () => {
    const r = await runFixture(check, 'prose-share', 'many');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.message).toContain(`but the table gives 28% (stated in 5 places, ${PLACES_PER_VALUE} named)`);
    expect(f!.evidence.map((e) => e.role)).toEqual(['stated', ...Array<string>(PLACES_PER_VALUE).fill('table')]);
    expect(f!.evidence.slice(1).map((e) => e.where.split(':')[0])).toEqual(['insights1.txt', 'insights2.txt', 'insights3.txt'].slice(0, PLACES_PER_VALUE));
  });
});
