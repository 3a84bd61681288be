import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Figure } from '../../core/index.js';
import { packagePath } from '../../core/paths.js';
import type { Observation } from '../../transform/index.js';
import { FileLineError, parseJsonLines } from '../../transform/json-lines.js';
import { defineCheck, type AnyCheck, type ObservationGroup, type Outcome, groupKey, groupLabel } from '../define.js';
import { derivedInterval, formatNumber, formatOdds, intervalOf, overlaps, roundingOddsOfDerived } from '../rounding.js';
import { countStated, distinctValues, observationEvidence } from './restated-figure.js';

/**
 * A measure derived from others by definition agrees with them: IDVA coverage (74%) is the FTE IDVAs
 * for victims at high risk over the FTE recommended (833 ÷ 1,120), MARAC cases per 10,000 adult
 * females (43) are the cases over the recommended cases × 40 (99,447 ÷ 92,710 × 40). Which measures
 * are derived, and how, is data: checks/derivations.jsonl, not code.
 *
 * For each value a release states for a derived measure (a value stated twice alike is judged once), its inputs are the same period, geography and breakdown
 * of the input measures, as stated in the same release if it states them, else in any release. The
 * derived value, with each input anywhere in its rounding interval (counts exact), must overlap the
 * stated figure's rounding interval. A miss is a warning, not an error: a publisher may compute from
 * unrounded inputs, or from inputs of another vintage. A missing input leaves it undecided.
 */

export const DERIVATIONS_FILE = packagePath('checks', 'derivations.jsonl');

const MeasureId = z.string().regex(/^[a-z0-9-]+$/, 'a measure id is lower-case letters, digits and hyphens');
const Scale = z.number().positive().finite();

export const Derivation = z.discriminatedUnion('kind', [
  /** measure = numerator ÷ denominator × scale */
  z.object({ measure: MeasureId, kind: z.literal('ratio'), numerator: MeasureId, denominator: MeasureId, scale: Scale }).strict(),
  /** measure = (1 − numerator ÷ denominator) × scale */
  z.object({ measure: MeasureId, kind: z.literal('shortfall'), numerator: MeasureId, denominator: MeasureId, scale: Scale }).strict(),
  /** measure = total − of */
  z.object({ measure: MeasureId, kind: z.literal('complement'), of: MeasureId, total: z.number().finite() }).strict(),
]);
export type Derivation = z.infer<typeof Derivation>;

export class DerivationsError extends FileLineError {}

/** Parses and validates a derivations file's text; an error names the file and the line. */
export function parseDerivations(text: string, file: string): Derivation[] {
  const out: Derivation[] = [];
  const seen = new Map<string, number>();
  for (const { entry, line } of parseJsonLines(text, Derivation, (at, reason) => new DerivationsError(file, at, reason))) {
    if (inputsOf(entry).includes(entry.measure)) throw new DerivationsError(file, line, `'${entry.measure}' is derived from itself`);
    const key = JSON.stringify([entry.measure, entry.kind, inputsOf(entry)]);
    const other = seen.get(key);
    if (other !== undefined) throw new DerivationsError(file, line, `the same derivation of '${entry.measure}' is given twice (also line ${other})`);
    seen.set(key, line);
    out.push(entry);
  }
  return out;
}

export function readDerivations(file: string = DERIVATIONS_FILE): Derivation[] {
  return parseDerivations(readFileSync(file, 'utf8'), file);
}

/** The input measures of a derivation, in the order its formula takes them. */
export function inputsOf(d: Derivation): string[] {
  return d.kind === 'complement' ? [d.of] : [d.numerator, d.denominator];
}

/** The derived value from the inputs' values (in inputsOf order); NaN where it is undefined (a denominator of 0). */
export function compute(d: Derivation, values: readonly number[]): number {
  switch (d.kind) {
    case 'ratio':
      return values[1] === 0 ? NaN : (values[0]! / values[1]!) * d.scale;
    case 'shortfall':
      return values[1] === 0 ? NaN : (1 - values[0]! / values[1]!) * d.scale;
    case 'complement':
      return d.total - values[0]!;
  }
}

/** The formula with the inputs' figures: "833 ÷ 1,120 × 100", "(1 − 833 ÷ 1,120) × 100", "100 − 74". */
export function formula(d: Derivation, figures: readonly Figure[]): string {
  const [a, b] = figures.map((f) => f.raw);
  switch (d.kind) {
    case 'ratio':
      return `${a} ÷ ${b} × ${formatNumber(d.scale, decimalsOfNumber(d.scale))}`;
    case 'shortfall':
      return `(1 − ${a} ÷ ${b}) × ${formatNumber(d.scale, decimalsOfNumber(d.scale))}`;
    case 'complement':
      return `${formatNumber(d.total, decimalsOfNumber(d.total))} − ${a}`;
  }
}

function decimalsOfNumber(x: number): number {
  const frac = String(x).split('.')[1];
  return frac ? frac.length : 0;
}

/** One candidate value of an input: a figure and every observation that states it. */
interface InputValue {
  measure: string;
  figure: Figure;
  observations: Observation[];
}

/**
 * The values an input measure takes where the derived figure is stated: its observations in the
 * same release if there are any, else in every release; each distinct value (within rounding) with
 * the observations that state it, most stated first.
 */
function inputValues(input: ObservationGroup, release: string): { sameRelease: boolean; values: InputValue[] } {
  const releaseOf = (o: Observation) => input.documents.get(o.document_id)?.release ?? o.document_id;
  const same = input.observations.filter((o) => releaseOf(o) === release);
  const pool = same.length > 0 ? same : input.observations;
  const figures = pool.map((o) => o.figure);
  const values = countStated(distinctValues(figures), figures).map(({ figure }) => ({
    measure: input.measure.measure_id,
    figure,
    observations: pool.filter((o) => overlaps(intervalOf(o.figure), intervalOf(figure))),
  }));
  return { sameRelease: same.length > 0, values };
}

/** Every combination of one value per input, in order (most stated values first). */
function combinations<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

/** At most this many combinations of input values are tried (inputs stated with many values). */
const MAX_COMBINATIONS = 64;

/** The check over a list of derivations (checks/derivations.jsonl for the registry; others in tests). */
export function derivedFigureCheck(derivations: readonly Derivation[]): AnyCheck {
  const byMeasure = new Map<string, Derivation[]>();
  for (const d of derivations) byMeasure.set(d.measure, [...(byMeasure.get(d.measure) ?? []), d]);
  return defineCheck({
    id: 'derived-figure',
    title: 'A derived figure follows from its inputs',
    severity: 'warning',
    describe:
      'A measure derived from others by definition (checks/derivations.jsonl: IDVA coverage = FTE for high risk ÷ FTE recommended) equals what its inputs for the same period and geography give, as stated in the same release if it states them, else in any, within the rounding of every figure.',
    subjects: 'observations',
    params: z.object({}),
    applies: (group) => byMeasure.has(group.measure.measure_id),
    // a derived measure's inputs, for the same period, geography and breakdown
    readsMeasures: (measureId) => (byMeasure.get(measureId) ?? []).flatMap(inputsOf),
    evaluate: (group) => {
      const outcomes: Outcome[] = [];
      for (const d of byMeasure.get(group.measure.measure_id) ?? []) {
        const inputGroups = inputsOf(d).map((id) => ({ id, group: group.facts.group(id, group.period, group.geography, group.breakdown) }));
        // one outcome per value a release states (stated twice alike, it is judged once, with both places)
        const statedAlike = new Map<string, Observation[]>();
        for (const o of group.observations) {
          const key = JSON.stringify([group.documents.get(o.document_id)?.release ?? o.document_id, o.figure.value, o.figure.decimals]);
          statedAlike.set(key, [...(statedAlike.get(key) ?? []), o]);
        }
        for (const stated of statedAlike.values()) {
          const missing = inputGroups.filter((i) => i.group === undefined).map((i) => i.id);
          if (missing.length > 0) {
            outcomes.push({ status: 'undecided', reason: `no ${missing.join(' or ')} is stated for ${group.period}, ${group.geography}${group.breakdown === '' ? '' : `, ${group.breakdown}`}` });
            continue;
          }
          outcomes.push(judge(group, d, stated, inputGroups.map((i) => i.group!)));
        }
      }
      return outcomes;
    },
  });
}

function judge(group: ObservationGroup, d: Derivation, stated: readonly Observation[], inputs: readonly ObservationGroup[]): Outcome {
  const o = stated[0]!;
  const document = group.documents.get(o.document_id);
  const release = document?.release ?? o.document_id;
  const found = inputs.map((g) => inputValues(g, release));
  const allowed = intervalOf(o.figure);
  const f = (values: readonly number[]) => compute(d, values);
  const tried = combinations(found.map((x) => x.values)).slice(0, MAX_COMBINATIONS);
  const judged = tried
    .map((combo) => {
      const figures = combo.map((c) => c.figure);
      const value = f(figures.map((x) => x.value));
      return { combo, figures, value, interval: derivedInterval(figures, f) };
    })
    .filter((j) => Number.isFinite(j.value));
  if (judged.length === 0) return { status: 'undecided', reason: `${inputsOf(d).join(' or ')} is 0: the derived value is undefined` };
  if (judged.some((j) => overlaps(j.interval, allowed))) return { status: 'pass' };
  // the combination nearest the stated figure is the one reported
  const nearest = [...judged].sort((a, b) => Math.abs(a.value - o.figure.value) - Math.abs(b.value - o.figure.value))[0]!;
  const odds = roundingOddsOfDerived(o.figure, nearest.figures, f);
  const ids = inputsOf(d);
  const where = found.every((x) => x.sameRelease)
    ? `${ids.join(' and ')} as the same release states them`
    : found.every((x) => !x.sameRelease)
      ? `${ids.join(' and ')} as other releases state them (the same release does not)`
      : ids.map((id, i) => `${id} ${found[i]!.sameRelease ? 'from the same release' : 'from another release (the same release does not state it)'}`).join(', ');
  const percent = o.figure.unit === 'percent' ? '%' : '';
  const shown = `${formatNumber(nearest.value, o.figure.decimals)}${percent}`;
  const exact = formatNumber(nearest.value, o.figure.decimals + 2);
  const range = `${formatNumber(nearest.interval.low, o.figure.decimals + 1)} to ${formatNumber(nearest.interval.high, o.figure.decimals + 1)}`;
  return {
    status: 'fail',
    message:
      `${groupLabel(group)}: ${document?.title ?? o.document_id} states ${o.figure.raw}${stated.length > 1 ? ` (${stated.length}×)` : ''}, but ${formula(d, nearest.figures)} = ${exact} ` +
      `(${range} within the inputs' rounding), with ${where}`,
    expected: `${shown} (${formula(d, nearest.figures)} = ${exact})`,
    actual: o.figure.raw,
    tolerance: formatOdds(odds, o.figure.decimals),
    evidence: [...stated.map((x) => observationEvidence(x, 'stated')), ...nearest.combo.flatMap((c) => c.observations.map((x) => observationEvidence(x, 'input')))],
    subject: { ...groupKey(group), derivation: [d.kind, ...inputsOf(d)], release, stated: stated.map((x) => x.source_id).sort() },
  };
}

/** The check as registered: over checks/derivations.jsonl. */
export const check = derivedFigureCheck(readDerivations());
