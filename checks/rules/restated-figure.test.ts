import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './restated-figure.js';

describe('restated-figure', () => {
  it('passes a release that states its MARAC cases the same way in prose and table', async () => {
    const r = await runFixture(check, 'restated-figure', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('fails a release that gives 99,467 in one place and 99,447 in two others, naming all three', async () => {
    const r = await runFixture(check, 'restated-figure', 'fail');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.expected).toBe('99,447 (as stated 2 times)');
    expect(f!.actual).toBe('99,467 (1×)');
    expect(f!.evidence.map((e) => e.where)).toEqual(['article.txt:L6', 'article.txt:L8', 'article.txt:L14']);
  });
});
