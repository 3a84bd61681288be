import { z } from 'zod';
import { findPeriods, shiftPeriod } from '../../extract/periods.js';
import { defineCheck, type ObservationGroup, type Outcome, groupKey, groupLabel } from '../define.js';
import { contains, formatNumber, formatOdds, intervalOf, roundingOddsOfDerived } from '../rounding.js';
import { otherValues, placesByValue, uncountedPlaces, VALUES_NAMED } from '../places.js';
import { findChangePhrases } from './change-statement.js';
import { observationEvidence } from './restated-figure.js';

/**
 * A stated change on the year before ("increased by 8% to 107,855 in the year ending March 2021
 * compared with the previous year"), or on N years before ("by 12% over the past two years", "from the
 * same time period in 2017/18"), agrees with the earlier value wherever it is stated: in this
 * sentence, elsewhere in this document, or in an earlier release. The new value is an observation of
 * a known measure, period and geography; the earlier values are the observations of the same measure
 * and geography a year before, every vintage of them. The change holds if it rounds to the stated
 * percentage against any of them (a revised earlier figure is still the figure the writer may have
 * used); otherwise it is a warning that names every earlier value and its places (the first few of
 * each value, and how many there are: checks/places.ts).
 */
export const check = defineCheck({
  id: 'change-on-earlier',
  title: 'Stated change agrees with the earlier value, wherever it is stated',
  severity: 'warning',
  describe:
    'A stated percentage change on the year before equals (new − earlier) ÷ earlier for the earlier value of the same measure and geography as stated anywhere in the corpus, within the rounding of the percentage.',
  subjects: 'observations',
  params: z.object({}),
  applies: (group) => group.observations.some((o) => o.source_kind === 'statement' && findChangePhrases(o.excerpt).length === 1),
  evaluate: (group) => {
    const outcomes: Outcome[] = [];
    for (const o of group.observations) {
      if (o.source_kind !== 'statement') continue;
      const phrases = findChangePhrases(o.excerpt);
      if (phrases.length !== 1) continue;
      const phrase = phrases[0]!;
      // "a 22% increase from 40,859": a figure the change starts from is its base, not its result
      if (startsTheChange(o.excerpt, o.figure.raw)) continue;
      // the sentence must say what the change is on: the year before, N years before, or that period by name
      const back = yearsBack(o.excerpt, group.period);
      const before = back === null ? undefined : back === 1 ? group.yearBefore : earlierGroup(group, back);
      if (back === null) {
        outcomes.push({ status: 'undecided', reason: 'the sentence does not say what period the change is on' });
        continue;
      }
      if (!before) continue; // the earlier value is stated nowhere in the corpus
      const earlier = before.observations;
      const on = back === 1 ? 'the year before' : `${back} years before`;
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
      const distance = ({ change }: { change: number }) => Math.abs(change - signed);
      const nearest = [...changes].sort((a, b) => distance(a) - distance(b))[0]!;
      const odds = roundingOddsOfDerived(stated, [o.figure, nearest.e.figure], ([now, before]) => ((now! - before!) / before!) * 100);
      // each earlier value as printed, and the first few places of each: a figure every release
      // repeats is named once with its count, not once per release (checks/places.ts)
      const values = placesByValue(changes, ({ e }) => e.figure.raw);
      // more values than are named: the nearest to the stated change, in the order they came
      const kept = new Set([...values].sort((a, b) => distance(a.shown[0]!) - distance(b.shown[0]!)).slice(0, VALUES_NAMED));
      const named = values.filter((v) => kept.has(v));
      outcomes.push({
        status: 'fail',
        message:
          `${groupLabel(group)}: "${phrase.text}" to ${o.figure.raw}, but against ${on} (${before.period}) ` +
          named.map((v) => `${v.key} gives ${formatNumber(v.shown[0]!.change, d)}%${uncountedPlaces(v)}`).join(', ') +
          otherValues(values.length, named.length),
        expected: [...new Set(named.map((v) => `${formatNumber(v.shown[0]!.change, d)}%`))].join(' or '),
        actual: `${phrase.down ? '-' : '+'}${phrase.percent.raw}`,
        tolerance: `${formatOdds(odds, phrase.percent.decimals)}${changes.length > 1 ? ` (against ${nearest.e.figure.raw}, the nearest)` : ''}`,
        evidence: [observationEvidence(o, 'stated'), ...named.flatMap((v) => v.shown.map(({ e }) => observationEvidence(e, 'earlier')))],
        subject: { ...groupKey(group), statement: o.source_id },
      });
    }
    return outcomes;
  },
});

/** The figure is printed after "from", "compared with" or "than" ("… a 22% increase from 40,859 in the previous year"): where a change starts. */
function startsTheChange(sentence: string, raw: string): boolean {
  const at = sentence.indexOf(raw);
  return at > 0 && /\b(?:from|compared (?:with|to)|than)\s+$/i.test(sentence.slice(Math.max(0, at - 16), at));
}

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/**
 * How many years back the change in a sentence is on: 1 for "the previous year", "last year", "the year
 * before"; N for "over the past two years", "compared with five years earlier", "three years ago"; or
 * the years back to a period the sentence names that is earlier than the figure's own ("an increase of
 * 7% from the same time period in 2017/18" for YE 2019-03). Null when the sentence says none of these.
 */
export function yearsBack(sentence: string, period: string): number | null {
  if (/\b(?:previous|preceding|last) year\b|\byear (?:before|earlier)\b/i.test(sentence)) return 1;
  const n = /\b(?:over|in) the (?:past|last) (two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) years\b|\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) years (?:earlier|before|ago)\b/i.exec(sentence);
  if (n) {
    const word = (n[1] ?? n[2]!).toLowerCase();
    return NUMBER_WORDS[word] ?? Number(word);
  }
  for (let k = 1; k <= 10; k++) {
    const earlier = shiftPeriod(period, k);
    if (earlier !== null && findPeriods(sentence).some((p) => p.period === earlier)) return k;
  }
  return null;
}

/** The group of the same measure, geography and breakdown `years` before, where any document states it. */
function earlierGroup(group: ObservationGroup, years: number): ObservationGroup | undefined {
  const period = shiftPeriod(group.period, years);
  return period === null ? undefined : group.facts.group(group.measure.measure_id, period, group.geography, group.breakdown);
}
