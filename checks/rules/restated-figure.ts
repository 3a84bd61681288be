import { z } from 'zod';
import type { Observation } from '../../transform/index.js';
import { defineCheck, type EvidenceDraft, type Outcome, groupKey, groupLabel } from '../define.js';
import { formatOdds, intervalOf, overlaps, roundingOddsOfPair } from '../rounding.js';

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
      const list = byRelease.get(release);
      if (list) list.push(o);
      else byRelease.set(release, [o]);
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
        message: `${groupLabel(group)}: ${who} states ${counted.map((c) => `${c.figure.raw} (${c.count}×)`).join(' and ')}`,
        expected: `${majority.figure.raw} (as stated ${majority.count} time${majority.count > 1 ? 's' : ''})`,
        actual: others.map((o) => `${o.figure.raw} (${o.count}×)`).join('; '),
        tolerance: pairOdds(majority.figure, others.map((o) => o.figure)),
        evidence: observations.map((o) => observationEvidence(o, 'stated')),
        subject: { release, ...groupKey(group) },
      });
    }
    return outcomes;
  },
});

/** Evidence of one observation: where it is, with the cell or statement it was read from. */
export function observationEvidence(o: Observation, role: string | null = null): EvidenceDraft {
  return { document: o.document_id, locator: o.locator, excerpt: o.excerpt, value: o.figure, sourceKind: o.source_kind, sourceId: o.source_id, ...(role === null ? {} : { role }) };
}

/**
 * The tolerance of a finding comparing one figure with others stated for the same value: the
 * rounding bound, the gap and how likely rounding alone makes it, for each other figure ("against
 * 99,467: …" when there are several).
 */
export function pairOdds(reference: { value: number; decimals: number; unit: Observation['figure']['unit']; raw: string }, others: ReadonlyArray<{ value: number; decimals: number; unit: Observation['figure']['unit']; raw: string }>): string {
  const one = (other: (typeof others)[number]) => formatOdds(roundingOddsOfPair(reference, other), Math.max(reference.decimals, other.decimals));
  return others.length === 1 ? one(others[0]!) : others.map((o) => `against ${o.raw}: ${one(o)}`).join('; ');
}

/**
 * Figures whose rounding intervals do not overlap one another; the first of each overlapping set
 * stands for it: each figure in turn is kept unless it overlaps one kept before it.
 *
 * Kept intervals never overlap, so ordered by their low ends they are ordered by their high ends
 * too, and a figure overlaps one of them exactly when it overlaps the one with the greatest low end
 * not above its own high end (plus the float slack of `overlaps`). That one is found with a
 * Fenwick tree over the low ends of all the figures: n log n, where comparing each figure with every
 * kept one was quadratic in a measure stated many times with many values.
 */
export function distinctValues<T extends { value: number; decimals: number; unit: string; raw: string }>(figures: readonly T[]): T[] {
  const intervals = figures.map((f) => intervalOf(f as never));
  const lows = [...new Set(intervals.map((i) => i.low))].sort((a, b) => a - b);
  const kept = new Int32Array(lows.length + 1).fill(-1); // Fenwick tree: the greatest kept position of a low end in a prefix
  const keptAt = new Map<number, number>(); // position of a low end → the figure kept there
  const greatestKept = (upTo: number) => {
    let best = -1;
    for (let i = upTo + 1; i > 0; i -= i & -i) best = Math.max(best, kept[i]!);
    return best;
  };
  const keep = (at: number) => {
    for (let i = at + 1; i <= lows.length; i += i & -i) kept[i] = Math.max(kept[i]!, at);
  };
  const out: T[] = [];
  figures.forEach((f, index) => {
    const interval = intervals[index]!;
    // the last low end that is at most this high end, as overlaps() compares them
    let lo = 0;
    let hi = lows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (overlaps({ low: lows[mid]!, high: Infinity }, { low: -Infinity, high: interval.high })) lo = mid + 1;
      else hi = mid;
    }
    const at = lo > 0 ? greatestKept(lo - 1) : -1;
    if (at >= 0 && overlaps(intervals[keptAt.get(at)!]!, interval)) return;
    const own = binarySearch(lows, interval.low);
    keep(own);
    keptAt.set(own, index);
    out.push(f);
  });
  return out;
}

function binarySearch(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How often each of `values` is stated among `figures` (same value exactly), most stated first, ties to the smaller value. */
export function countStated<T extends { value: number }>(values: readonly T[], figures: readonly { value: number }[]): Array<{ figure: T; count: number }> {
  const counts = new Map<number, number>();
  for (const f of figures) counts.set(f.value, (counts.get(f.value) ?? 0) + 1);
  return values
    .map((figure) => ({ figure, count: counts.get(figure.value) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.figure.value - b.figure.value);
}
