import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import type { Figure } from '../../core/index.js';
import { intervalOf, overlaps } from '../rounding.js';
import { check, countStated, distinctValues } from './restated-figure.js';

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
    expect(f!.tolerance).toBe('exact (counts are not rounded); gap 20; rounding alone explains it: never (0%)');
    // each place with the statement or cell it was read from
    expect(f!.evidence.map((e) => e.source_kind)).toEqual(['statement', 'statement', 'cell']);
    expect(f!.evidence.every((e) => e.source_id !== null && e.role === 'stated')).toBe(true);
  });

  it('keeps the figures the pairwise definition keeps (each unless it overlaps one kept before it), on random figures', () => {
    const reference = (figures: readonly Figure[]) => {
      const out: Figure[] = [];
      for (const f of figures) if (!out.some((g) => overlaps(intervalOf(g), intervalOf(f)))) out.push(f);
      return out;
    };
    let state = 11;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 2000; trial++) {
      const figures: Figure[] = Array.from({ length: Math.floor(next() * 30) }, () => {
        const decimals = Math.floor(next() * 3);
        const value = Math.round(next() * 40 * 10 ** decimals) / 10 ** decimals - 5;
        const unit = next() < 0.5 ? 'count' : 'percent';
        return { raw: value.toFixed(decimals), value, decimals, unit };
      });
      expect(distinctValues(figures)).toEqual(reference(figures));
      const counts = countStated(distinctValues(figures), figures);
      for (const { figure, count } of counts) expect(count).toBe(figures.filter((f) => f.value === figure.value).length);
    }
  });

  it('compares 100,000 different figures in n log n', () => {
    const figures: Figure[] = Array.from({ length: 100000 }, (_, i) => ({ raw: String(i * 3), value: i * 3, decimals: 0, unit: 'count' }));
    expect(distinctValues(figures)).toHaveLength(100000);
    expect(distinctValues(figures.map((f) => ({ ...f, unit: 'fte' as const })))).toHaveLength(100000);
  });
});
