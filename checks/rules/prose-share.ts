import { z } from 'zod';
import { formatLocator } from '../../core/index.js';
import type { Statement } from '../../extract/index.js';
import { defineCheck, type FactIndex, type ObservationGroup, type Outcome, type SentenceSubject } from '../define.js';
import { formatOdds, intervalOf, overlaps, roundingOddsOfPair } from '../rounding.js';
import { otherValues, placesByValue, uncountedPlaces, VALUES_NAMED } from '../places.js';
import { observationEvidence } from './restated-figure.js';

/**
 * A share stated in prose for one category of a breakdown agrees with the table that gives the
 * breakdown, in this document or another: "the most common referral route to an IDVA service was
 * the police (28%)" against the Insights table "Referral route", row "Police", 28% (861 of 3,074).
 *
 * A prose percentage is matched to a category when the sentence names both the breakdown (every
 * significant word of the table's title: "referral", "route") and the category (its label, a
 * specific one: not "Yes", "Other" or "Missing", just before the number), for the same
 * period. Only a sentence that names exactly one such category is judged; a share of two candidate
 * tables, or of two areas, is undecided. A gap beyond rounding is a warning with both places: the
 * prose may cite another vintage or another base.
 */
export const check = defineCheck({
  id: 'prose-share',
  title: 'A share stated in prose agrees with its table',
  severity: 'warning',
  describe: "A percentage prose gives for one category of a breakdown (the police's share of referral routes) equals the share the breakdown's table gives for the same period, within rounding.",
  subjects: 'sentences',
  params: z.object({}),
  applies: (subject) => subject.facts !== undefined && subject.statements.some((s) => s.figure.unit === 'percent'),
  evaluate: (subject) => {
    const outcomes: Outcome[] = [];
    const words = wordsOf(subject.sentence);
    for (const s of subject.statements) {
      if (s.figure.unit !== 'percent') continue;
      const period = s.period ?? subject.document.reference_period;
      if (period === null) continue;
      const candidates = labelledBefore(subject.sentence, s, categoriesByLabel(subject.facts!, period)).filter((g) => namesBreakdown(words, g.breakdown));
      if (candidates.length === 0) continue;
      const keys = new Set(candidates.map((g) => JSON.stringify([g.measure.measure_id, g.geography, title(g.breakdown), category(g.breakdown)])));
      if (keys.size > 1) {
        outcomes.push({ status: 'undecided', reason: `${s.figure.raw} could be the share of ${keys.size} categories` });
        continue;
      }
      outcomes.push(judge(subject, s, candidates));
    }
    return outcomes;
  },
});

function judge(subject: SentenceSubject, s: Statement, groups: readonly ObservationGroup[]): Outcome {
  const table = groups.flatMap((g) => g.observations).filter((o) => o.source_kind === 'cell');
  if (table.length === 0) return { status: 'undecided', reason: 'the category is stated in prose only' };
  const stated = intervalOf(s.figure);
  if (table.some((o) => overlaps(stated, intervalOf(o.figure)))) return { status: 'pass' };
  const first = table[0]!;
  const odds = roundingOddsOfPair(s.figure, first.figure);
  const g = groups[0]!;
  // each value the tables give and the first few places of each: a table every release repeats is
  // named once with its count, not once per release (checks/places.ts)
  const values = placesByValue(table, (o) => o.figure.raw);
  const named = values.slice(0, VALUES_NAMED);
  return {
    status: 'fail',
    message: `"${excerpt(subject.sentence, s)}": ${s.figure.raw} for ${category(g.breakdown)} (${title(g.breakdown)}, ${g.period}), but the table gives ${named.map((v) => `${v.key}${uncountedPlaces(v)}`).join(' or ')}${otherValues(values.length, named.length)} (${formatLocator(first.locator)})`,
    expected: `${first.figure.raw} (the table)`,
    actual: `${s.figure.raw} (prose)`,
    tolerance: formatOdds(odds, Math.max(s.figure.decimals, first.figure.decimals)),
    evidence: [
      { document: subject.document.document_id, locator: s.locator, excerpt: subject.sentence, value: s.figure, sourceKind: 'statement', sourceId: s.statement_id, role: 'stated' },
      ...named.flatMap((v) => v.shown.map((o) => observationEvidence(o, 'table'))),
    ],
    subject: { document: subject.document.document_id, statement: s.statement_id, breakdown: g.breakdown, measure: g.measure.measure_id },
  };
}

/** Labels too common to say which category a share is of. */
const VAGUE = new Set(['yes', 'no', 'other', 'others', 'none', 'total', 'missing', 'unknown', 'not known', "don't know", 'not stated', 'not disclosed', 'n/a', 'all']);
const STOP = new Set(['the', 'and', 'for', 'with', 'from', 'this', 'that', 'what', 'which', 'have', 'has', 'were', 'was', 'did', 'does', 'your', 'their', 'client', 'case', 'type', 'kind', 'many', 'much', 'long', 'often', 'other']);

function title(breakdown: string): string {
  return breakdown.split(' › ')[0]!.replace(/\s*\(table \d+\)$/, '');
}

function category(breakdown: string): string {
  const parts = breakdown.split(' › ');
  return parts[parts.length - 1]!;
}

/** Lower-case words, a trailing plural 's' set aside ("routes" is "route"). */
function wordsOf(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z]+/g) ?? []).map((w) => w.replace(/s$/, '')));
}

/**
 * A period's percentage categories by their label (lower case), those specific enough to name a share
 * (not "Yes", "Other", "Missing"; four characters or more): worked out once per run and period, so a
 * sentence is matched by looking up the words before its number, not by trying every category.
 */
const LABEL_INDEX = new WeakMap<FactIndex, Map<string, Map<string, ObservationGroup[]>>>();
function categoriesByLabel(facts: FactIndex, period: string): Map<string, ObservationGroup[]> {
  let byPeriod = LABEL_INDEX.get(facts);
  if (!byPeriod) LABEL_INDEX.set(facts, (byPeriod = new Map()));
  let index = byPeriod.get(period);
  if (index) return index;
  index = new Map();
  for (const g of facts.categories(period)) {
    if (g.measure.unit !== 'percent' || g.breakdown.split(' › ').length < 2) continue;
    const label = category(g.breakdown).trim().toLowerCase();
    if (label.length < 4 || VAGUE.has(label)) continue;
    const list = index.get(label);
    if (list) list.push(g);
    else index.set(label, [g]);
  }
  byPeriod.set(period, index);
  return index;
}

/**
 * The categories whose label stands, as whole words, within 40 characters before the number, with no
 * other number between it and the number ("the police (28%)"): each stretch of that window from a word
 * boundary to a word boundary is looked up (at most 40 × 40), the first place a label stands counting.
 */
function labelledBefore(sentence: string, s: Statement, index: ReadonlyMap<string, readonly ObservationGroup[]>): ObservationGroup[] {
  const before = sentence.slice(Math.max(0, s.offset - 40), s.offset).toLowerCase();
  const letter = (i: number) => i >= 0 && i < before.length && before[i]! >= 'a' && before[i]! <= 'z';
  const found = new Set<string>();
  const out: ObservationGroup[] = [];
  for (let from = 0; from < before.length; from++) {
    if (letter(from - 1)) continue;
    for (let to = from + 1; to <= before.length; to++) {
      if (letter(to)) continue;
      const label = before.slice(from, to);
      const groups = index.get(label);
      if (!groups || found.has(label)) continue;
      found.add(label);
      // from the character before the label (the boundary), no digit up to the number
      if (/\d/.test(before.slice(Math.max(0, from - 1)))) continue;
      for (const g of groups) out.push(g);
    }
  }
  return out;
}

/** The sentence names the breakdown: every significant word of its title and of the labels between title and category. */
function namesBreakdown(words: Set<string>, breakdown: string): boolean {
  const parts = breakdown.split(' › ');
  const significant = [title(breakdown), ...parts.slice(1, -1)].flatMap((p) => [...wordsOf(p)]).filter((w) => w.length >= 4 && !STOP.has(w));
  return significant.length > 0 && significant.every((w) => words.has(w));
}

function excerpt(sentence: string, s: Statement): string {
  const from = Math.max(0, s.offset - 80);
  return `${from > 0 ? '…' : ''}${sentence.slice(from, s.offset + s.figure.raw.length + 20).trim()}…`;
}
