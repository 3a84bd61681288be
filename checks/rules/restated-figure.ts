import { z } from 'zod';
import { defineCheck, type Outcome } from '../define.js';
import { formatNumber, intervalOf, overlaps } from '../rounding.js';

/**
 * One release states one figure once: the same measure, period and geography given twice in a
 * release (an article, its appendix workbook: the documents the manifest puts in one `release`)
 * with values that cannot both be right (the November 2020 ONS article gives 99,467 MARAC
 * cases in its main points and 99,447 in its body and Table 2). Values that agree within their
 * rounding ("980" and "980.2" FTE) are not a finding. Differences between releases are revisions:
 * see `revised-figure`.
 */
export const check = defineCheck({
  id: 'restated-figure',
  title: 'A figure stated twice in one release agrees with itself',
  severity: 'error',
  describe: 'Every statement of one measure, period and geography within a release gives the same value, within rounding.',
  subjects: 'observations',
  params: z.object({}),
  evaluate: (group) => {
    const outcomes: Outcome[] = [];
    const byRelease = new Map<string, typeof group.observations>();
    for (const o of group.observations) {
      const release = group.documents.get(o.document_id)?.release ?? o.document_id;
      byRelease.set(release, [...(byRelease.get(release) ?? []), o]);
    }
    for (const [release, observations] of [...byRelease.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (observations.length < 2) continue;
      const values = distinctValues(observations.map((o) => o.figure));
      if (values.length < 2) {
        outcomes.push({ status: 'pass' });
        continue;
      }
      const counted = countStated(values, observations.map((o) => o.figure));
      const majority = counted[0]!;
      const others = counted.slice(1);
      const files = [...new Set(observations.map((o) => group.documents.get(o.document_id)?.file ?? o.document_id))].sort();
      const document = group.documents.get(observations[0]!.document_id);
      const who = files.length === 1 ? (document?.title ?? files[0]) : `release ${release} (${files.join(', ')})`;
      outcomes.push({
        status: 'fail',
        message: `${group.measure.title}, ${group.period}, ${group.geography}: ${who} states ${counted.map((c) => `${c.figure.raw} (${c.count}×)`).join(' and ')}`,
        expected: `${majority.figure.raw} (as stated ${majority.count} time${majority.count > 1 ? 's' : ''})`,
        actual: others.map((o) => `${o.figure.raw} (${o.count}×)`).join('; '),
        tolerance: majority.figure.decimals === 0 && majority.figure.unit === 'count' ? 'exact (counts are not rounded)' : `± ${formatNumber(0.5 * 10 ** -majority.figure.decimals, majority.figure.decimals + 1)}`,
        evidence: observations.map((o) => ({ document: o.document_id, locator: o.locator, excerpt: o.excerpt, value: o.figure })),
        subject: { release, measure: group.measure.measure_id, period: group.period, geography: group.geography },
      });
    }
    return outcomes;
  },
});

/** Figures whose rounding intervals do not overlap one another; the first of each overlapping set stands for it. */
export function distinctValues<T extends { value: number; decimals: number; unit: string; raw: string }>(figures: readonly T[]): T[] {
  const out: T[] = [];
  for (const f of figures) if (!out.some((g) => overlaps(intervalOf(g as never), intervalOf(f as never)))) out.push(f);
  return out;
}

/** How often each of `values` is stated among `figures` (same value exactly), most stated first, ties to the smaller value. */
export function countStated<T extends { value: number }>(values: readonly T[], figures: readonly { value: number }[]): Array<{ figure: T; count: number }> {
  return values
    .map((figure) => ({ figure, count: figures.filter((f) => f.value === figure.value).length }))
    .sort((a, b) => b.count - a.count || a.figure.value - b.figure.value);
}
