import { z } from 'zod';
import { compareKeys } from '../../core/index.js';
import { defineCheck, type Outcome, groupKey, groupLabel } from '../define.js';
import { formatNumber } from '../rounding.js';
import { countStated, distinctValues, observationEvidence, pairOdds } from './restated-figure.js';

/**
 * A later release by the same publisher gives a different value for the same measure, period and geography: a revision
 * (the 2020 article's 99,447 MARAC cases for the year ending March 2020 became 99,966 in 2021).
 * Not an error — publishers revise — but an analyst comparing releases needs to know. A revision
 * the later release flags (a cell marked revised, "[r]", "r", or a sentence or label that says
 * "revised") is info, with its size and direction; one it does not flag is a warning: the reader of
 * the later release is not told the figure changed.
 */
export const check = defineCheck({
  id: 'revised-figure',
  title: 'Figures revised between releases',
  severity: 'info',
  describe: 'Lists figures that a later release gives differently for the same measure, period and geography, with the size of the revision.',
  subjects: 'observations',
  params: z.object({}),
  evaluate: (group) => {
    const releaseOf = (documentId: string) => group.documents.get(documentId)?.release ?? documentId;
    const publisherOf = (documentId: string) => group.documents.get(documentId)?.publisher ?? '';
    const ofRelease = new Map<string, typeof group.observations>();
    for (const o of group.observations) {
      const list = ofRelease.get(releaseOf(o.document_id));
      if (list) list.push(o);
      else ofRelease.set(releaseOf(o.document_id), [o]);
    }
    const releases = [...ofRelease.keys()];
    if (releases.length < 2) return [];
    const byRelease = releases
      .map((id) => {
        const observations = ofRelease.get(id)!;
        return { id, date: group.documents.get(observations[0]!.document_id)?.release_date ?? '', publisher: publisherOf(observations[0]!.document_id), observations };
      })
      .sort((a, b) => compareKeys([a.publisher, a.date, a.id], [b.publisher, b.date, b.id]));
    const outcomes: Outcome[] = [];
    for (let i = 1; i < byRelease.length; i++) {
      const before = byRelease[i - 1]!;
      const after = byRelease[i]!;
      if (before.publisher !== after.publisher) continue; // another publisher's figure: cross-source-figure
      // A release at odds with itself (restated-figure's finding) is represented by the value it states most often.
      const from = mostStated(before.observations.map((o) => o.figure));
      const to = mostStated(after.observations.map((o) => o.figure));
      if (distinctValues([from, to]).length === 1) {
        outcomes.push({ status: 'pass' });
        continue;
      }
      const delta = to.value - from.value;
      const d = Math.max(from.decimals, to.decimals);
      const flagged = after.observations.some((o) => REVISED_FLAG.test(o.figure.raw) || /\brevis(?:ed|ions?)\b/i.test(o.excerpt));
      outcomes.push({
        status: 'fail',
        ...(flagged ? {} : { severity: 'warning' as const }),
        message:
          `${groupLabel(group)}: revised from ${from.raw} (${before.date}) to ${to.raw} (${after.date}), ${delta > 0 ? 'up' : 'down'} ${formatNumber(Math.abs(delta), d)} (${formatNumber((Math.abs(delta) / Math.abs(from.value)) * 100, 1)}%)` +
          (flagged ? '; the later release marks it revised' : '; the later release does not say it was revised'),
        expected: `${from.raw} (earlier release)`,
        actual: `${to.raw} (later release)`,
        tolerance: pairOdds(from, [to]),
        evidence: [...before.observations.map((o) => observationEvidence(o, 'earlier')), ...after.observations.map((o) => observationEvidence(o, 'later'))],
        subject: { ...groupKey(group), releases: [before.id, after.id] },
      });
    }
    return outcomes;
  },
});

/** A figure printed with a revision flag: "99,966 [r]", "99,966r", "99,966 (r)". */
const REVISED_FLAG = /\d\s*(?:\[r\]|\(r\)|r)$/i;

/** The value a release states most often (the smaller on a tie). */
function mostStated<T extends { value: number }>(figures: readonly T[]): T {
  // the first figure of each value, in order
  const seen = new Set<number>();
  const values = figures.filter((f) => !seen.has(f.value) && seen.add(f.value));
  return countStated(values, figures)[0]!.figure;
}
