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

/** A number as a publisher printed it in a table cell: the number, and what was printed with it. */
export interface PublishedNumber extends ParsedNumber {
  /**
   * The footnote or flag printed with the number, as its key: "*", "**", "†", "a", "r", the number of
   * a note ("[note 3]" and "³" give "3"), "()" for a figure shown in parentheses as an estimate; several
   * in printed order, space-separated ("15a*" gives "a *"). null when the number stands alone.
   */
  marker: string | null;
  /** The currency sign printed with the number ("£29,242" gives "£"), else null. */
  currency: string | null;
}

/**
 * What a figure in parentheses means, which the cell alone cannot say: in an account (money, income,
 * expenditure) "(23)" is −23; in a survey table it is 23, an estimate on a small base; in a column of
 * changes it could be either, so it is not read.
 */
export type Parenthesised = 'negative' | 'estimate' | 'ambiguous';

const SUPERSCRIPT_KEYS: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
  'ᵃ': 'a', 'ᵇ': 'b', 'ᶜ': 'c', 'ᵈ': 'd', 'ᵉ': 'e', 'ᶠ': 'f', 'ᵍ': 'g', 'ʰ': 'h', 'ⁱ': 'i', 'ʲ': 'j',
  'ᵏ': 'k', 'ˡ': 'l', 'ᵐ': 'm', 'ⁿ': 'n', 'ᵒ': 'o', 'ᵖ': 'p', 'ʳ': 'r', 'ˢ': 's', 'ᵗ': 't', 'ᵘ': 'u',
  'ᵛ': 'v', 'ʷ': 'w', 'ˣ': 'x', 'ʸ': 'y', 'ᶻ': 'z',
};

/**
 * One marker at the end of a cell, each with the key it gives:
 * - a run of note symbols, glued or spaced: "2*", "2 **", "1,234†", "‡", "§", "¶", "#";
 * - a run of superscripts: "1,234¹", "12ᵃ" (the digits or letters they stand for);
 * - a bracketed note or flag: "12 [note 3]" (3), "12 [r]", "12 [p]" (up to three letters or two digits);
 * - one lowercase letter right after a digit, glued or after one space: "15a", "15 a". Never k or m,
 *   which multiply ("£1.2m", "15k"), and never two letters ("15th", "12am").
 */
const TRAILING_MARKERS: ReadonlyArray<{ pattern: RegExp; key: (m: RegExpExecArray) => string; letter?: true }> = [
  { pattern: /\s*([*†‡§¶#]+)$/, key: (m) => m[1]! },
  { pattern: new RegExp(`\\s*([${Object.keys(SUPERSCRIPT_KEYS).join('')}]+)$`), key: (m) => [...m[1]!].map((ch) => SUPERSCRIPT_KEYS[ch]).join('') },
  { pattern: /\s*\[\s*(?:note\s*(\d{1,3}[a-z]?)|([a-z]{1,3}|\d{1,2}))\s*\]$/i, key: (m) => m[1] ?? m[2]!.toLowerCase() },
  { pattern: /(?<=\d) ?([a-jln-z])$/, key: (m) => m[1]!, letter: true },
];
const MAX_MARKERS = 3;
/** Longer than any number with its markers ("-£1,234,567,890.12 [note 12] *"): not read, and never scanned. */
const MAX_LENGTH = 48;
const LEADING_CURRENCY = /^([+\-−–]?)\s*([£$€])\s*/;
const TRAILING_CURRENCY = /\s*([£$€])$/;
const PARENTHESES = /^\(\s*(.+?)\s*\)$/;

/**
 * Read a table cell as the number its publisher meant, keeping what was printed with it:
 * "2*", "15a", "1,234†", "12 [note 3]" (the number and its marker), "£29,242" (the number and its
 * currency sign; a multiplier such as "£1.2m" is not read), "(23)" (as `parenthesised` says), "-00"
 * (0). Returns null for anything else: a range ("12-15"), words, a marker alone, a year with words.
 *
 * This is for cells already known to hold values (a value column of a table). It is not the test of
 * what is a number: labels such as "Table 3a" or a row "2a" must stay labels, so everything that
 * decides what a number is uses parseNumberText, which takes bare numbers only.
 */
export function readPublishedNumber(text: string, parenthesised: Parenthesised = 'ambiguous'): PublishedNumber | null {
  let body = text.trim();
  const bare = parseNumberText(body);
  if (bare) return { value: bare.value === 0 ? 0 : bare.value, decimals: bare.decimals, percent: bare.percent, marker: null, currency: null }; // "-00" is 0
  if (body.length > MAX_LENGTH) return null;
  const markers: string[] = [];
  let letterMarked = false;
  for (let found = true; found && markers.length < MAX_MARKERS; ) {
    found = false;
    for (const { pattern, key, letter } of TRAILING_MARKERS) {
      const m = pattern.exec(body);
      if (!m || m.index === 0) continue;
      markers.unshift(key(m));
      letterMarked ||= letter === true;
      body = body.slice(0, m.index).trimEnd();
      found = true;
      break;
    }
  }
  // the sign and parentheses, in either order: "£(23)", "(£23)", "-£5", "£-5"
  let inParentheses = false;
  let currency: string | null = null;
  let sign = '';
  for (let step = 0; step < 2; step++) {
    const bracketed = inParentheses ? null : PARENTHESES.exec(body);
    if (bracketed) {
      inParentheses = true;
      body = bracketed[1]!;
    }
    const leading: RegExpExecArray | null = currency ? null : LEADING_CURRENCY.exec(body);
    const trailing: RegExpExecArray | null = currency || leading ? null : TRAILING_CURRENCY.exec(body);
    if (leading) {
      currency = leading[2]!;
      sign = leading[1]!;
      body = body.slice(leading[0].length);
    } else if (trailing && trailing.index > 0) {
      currency = trailing[1]!;
      body = body.slice(0, trailing.index);
    }
  }
  const parsed = parseNumberText(sign + body);
  if (!parsed) return null;
  // a currency sign with a letter ("£3b") or a percentage ("£5%") is not a plain amount
  if (currency && (parsed.percent || letterMarked)) return null;
  let value = parsed.value;
  if (inParentheses) {
    if (sign !== '' || /^[+\-−–]/.test(body)) return null; // "(-23)": a sign inside says nothing is meant by the parentheses
    if (currency || parenthesised === 'negative') value = -value;
    else if (parenthesised === 'estimate') markers.unshift('()');
    else return null;
  }
  return { value: value === 0 ? 0 : value, decimals: parsed.decimals, percent: parsed.percent, marker: markers.length > 0 ? markers.join(' ') : null, currency };
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
