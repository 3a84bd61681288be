import { formatValue, halfUnit, type Figure } from '../core/index.js';

/**
 * Tolerance comes from rounding, never from a bare epsilon (statcheck, validate's lin.eq.eps).
 * A published figure shown to d decimals stands for any true value within half a unit of its last
 * place. Counts of people, cases or calls are exact; percentages, FTE and other measured or derived
 * values are rounded to what is shown.
 */

/** Float slack for arithmetic on decimals (0.1 + 0.2), far below any published precision. */
const FLOAT_SLACK = 1e-9;

export interface Interval {
  low: number;
  high: number;
}

export function isExact(figure: Figure): boolean {
  return figure.unit === 'count' && figure.decimals === 0;
}

/** The half-unit a figure may be off by: 0 for an exact count. */
export function roundingOf(figure: Figure): number {
  return isExact(figure) ? 0 : halfUnit(figure.decimals);
}

export function intervalOf(figure: Figure): Interval {
  const r = roundingOf(figure);
  return { low: figure.value - r, high: figure.value + r };
}

/** Sum of figures as an interval: k parts each off by half a unit can miss by k half-units. */
export function sumInterval(figures: readonly Figure[]): Interval {
  let low = 0;
  let high = 0;
  for (const f of figures) {
    const i = intervalOf(f);
    low += i.low;
    high += i.high;
  }
  return { low, high };
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.low <= b.high + FLOAT_SLACK && b.low <= a.high + FLOAT_SLACK;
}

export function contains(interval: Interval, value: number): boolean {
  return value >= interval.low - FLOAT_SLACK && value <= interval.high + FLOAT_SLACK;
}

/** Decimals to show a sum of figures at: the most precise part. */
export function decimalsOf(figures: readonly Figure[]): number {
  return figures.reduce((d, f) => Math.max(d, f.decimals), 0);
}

/** Sum of values, rounded to the decimals shown so that 33.300000000000004 never appears. */
export function sumValues(figures: readonly Figure[]): number {
  const d = decimalsOf(figures);
  return Number(formatValue(figures.reduce((s, f) => s + f.value, 0), d));
}

/** "± 1.5" from the half-width of an interval, formatted to the precision compared. */
export function formatTolerance(halfWidth: number, decimals: number): string {
  if (halfWidth <= FLOAT_SLACK) return 'exact (counts are not rounded)';
  return `± ${formatValue(halfWidth, Math.max(decimals + 1, 1)).replace(/0+$/, '').replace(/\.$/, '')}`;
}

export function formatNumber(value: number, decimals: number): string {
  const fixed = formatValue(value, decimals);
  const [whole, frac] = fixed.split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const digits = sign ? whole!.slice(1) : whole!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac ? `.${frac}` : ''}`;
}

/**
 * Rounding weighed by probability. k parts each rounded to a unit can miss their rounded total by
 * up to (k + 1) / 2 units, but a miss near that bound is unlikely: each rounding error is uniform
 * on (−½, ½) of its unit and independent of the others, so the gap they make is an Irwin–Hall sum
 * (k parts' errors, plus the total's own). A figure shown as 0 of a quantity that cannot be negative
 * (counts, FTE, rates, shares) has a true value in [0, ½): its error is uniform on [0, ½) instead.
 *
 * `gapProbability` is P(|D| ≥ |gap|), D the sum of the errors (twice the tail in the gap's direction): exact (the CDF of a sum of uniforms
 * of a few distinct widths, Irwin–Hall's formula generalised, evaluated on the short tail where it
 * is numerically sound) up to EXACT_TERMS rounded figures; above that, a normal approximation with
 * the errors' mean and variance (k/12 units² for k whole-unit errors), whose tails are slightly
 * heavier than the exact ones, so it never calls a gap less likely than it is by much.
 */

/** A gap inside the worst-case bound that rounding alone explains with less than this probability is a warning. */
export const IMPROBABLE_ROUNDING = 0.001;
/** Up to this many rounded figures the probability is exact (Irwin–Hall); above, a normal approximation. */
export const EXACT_TERMS = 30;

/** Units whose true values cannot be negative: a 0 shown stands for [0, ½ unit). */
export const NON_NEGATIVE_UNITS: ReadonlySet<Figure['unit']> = new Set(['count', 'fte', 'rate', 'percent']);

/**
 * The rounding error (true − shown) of a figure as an interval: ± half its unit, or [0, half) for a 0
 * that cannot be negative; `extra` widens it (counts a table gives rounded to 100 carry ± 50).
 * Exact counts give [0, 0].
 */
export function errorOf(figure: Figure, options: { extra?: number; nonNegative?: boolean } = {}): Interval {
  const r = roundingOf(figure) + (figure.unit === 'count' ? (options.extra ?? 0) : 0);
  if (r === 0) return { low: 0, high: 0 };
  const nonNegative = options.nonNegative ?? NON_NEGATIVE_UNITS.has(figure.unit);
  return nonNegative && figure.value === 0 ? { low: 0, high: r } : { low: -r, high: r };
}

/** The range of a sum of errors: what rounding could do at worst. */
export function errorRange(errors: readonly Interval[]): Interval {
  return errors.reduce((s, e) => ({ low: s.low + e.low, high: s.high + e.high }), { low: 0, high: 0 });
}

/** Whether a gap lies inside the range rounding could make at worst. */
export function withinRounding(gap: number, errors: readonly Interval[]): boolean {
  return contains(errorRange(errors), gap);
}

/**
 * How likely it is that rounding alone makes a gap at least this large, D the sum of independent
 * errors each uniform on its interval: twice the tail P(D ≥ gap) (or P(D ≤ gap) for a negative gap),
 * which for symmetric errors is P(|D| ≥ |gap|). 1 for no gap (at most), 0 beyond the worst case.
 */
export function gapProbability(gap: number, errors: readonly Interval[]): number {
  const g = Math.abs(gap);
  if (g <= FLOAT_SLACK) return 1;
  const terms = errors.filter((e) => e.high - e.low > FLOAT_SLACK);
  if (terms.length === 0) return 0;
  const lowSum = terms.reduce((s, e) => s + e.low, 0);
  const highSum = terms.reduce((s, e) => s + e.high, 0);
  let p: number;
  if (terms.length <= EXACT_TERMS) {
    const widths = terms.map((e) => e.high - e.low);
    // D = Σlow + W, W a sum of uniforms on [0, wᵢ]; −D = −Σhigh + W' with W' distributed as W
    p = gap < 0 ? uniformSumCdf(-g - lowSum, widths) : uniformSumCdf(-g + highSum, widths);
  } else {
    const mean = (lowSum + highSum) / 2;
    const sd = Math.sqrt(terms.reduce((s, e) => s + (e.high - e.low) ** 2 / 12, 0));
    p = gap < 0 ? normalCdf((-g - mean) / sd) : normalCdf((-g + mean) / sd);
  }
  // the tail in the gap's own direction, doubled: for symmetric errors exactly P(|D| ≥ |gap|); a gap
  // rounding cannot make in its direction (zeros that cannot be negative) stays impossible
  return Math.min(1, Math.max(0, 2 * p));
}

/**
 * Whether rounding errors may be weighed as uniform and independent. For figures rounded to their own
 * printed precision (FTE, percentages) they may; counts a table rounds to 10, 100 or thousands (often
 * disclosure control) may not when small: a "10" of people rounded to 10 is a small count, not a
 * value spread evenly over 5–15, and zeros are mostly true zeros. Those are weighed only when every
 * one is at least 10 of its rounding units; otherwise only the worst case applies.
 */
export function weighable(figures: readonly Figure[], countRounding: number): boolean {
  return countRounding === 0 || figures.every((f) => f.unit !== 'count' || Math.abs(f.value) >= 20 * countRounding);
}

/** k parts each rounded to one unit, and (unless it is exact, as 100% is) their total: P(rounding alone makes a gap ≥ |g| units). */
export function roundingExplains(g: number, k: number, totalRounded = true): number {
  return gapProbability(g, Array.from({ length: k + (totalRounded ? 1 : 0) }, () => ({ low: -0.5, high: 0.5 })));
}

/** "with probability < 0.0001", "with probability 0.012". */
export function formatProbability(p: number): string {
  if (p <= 0) return '0';
  if (p < 0.0001) return '< 0.0001';
  return Number(p.toPrecision(2)).toString();
}

/** What a finding on rounded figures says of rounding: the worst case and how likely the gap is. */
export function roundingNote(gap: number, errors: readonly Interval[], decimals: number): string {
  const range = errorRange(errors);
  const bound = range.low === -range.high ? `± ${formatNumber(range.high, decimals + 1)}` : `${formatNumber(range.low, decimals + 1)} to +${formatNumber(range.high, decimals + 1)}`;
  const p = gapProbability(gap, errors);
  return p <= 0 ? `rounding alone gives at worst ${bound}, so cannot explain it` : `rounding alone gives at worst ${bound}, and explains a gap this large with probability ${formatProbability(p)}`;
}

/**
 * CDF at x of a sum of independent uniforms on [0, wᵢ]: (1 / (m! Π wᵢ)) Σ over subsets S of (−1)^|S| (x − Σ_S wᵢ)₊^m,
 * with the widths grouped so that the subsets are counted, not listed.
 */
function uniformSumCdf(x: number, widths: readonly number[]): number {
  if (x <= 0) return 0;
  const total = widths.reduce((s, w) => s + w, 0);
  if (x >= total) return 1;
  const groups = new Map<string, { w: number; n: number }>();
  for (const w of widths) {
    const key = w.toPrecision(12);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { w, n: 1 });
  }
  const list = [...groups.values()];
  const m = widths.length;
  let factorial = 1;
  for (let i = 2; i <= m; i++) factorial *= i;
  const norm = factorial * list.reduce((s, g) => s * g.w ** g.n, 1);
  let sum = 0;
  const walk = (at: number, shift: number, sign: number, weight: number) => {
    if (shift >= x) return;
    if (at === list.length) {
      sum += sign * weight * (x - shift) ** m;
      return;
    }
    const { w, n } = list[at]!;
    let choose = 1;
    for (let j = 0; j <= n; j++) {
      if (j > 0) choose = (choose * (n - j + 1)) / j;
      walk(at + 1, shift + j * w, j % 2 ? -sign : sign, weight * choose);
    }
  };
  walk(0, 0, 1, 1);
  return sum / norm;
}

function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/**
 * What a finding on figures says of rounding: `bound`, the largest gap the rounding of the figures
 * involved allows; `gap`, the gap stated; `likelihood`, how likely rounding alone makes it, each
 * rounded figure's true value uniform within its half-unit (and exact counts exact).
 */
export interface RoundingOdds {
  bound: number;
  gap: number;
  likelihood: number;
}

/**
 * Two figures stated for one value (a figure restated, revised, given by another publisher): both
 * stand for one true value, so the gap |a − b| comes from their two rounding errors alone. bound is
 * the sum of their half-units (0 for two exact counts); likelihood is P(|e_a − e_b| ≥ gap): 1 for
 * no gap, 0 for a gap beyond the bound (`gapProbability` of the two errors).
 */
export function roundingOddsOfPair(a: Figure, b: Figure): RoundingOdds {
  const gap = Math.abs(a.value - b.value);
  const errors = [errorOf(a), errorOf(b)];
  const range = errorRange(errors);
  const bound = Math.max(Math.abs(range.low), Math.abs(range.high));
  const likelihood = gap <= FLOAT_SLACK ? 1 : gap > bound + FLOAT_SLACK ? 0 : gapProbability(gap, errors);
  return { bound, gap, likelihood };
}

/**
 * The values f can take with each input anywhere in its rounding interval (counts exact): f taken
 * monotone in each input, as ratios, shortfalls and changes are, so the corners of the inputs' box
 * give its range. Corners where f is not finite (a denominator of 0) are left out.
 */
export function derivedInterval(inputs: readonly Figure[], f: (values: readonly number[]) => number): Interval {
  const shown = f(inputs.map((i) => i.value));
  const boxes = inputs.map((i) => intervalOf(i));
  let low = Number.isFinite(shown) ? shown : Infinity;
  let high = Number.isFinite(shown) ? shown : -Infinity;
  const corners = 1 << boxes.length;
  for (let mask = 0; mask < corners; mask++) {
    const v = f(boxes.map((b, k) => (mask & (1 << k) ? b.high : b.low)));
    if (!Number.isFinite(v)) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  return { low, high };
}

/** Grid points per rounded input when weighing a derived value: 4,096 cells for two rounded inputs, 1,331 for three. */
const GRID: readonly number[] = [1, 4096, 64, 11, 6];

/**
 * A value derived from rounded inputs (a ratio, a change) against the figure stated for it. The gap
 * is |f(inputs as shown) − stated|; bound is how far f can move within the inputs' rounding box
 * (f is taken monotone in each input, as ratios and changes are, so the corners give its range) plus
 * the stated figure's own half-unit; likelihood is the share of the input box, each input uniform
 * on its rounding interval, where f rounds to the stated figure (falls in its interval), evaluated at
 * the centres of a fixed grid (deterministic; exact inputs take their one value).
 */
export function roundingOddsOfDerived(stated: Figure, inputs: readonly Figure[], f: (values: readonly number[]) => number): RoundingOdds {
  const allowed = intervalOf(stated);
  const shown = f(inputs.map((i) => i.value));
  const gap = Math.abs(shown - stated.value);
  const boxes = inputs.map((i) => intervalOf(i));
  const { low, high } = derivedInterval(inputs, f);
  const bound = Math.max(high - shown, shown - low) + roundingOf(stated);
  const rounded = boxes.filter((b) => b.high - b.low > FLOAT_SLACK).length;
  const steps = GRID[Math.min(rounded, GRID.length - 1)]!;
  const axes = boxes.map((b) => (b.high - b.low > FLOAT_SLACK ? Array.from({ length: steps }, (_, s) => b.low + ((s + 0.5) / steps) * (b.high - b.low)) : [(b.low + b.high) / 2]));
  let inside = 0;
  let total = 0;
  const point: number[] = new Array(axes.length).fill(0);
  const walk = (k: number) => {
    if (k === axes.length) {
      total++;
      const v = f(point);
      if (Number.isFinite(v) && contains(allowed, v)) inside++;
      return;
    }
    for (const x of axes[k]!) {
      point[k] = x;
      walk(k + 1);
    }
  };
  walk(0);
  const likelihood = gap <= FLOAT_SLACK ? 1 : gap > bound + FLOAT_SLACK ? 0 : total === 0 ? 0 : inside / total;
  return { bound, gap, likelihood };
}

/** "never (0%)", "certainly (100%)", "with probability 12%", "with probability < 0.01%". */
export function formatLikelihood(likelihood: number): string {
  if (likelihood <= 0) return 'never (0%)';
  if (likelihood >= 1) return 'certainly (100%)';
  const percent = likelihood * 100;
  if (percent < 0.01) return 'with probability < 0.01%';
  return `with probability ${Number(percent.toPrecision(2))}%`;
}

/**
 * The tolerance text of a finding on figures: "± 0.5 from rounding; gap 1; rounding alone explains
 * it: never (0%)"; "exact (counts are not rounded); gap 20; …" when nothing is rounded.
 */
export function formatOdds(odds: RoundingOdds, decimals: number): string {
  const bound = odds.bound <= FLOAT_SLACK ? 'exact (counts are not rounded)' : `${formatTolerance(odds.bound, decimals)} from rounding`;
  // the gap one place finer than the figures, without trailing zeros: "20", "0.1", "0.38"
  const gap = formatNumber(odds.gap, decimals + 1).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return `${bound}; gap ${gap}; rounding alone explains it: ${formatLikelihood(odds.likelihood)}`;
}
