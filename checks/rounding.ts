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
