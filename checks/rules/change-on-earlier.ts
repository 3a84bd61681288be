import { z } from 'zod';
import { defineCheck, type Outcome, groupKey, groupLabel } from '../define.js';
import { contains, formatNumber, formatOdds, intervalOf, roundingOddsOfDerived } from '../rounding.js';
import { findChangePhrases } from './change-statement.js';
import { observationEvidence } from './restated-figure.js';

/**
 * A stated change on the year before ("increased by 8% to 107,855 in the year ending March 2021
 * compared with the previous year") agrees with the earlier value wherever it is stated: in this
 * sentence, elsewhere in this document, or in an earlier release. The new value is an observation of
 * a known measure, period and geography; the earlier values are the observations of the same measure
 * and geography a year before, every vintage of them. The change holds if it rounds to the stated
 * percentage against any of them (a revised earlier figure is still the figure the writer may have
 * used); otherwise it is a warning that names every earlier value and its place.
 */
export const check = defineCheck({
  id: 'change-on-earlier',
  title: 'Stated change agrees with the earlier value, wherever it is stated',
  severity: 'warning',
  describe:
    'A stated percentage change on the year before equals (new − earlier) ÷ earlier for the earlier value of the same measure and geography as stated anywhere in the corpus, within the rounding of the percentage.',
  subjects: 'observations',
  params: z.object({}),
  applies: (group) => group.yearBefore !== undefined && group.observations.some((o) => o.source_kind === 'statement' && findChangePhrases(o.excerpt).length === 1),
  evaluate: (group) => {
    const earlier = group.yearBefore!.observations;
    const outcomes: Outcome[] = [];
    for (const o of group.observations) {
      if (o.source_kind !== 'statement') continue;
      const phrases = findChangePhrases(o.excerpt);
      if (phrases.length !== 1) continue;
      const phrase = phrases[0]!;
      // "a 22% increase from 40,859": a figure the change starts from is its base, not its result
      if (startsTheChange(o.excerpt, o.figure.raw)) continue;
      // the sentence must compare with the year before: say so, or state a figure of that period
      if (!/\b(previous|preceding|last) year\b|\byear (before|earlier)\b/i.test(o.excerpt) && !earlier.some((e) => e.document_id === o.document_id && e.excerpt === o.excerpt)) {
        outcomes.push({ status: 'undecided', reason: 'the sentence does not say the change is on the year before' });
        continue;
      }
      const signed = phrase.down ? -phrase.percent.value : phrase.percent.value;
      const allowed = intervalOf({ ...phrase.percent, value: signed });
      const changes = earlier.filter((e) => e.figure.value !== 0).map((e) => ({ e, change: ((o.figure.value - e.figure.value) / e.figure.value) * 100 }));
      if (changes.length === 0) continue;
      if (changes.some(({ change }) => contains(allowed, change))) {
        outcomes.push({ status: 'pass' });
        continue;
      }
      const d = Math.max(1, phrase.percent.decimals + 1);
      // rounding weighed against the earlier value nearest to giving the stated change
      const stated = { ...phrase.percent, value: signed };
      const nearest = [...changes].sort((a, b) => Math.abs(a.change - signed) - Math.abs(b.change - signed))[0]!;
      const odds = roundingOddsOfDerived(stated, [o.figure, nearest.e.figure], ([now, before]) => ((now! - before!) / before!) * 100);
      outcomes.push({
        status: 'fail',
        message:
          `${groupLabel(group)}: "${phrase.text}" to ${o.figure.raw}, but against the year before (${group.yearBefore!.period}) ` +
          changes.map(({ e, change }) => `${e.figure.raw} gives ${formatNumber(change, d)}%`).join(', '),
        expected: changes.map(({ change }) => `${formatNumber(change, d)}%`).join(' or '),
        actual: `${phrase.down ? '-' : '+'}${phrase.percent.raw}`,
        tolerance: `${formatOdds(odds, phrase.percent.decimals)}${changes.length > 1 ? ` (against ${nearest.e.figure.raw}, the nearest)` : ''}`,
        evidence: [observationEvidence(o, 'stated'), ...changes.map(({ e }) => observationEvidence(e, 'earlier'))],
        subject: { ...groupKey(group), statement: o.source_id },
      });
    }
    return outcomes;
  },
});

/** The figure is printed after "from" ("… a 22% increase from 40,859 in the previous year"): where a change starts. */
function startsTheChange(sentence: string, raw: string): boolean {
  const at = sentence.indexOf(raw);
  return at > 0 && /\bfrom\s+$/i.test(sentence.slice(Math.max(0, at - 12), at));
}
