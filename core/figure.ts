import { z } from 'zod';

/** What a figure measures. `number` when nothing says (a bare number in a table without a unit row). */
export const Unit = z.enum(['count', 'percent', 'fte', 'rate', 'currency', 'number']);
export type Unit = z.infer<typeof Unit>;

/**
 * A number as published: the raw text is never dropped, and `decimals` (how many places were
 * shown) drives every tolerance downstream (statcheck's `Raw`/`dec`).
 */
export const Figure = z
  .object({
    raw: z.string(),
    value: z.number(),
    decimals: z.number().int().min(0),
    unit: Unit,
  })
  .strict();
export type Figure = z.infer<typeof Figure>;

const NUMBER_TEXT = /^([+\-−–]?)\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(%?)$/;

export interface ParsedNumber {
  value: number;
  decimals: number;
  percent: boolean;
}

/**
 * Parse a cell or token as a published number: "1,234", "12%", "12.3", "+ 13", "-2".
 * Returns null for anything else (labels, shorthand such as [x], dates).
 */
export function parseNumberText(text: string): ParsedNumber | null {
  const m = NUMBER_TEXT.exec(text.trim());
  if (!m) return null;
  const sign = m[1] === '' || m[1] === '+' ? 1 : -1;
  const whole = m[2]!.replace(/,/g, '');
  const frac = m[3] ?? '';
  const value = sign * Number(frac ? `${whole}.${frac}` : whole);
  if (!Number.isFinite(value)) return null;
  return { value, decimals: frac.length, percent: m[4] === '%' };
}

/** Format a number to a fixed number of places without float noise (no 33.300000000000004). */
export function formatValue(value: number, decimals: number): string {
  const d = Math.max(0, Math.min(10, decimals));
  const s = value.toFixed(d);
  return s === '-0' || /^-0\.0+$/.test(s) ? s.slice(1) : s;
}

/** Half a unit in the last place shown: the rounding error a published figure may carry. */
export function halfUnit(decimals: number): number {
  return 0.5 * 10 ** -decimals;
}
