/** Helpers for the text of labels and cells as PDF-to-text conversion leaves them. */

const SUPERSCRIPT_DIGITS: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
};
const SUPERSCRIPT_RUN = /[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g;

/** Child-row markers used by the SafeLives reports (and common in PDF conversions). */
const CHILD_MARKERS = /^[┆└↳├│]\s*/;

/** "England and Wales ¹¹" → { text: "England and Wales", markers: ["11"] }. */
export function splitFootnoteMarkers(label: string): { text: string; markers: string[] } {
  const markers: string[] = [];
  const text = label
    .replace(SUPERSCRIPT_RUN, (run) => {
      markers.push([...run].map((ch) => SUPERSCRIPT_DIGITS[ch] ?? '').join(''));
      return '';
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { text, markers };
}

/** Leading footnote marker of a note line ("¹¹ The services total…" → "11"), or null. */
export function leadingFootnoteMarker(line: string): { marker: string; text: string } | null {
  const m = /^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.*)$/.exec(line.trim());
  if (!m) return null;
  return { marker: [...m[1]!].map((ch) => SUPERSCRIPT_DIGITS[ch] ?? '').join(''), text: m[2]! };
}

/**
 * Marks a row of a named group of rows ("⊢ % Declined" under a heading "Wales"): the workbook reader
 * writes it where a column of the sheet names the group of each row (an area column). Unlike a child
 * (┆ └ ↳), a member is a category of its own, as in a table that repeats one block of rows per group:
 * its label path starts with the group's name, it is not nested under the heading.
 */
export const GROUP_MEMBER_MARKER = '⊢ ';

/** "┆ Bisexual" → { label: "Bisexual", child: true }; "⊢ % Declined" → { label: "% Declined", child: false, member: true }. */
export function splitChildMarker(label: string): { label: string; child: boolean; member: boolean } {
  if (label.startsWith(GROUP_MEMBER_MARKER)) return { label: label.slice(GROUP_MEMBER_MARKER.length).trim(), child: false, member: true };
  const m = CHILD_MARKERS.exec(label);
  return m ? { label: label.slice(m[0].length).trim(), child: true, member: false } : { label: label.trim(), child: false, member: false };
}

export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "Total Agree" → "Agree"; "Total" → null. What a total-labelled row says it totals. */
export function totalSubject(label: string): string | null {
  const m = /^(?:total|all)\s+(.+)$/i.exec(label.trim());
  return m ? m[1]!.trim() : null;
}

/** Rows whose label names `subject` as a whole word ("Strongly agree", "Agree" for "Agree"; not "Disagree"). */
export function labelNames(label: string, subject: string): boolean {
  return namesPattern(subject).test(label);
}

/** The pattern labelNames tests: `subject` case-insensitively, with a non-letter (or the end) on each side. */
function namesPattern(subject: string): RegExp {
  const escaped = subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'iu');
}

/**
 * Which of many labels name a subject (labelNames), without testing every label for every subject:
 * a table of n rows with n "Total X" rows would otherwise cost n² pattern tests (and compile a
 * pattern of `\p{L}` under the i and u flags for each, which is slow in itself).
 *
 * A label is cut into tokens: single characters that labelNames' pattern takes as a boundary
 * (`[^\p{L}]` under the i and u flags) and the runs of other characters between them. Where the
 * pattern matches, it spans whole tokens of the label, as many as the subject has, starting after a
 * boundary character (or at the start) and ending before one (or at the end), and each of its
 * characters is case-insensitively equal (as the i and u flags compare) to the subject's; and such
 * a span is a match. So the labels holding a window of that many tokens, between boundaries, with
 * the same case-folded key as the subject are the only candidates, and a candidate names the subject
 * when one such window's characters equal the subject's one by one. The key folds ASCII to lower
 * case, KELVIN SIGN and LONG S to their ASCII letters (the only characters outside ASCII that the i
 * and u flags make equal to an ASCII one), keeps characters without case (equal only to themselves),
 * and maps every other cased character to one placeholder; two characters under the placeholder are
 * compared with the flags themselves. Building the windows for subjects of t tokens costs one pass
 * over the labels; each subject then costs its candidates. labels.test.ts holds the index to the
 * pattern's answers.
 */
export class LabelIndex {
  private readonly tokens: Array<Tokens | undefined>;
  /** For each window length in tokens: key → positions of the labels holding such a window, ascending. */
  private readonly windows = new Map<number, Map<string, number[]>>();

  constructor(private readonly labels: readonly string[]) {
    this.tokens = new Array<Tokens | undefined>(labels.length);
  }

  /** Positions of the labels that name `subject`, ascending; at most `limit` of them, leaving out `except`. */
  naming(subject: string, options: { limit?: number; except?: number } = {}): number[] {
    const limit = options.limit ?? Infinity;
    const out: number[] = [];
    if (limit <= 0) return out;
    const wanted = tokenize(subject);
    const length = wanted.tokens.length;
    if (length === 0) {
      // an empty subject: the pattern matches at any boundary (not reached: subjects are never empty)
      const pattern = namesPattern(subject);
      for (let i = 0; i < this.labels.length && out.length < limit; i++) if (i !== options.except && pattern.test(this.labels[i]!)) out.push(i);
      return out;
    }
    const key = windowKey(wanted, 0, length);
    for (const i of this.windowsOf(length).get(key) ?? []) {
      if (out.length >= limit) break;
      if (i !== options.except && this.names(this.tokensOf(i), wanted, key)) out.push(i);
    }
    return out;
  }

  private tokensOf(i: number): Tokens {
    let label = this.tokens[i];
    if (!label) {
      label = tokenize(this.labels[i]!);
      this.tokens[i] = label;
    }
    return label;
  }

  /** Whether a window of the label, between boundaries, holds the subject's characters (case-insensitively). */
  private names(label: Tokens, wanted: Tokens, key: string): boolean {
    const length = wanted.tokens.length;
    const from = wanted.tokens[0]!.start;
    const to = wanted.tokens[length - 1]!.end;
    for (let a = 0; a + length <= label.tokens.length; a++) {
      if (!between(label.tokens, a, a + length) || windowKey(label, a, a + length) !== key) continue;
      if (sameCharacters(label.text, label.tokens[a]!.start, label.tokens[a + length - 1]!.end, wanted.text, from, to)) return true;
    }
    return false;
  }

  private windowsOf(length: number): Map<string, number[]> {
    const built = this.windows.get(length);
    if (built) return built;
    const map = new Map<string, number[]>();
    for (let i = 0; i < this.labels.length; i++) {
      const label = this.tokensOf(i);
      for (let a = 0; a + length <= label.tokens.length; a++) {
        if (!between(label.tokens, a, a + length)) continue;
        const key = windowKey(label, a, a + length);
        const list = map.get(key);
        if (!list) map.set(key, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    }
    this.windows.set(length, map);
    return map;
  }
}

/** Tokens [a, b) have a boundary character (or the edge of the label) on each side, as the pattern needs. */
function between(tokens: readonly Token[], a: number, b: number): boolean {
  return (a === 0 || tokens[a - 1]!.boundary) && (b === tokens.length || tokens[b]!.boundary);
}

interface Token {
  /** Where the token starts and ends in the text. */
  start: number;
  end: number;
  /** Where its characters' keys start and end in the text's folded key (see LabelIndex). */
  keyStart: number;
  keyEnd: number;
  /** A single character labelNames' pattern takes as a word boundary. */
  boundary: boolean;
}

interface Tokens {
  text: string;
  key: string;
  tokens: Token[];
}

const BOUNDARY_CHAR = /^[^\p{L}]$/iu;
const boundaryCache = new Map<string, boolean>();

function isBoundaryChar(ch: string): boolean {
  let known = boundaryCache.get(ch);
  if (known === undefined) {
    known = BOUNDARY_CHAR.test(ch);
    boundaryCache.set(ch, known);
  }
  return known;
}

/** Boundary characters one by one and the runs of other characters between them, by code point, with the folded key of the text. */
function tokenize(text: string): Tokens {
  const tokens: Token[] = [];
  let key = '';
  let run: { start: number; keyStart: number } | null = null;
  for (let at = 0; at < text.length; ) {
    const cp = text.codePointAt(at)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = width === 1 ? text[at]! : text.slice(at, at + width);
    if (isBoundaryChar(ch)) {
      if (run) tokens.push({ start: run.start, end: at, keyStart: run.keyStart, keyEnd: key.length, boundary: false });
      run = null;
      const keyStart = key.length;
      key += foldChar(ch, cp);
      tokens.push({ start: at, end: at + width, keyStart, keyEnd: key.length, boundary: true });
    } else {
      run ??= { start: at, keyStart: key.length };
      key += foldChar(ch, cp);
    }
    at += width;
  }
  if (run) tokens.push({ start: run.start, end: text.length, keyStart: run.keyStart, keyEnd: key.length, boundary: false });
  return { text, key, tokens };
}

/** The folded key of tokens [a, b). */
function windowKey({ key, tokens }: Tokens, a: number, b: number): string {
  return key.slice(tokens[a]!.keyStart, tokens[b - 1]!.keyEnd);
}

/** Whether x[xFrom, xTo) and y[yFrom, yTo) are equal code point by code point under the i and u flags. */
function sameCharacters(x: string, xFrom: number, xTo: number, y: string, yFrom: number, yTo: number): boolean {
  let i = xFrom;
  let j = yFrom;
  while (i < xTo && j < yTo) {
    const a = x.codePointAt(i)!;
    const b = y.codePointAt(j)!;
    if (a !== b) {
      const ca = String.fromCodePoint(a);
      const cb = String.fromCodePoint(b);
      const ka = foldChar(ca, a);
      if (ka !== foldChar(cb, b)) return false;
      if (ka === PLACEHOLDER && !caseEquivalent(ca, cb)) return false;
    }
    i += a > 0xffff ? 2 : 1;
    j += b > 0xffff ? 2 : 1;
  }
  return i === xTo && j === yTo;
}

/** The key of cased characters outside ASCII (and of U+0001 itself, which compares by the flags like them). */
const PLACEHOLDER = '\u0001';
const equivalence = new Map<string, boolean>();

/** Two characters equal under the i and u flags, asked of the flags themselves (few distinct pairs: kept). */
function caseEquivalent(a: string, b: string): boolean {
  const pair = `${a}\u0000${b}`;
  let known = equivalence.get(pair);
  if (known === undefined) {
    known = new RegExp(`^${a.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}$`, 'iu').test(b);
    equivalence.set(pair, known);
  }
  return known;
}

function foldChar(ch: string, cp: number): string {
  if (cp < 0x80) return ch.toLowerCase();
  if (cp === 0x212a) return 'k'; // KELVIN SIGN
  if (cp === 0x17f) return 's'; // LATIN SMALL LETTER LONG S
  if (ch.toLowerCase() === ch && ch.toUpperCase() === ch) return ch;
  return PLACEHOLDER;
}
