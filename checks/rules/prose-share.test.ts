import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
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
});
