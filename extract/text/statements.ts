import { contentId, formatLocator, parseNumberText, type Locator, type Unit } from '../../core/index.js';
import type { Statement } from '../contracts.js';
import { findPeriods, findRelativePeriods, periodOf, shiftPeriod, type FoundPeriod } from '../periods.js';
import { headingAt } from './sections.js';

/**
 * Every number in running prose becomes a Statement: its sentence, section, unit and line.
 * Left out on purpose, because they are not statistics: years and dates (kept as the figure's
 * period), references ("Table 2", "Appendix Table 15a", "page 10"), list and section numbering,
 * contact details, and links.
 */

const NUMBER_TOKEN = /(?<![\w.,])([+\-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\s?%| per ?cent\b)?/g;
/**
 * What the text before a number may end with for the number to be left out: a reference ("Table 2",
 * "Appendix Tables 15a and ") and a month ("March 21"). Decided by SentenceScan without running these
 * patterns over the whole text before each number; they say what it decides (statements.test.ts
 * holds the two to the same answers).
 */
export const REFERENCE_BEFORE = /\b(tables?|figures?|graphs?|charts?|sections?|appendix(?: tables?)?|appendices|pages?|notes?|chapter|part|step|level|phase|version|tier|wave)\s+(?:\d+[a-z]?\s*(?:,|and|to|&)\s*)*$/i;
export const MONTH_BEFORE = /\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+$/;
const MONTH_AFTER = /^(st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b/;

export interface TextStatementsInput {
  lines: readonly string[];
  documentId: string;
  sections: ReadonlyArray<string | null>;
  /** Where line `index` (0-based) was read. */
  locate: (index: number) => Locator;
  /**
   * The period the document reports on as its record states it (DocumentRecord.period_covered): what
   * "this year", "last year" and "… ago" are relative to, and "the previous year" when the text names none.
   * Used only when it is one period phrase ("year ending March 2020"); absent or anything else: no guess.
   */
  documentPeriod?: string | null;
}

/**
 * A relative period phrase of a sentence with the period it resolves to (null: it cannot be said).
 * `attaches`: whether a figure just before it takes it as its period; not when it is what a figure is
 * compared with ("than the previous year", "compared with five years ago", "on the previous year").
 */
export interface RelativePeriod {
  offset: number;
  end: number;
  period: string | null;
  attaches: boolean;
}

const COMPARED_WITH = /\b(?:than|compared (?:with|to)|in comparison (?:with|to)|on|over|from|since|versus|vs\.?)\s+$/i;

/**
 * The relative period phrases of a sentence, resolved. "The previous year", "the year before" and
 * "… earlier" count back from the period the sentence names (the nearest before the phrase, else the
 * first after it), else the last one its paragraph named before it (`paragraph`), else its section
 * heading's, else the document's. "This year", "last year" and "… ago" count back from the document's
 * period only: "from 15% in 2017 to 20% this year" does not make this year 2017. Only a year-long
 * period is counted back from (shiftPeriod); whatever is found first decides, so a month there gives null.
 */
export function relativePeriods(sentence: string, periods: readonly FoundPeriod[], context: { paragraph?: string | null; section?: string | null; document?: string | null }): RelativePeriod[] {
  return findRelativePeriods(sentence).map((r) => {
    let anchor: string | null | undefined;
    if (r.deictic) anchor = context.document;
    else {
      anchor = [...periods].reverse().find((p) => p.end <= r.offset)?.period ?? periods.find((p) => p.offset >= r.end)?.period ?? context.paragraph ?? context.section ?? context.document;
    }
    const head = sentence.slice(Math.max(0, r.offset - 40), r.offset);
    return { offset: r.offset, end: r.end, period: anchor ? shiftPeriod(anchor, r.years) : null, attaches: !COMPARED_WITH.test(head) };
  });
}

/** Whether a figure at `start` is an age or the second age of an age range ("aged 16", "aged 16 to 74", "aged between 16 and 59"). */
function isAge(sentence: string, start: number): boolean {
  return /\baged\s+(?:between\s+)?(?:\d+\s*(?:to|and|-|–)\s*)?$/i.test(sentence.slice(Math.max(0, start - 40), start));
}

/** Sentences of one prose line: split after . ! ? followed by a space and a capital or digit. */
export function splitSentences(line: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const re = /(?<=[.!?])\s+(?=[A-Z0-9"“(\[])/g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const candidate = line.slice(last, m.index);
    // "e.g. ", "i.e. ", "approx. " and initials do not end a sentence. Only the last few characters
    // can decide (the longest word is 7 with its dot, and \b looks one further back): testing the
    // whole candidate would cost its length on every skipped break.
    const tail = candidate.slice(-12);
    if (/\b(e\.g|i\.e|approx|etc|no|vs|cf|St|Dr|Mr|Mrs|Ms)\.$/i.test(tail) || /\b[A-Z]\.$/.test(tail)) continue;
    out.push({ text: candidate.trim(), offset: last });
    last = m.index + m[0].length;
  }
  const tail = line.slice(last).trim();
  if (tail) out.push({ text: tail, offset: last });
  return out;
}

function isProseLine(lines: readonly string[], i: number): boolean {
  const line = lines[i]!;
  if (line.includes('\t')) return false;
  if (headingAt(lines, i) !== null) return false;
  const t = line.trim();
  if (t === '') return false;
  if (/^\[[^\]]*\]\(#?[^)]*\)$/.test(t)) return false; // a link on its own
  if (/^\d+\.\s+\[[^\]]*\]\(#?[^)]*\)$/.test(t)) return false; // a contents entry
  if (/^(Release date|Next release|Contact):?$/i.test(t)) return false;
  const prev = (lines[i - 1] ?? '').trim();
  if (/^(Contact|Release date|Next release):?$/i.test(prev)) return false;
  if (/^[+]?\(?\d[\d\s()]{8,}$/.test(t)) return false; // phone numbers
  if (hasEmailAddress(t) && t.split(/\s+/).length <= 3) return false;
  if (/^(Dataset|Article|Statistical bulletin|Methodology)\s*\|\s*Released/i.test(t)) return false;
  return true;
}

/**
 * Whether the text holds what /\S+@\S+\.\S+/ matches (an e-mail address), in one pass: that
 * pattern retries from every character of a long run without spaces, which is quadratic in the run.
 * It holds when a run of non-space characters has an "@" with a character before it in the run, and
 * a "." at least two characters after that "@" with a character after it in the run.
 */
export function hasEmailAddress(text: string): boolean {
  const space = /\s/;
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !space.test(text[i]!)) continue;
    // a run [runStart, i): the first "@" after its first character, the last "." before its last
    let at = -1;
    for (let j = runStart + 1; j < i; j++) {
      if (text[j] === '@') {
        at = j;
        break;
      }
    }
    if (at >= 0) {
      for (let j = i - 2; j >= at + 2; j--) if (text[j] === '.') return true;
    }
    runStart = i + 1;
  }
  return false;
}

/** Markdown links keep their words ("[Appendix Table 15a](#)" → "Appendix Table 15a"); escapes are undone. */
export function plainProse(line: string): string {
  return unlinkMarkdown(line)
    .replace(/\\([()[\]*_#])/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}

/**
 * line.replace(/\[((?:[^\]\\]|\\.)*)\]\([^)]*\)/g, '$1') in linear time: the pattern, tried at
 * every "[", reads to the next unescaped "]" each time, which is quadratic in a line of many "[".
 * From any "[", the text is read the same way after it (a backslash takes the next character
 * with it, "." excluding line terminators), so where the first unescaped "]" after each position
 * falls is worked out once, from the right.
 */
function unlinkMarkdown(line: string): string {
  if (!line.includes('[')) return line;
  const n = line.length;
  // close[i]: the first "]" at or after i read from i (-1: none, or a backslash that cannot pair)
  const close = new Int32Array(n + 2).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const c = line[i]!;
    if (c === ']') close[i] = i;
    else if (c === '\\') close[i] = i + 1 < n && !/[\n\r\u2028\u2029]/.test(line[i + 1]!) ? close[i + 2]! : -1;
    else close[i] = close[i + 1]!;
  }
  // paren[i]: the first ")" at or after i
  const paren = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) paren[i] = line[i] === ')' ? i : paren[i + 1]!;
  let out = '';
  let copied = 0;
  for (let i = 0; i < n; i++) {
    if (line[i] !== '[') continue;
    const end = close[i + 1]!;
    if (end < 0 || line[end + 1] !== '(') continue;
    const shut = paren[end + 2] ?? -1;
    if (shut < 0) continue;
    out += line.slice(copied, i) + line.slice(i + 1, end);
    copied = shut + 1;
    i = shut;
  }
  return copied === 0 ? line : out + line.slice(copied);
}

/** What a prose number measures, from the words around it. */
function proseUnit(sentence: string, start: number, end: number, percent: boolean): Unit {
  if (percent) return 'percent';
  const after = sentence.slice(end, end + 40);
  const before = sentence.slice(Math.max(0, start - 20), start);
  if (/^\s*(cases |calls |\w+ )?per \d{1,3}(,\d{3})*\b/i.test(after)) return 'rate';
  if (/£\s*$/.test(before)) return 'currency';
  if (/^\s*(full[- ]time equivalent|FTE)\b/i.test(after)) return 'fte';
  if (/^\s*(years?|months?|weeks?|days?|hours?)\b/i.test(after) || /\baged\s+(between\s+)?$/i.test(before)) return 'number';
  return 'count';
}

/** The period a figure refers to: the first period phrase after it in its clause, else the nearest before it. */
export function periodFor(periods: readonly FoundPeriod[], sentence: string, start: number, end: number): string | null {
  return new SentenceScan(sentence, periods).periodFor(start, end);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** REFERENCE_BEFORE's words, longest forms included ("appendix tables" ends with "tables", which a space precedes). */
const REFERENCE_WORDS = ['tables', 'table', 'figures', 'figure', 'graphs', 'graph', 'charts', 'chart', 'sections', 'section', 'appendix', 'appendices', 'pages', 'page', 'notes', 'note', 'chapter', 'part', 'step', 'level', 'phase', 'version', 'tier', 'wave'];
const SPACE = /\s/;
const WORD = /\w/;

/**
 * One sentence, read for what comes before each of its numbers. The patterns anchored at the end of
 * the text before a number (REFERENCE_BEFORE, "per ", a month, "to ", "from") would each cost the
 * length of that text, for every number: quadratic in a long sentence. Here each is decided from the
 * characters next to the number, with the same result: REFERENCE_BEFORE by reading its list
 * ("Tables 1, 2 and 3") backwards one item at a time, remembering the answer at each item so that
 * a long list is read once.
 */
export class SentenceScan {
  private readonly reference = new Map<number, boolean>();
  /** Where "from" (as \bfrom\b would find it in the text before a number) ends: the first such end, and every end where the next character is a letter. */
  private readonly fromEnd: number;
  private readonly fromEndsGlued = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly periods: readonly FoundPeriod[],
    /** Relative period phrases, in order of position (relativePeriods). */
    private readonly relatives: readonly RelativePeriod[] = [],
  ) {
    let first = Infinity;
    const re = /from/gi;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const q = m.index;
      if (q > 0 && WORD.test(text[q - 1]!)) continue;
      if (q + 4 < text.length && WORD.test(text[q + 4]!)) this.fromEndsGlued.add(q + 4);
      else first = Math.min(first, q + 4);
    }
    this.fromEnd = first;
  }

  /** Whether text.slice(0, at) matches /\bfrom\b/i. */
  fromBefore(at: number): boolean {
    return this.fromEnd <= at || this.fromEndsGlued.has(at);
  }

  /** Start of the run of white space that ends at `at`. */
  private spaceStart(at: number): number {
    let p = at;
    while (p > 0 && SPACE.test(this.text[p - 1]!)) p--;
    return p;
  }

  /** Whether `word` (ASCII, compared case-insensitively unless `exact`) ends at `at` with \b before it. */
  private wordEndsAt(word: string, at: number, exact = false): boolean {
    const from = at - word.length;
    if (from < 0) return false;
    for (let i = 0; i < word.length; i++) {
      const c = this.text[from + i]!;
      if (c !== word[i] && (exact || asciiLower(c) !== word[i])) return false;
    }
    return from === 0 || !WORD.test(this.text[from - 1]!);
  }

  /** /\b<word>\s+$/ on text.slice(0, at). */
  private wordThenSpaceBefore(at: number, words: readonly string[], exact = false): boolean {
    const p = this.spaceStart(at);
    return p < at && words.some((w) => this.wordEndsAt(w, p, exact));
  }

  /** REFERENCE_BEFORE.test(text.slice(0, at)): "Table 2", "Appendix Tables 15a and ", "pages 3, 4, ". */
  referenceBefore(at: number): boolean {
    const chain: number[] = [];
    let pos = at;
    let result: boolean;
    for (;;) {
      const known = this.reference.get(pos);
      if (known !== undefined) {
        result = known;
        break;
      }
      chain.push(pos);
      if (this.wordThenSpaceBefore(pos, REFERENCE_WORDS)) {
        result = true; // the word, white space, no list items
        break;
      }
      // else the last list item ends here: digits, an optional letter, white space, a separator, white space
      const item = this.itemStart(this.spaceStart(pos));
      if (item < 0) {
        result = false;
        break;
      }
      pos = item; // the rest must match up to where the item starts
    }
    for (const p of chain) this.reference.set(p, result);
    return result;
  }

  /** Start of the list item `\d+[a-z]?\s*(?:,|and|to|&)` whose separator ends at `end`, or -1. */
  private itemStart(end: number): number {
    const t = this.text;
    let q: number;
    if (t[end - 1] === ',' || t[end - 1] === '&') q = end - 1;
    else if (end >= 3 && asciiLower(t.slice(end - 3, end)) === 'and') q = end - 3;
    else if (end >= 2 && asciiLower(t.slice(end - 2, end)) === 'to') q = end - 2;
    else return -1;
    let r = this.spaceStart(q);
    if (r > 0 && /[a-z]/i.test(t[r - 1]!)) r--;
    if (r === 0 || !/\d/.test(t[r - 1]!)) return -1;
    while (r > 0 && /\d/.test(t[r - 1]!)) r--;
    return r;
  }

  /** /\bper\s+$/i on the text before `at`. */
  perBefore(at: number): boolean {
    return this.wordThenSpaceBefore(at, ['per']);
  }

  /** MONTH_BEFORE on the text before `at`. */
  monthBefore(at: number): boolean {
    return this.wordThenSpaceBefore(at, MONTH_NAMES, true);
  }

  /** Whether `at` falls inside a period phrase. */
  inPeriod(at: number): boolean {
    const p = this.lastPeriodStartingBy(at);
    return p !== null && at < p.end;
  }

  /** Whether `at` falls inside a relative period phrase ("5 years ago"). */
  inRelativePeriod(at: number): boolean {
    return this.relatives.some((r) => at >= r.offset && at < r.end);
  }

  /** The period phrase that starts last at or before `at` (phrases do not overlap and come in order). */
  private lastPeriodStartingBy(at: number): FoundPeriod | null {
    let lo = 0;
    let hi = this.periods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.periods[mid]!.offset <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.periods[lo - 1]! : null;
  }

  /**
   * The period a figure at [start, end) refers to: the first period phrase after it in its clause, else the
   * nearest before it. A relative phrase ("in the previous year") counts only as the first after it, and
   * not for an age (`age`): "33,853 calls in the previous year" is last year's figure, "aged 16 to 74 in
   * the previous year" names no period of 74; a figure after one keeps the nearest named period before it.
   */
  periodFor(start: number, end: number, age = false): string | null {
    const { periods, text } = this;
    let lo = 0;
    let hi = periods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (periods[mid]!.offset >= end) hi = mid;
      else lo = mid + 1;
    }
    const next = periods[lo];
    const relative = age ? undefined : this.relatives.find((r) => r.offset >= end);
    if (relative && relative.attaches && relative.offset - end <= 60 && (!next || relative.offset < next.offset)) {
      if (!/[;,]|\d/.test(text.slice(end, relative.offset))) return relative.period;
    }
    if (next && next.offset - end <= 60) {
      const between = text.slice(end, next.offset);
      if (!/[;,]|\d/.test(between)) return next.period;
    }
    // "from 69 to 119": the second value of a from–to pair never takes the first value's period
    if (this.wordThenSpaceBefore(start, ['to']) && this.fromBefore(start)) return null;
    // the nearest before: the last phrase ending by `start` (ends come in order too)
    lo = 0;
    hi = periods.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (periods[mid]!.end <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? periods[lo - 1]!.period : null;
  }
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function extractTextStatements(input: TextStatementsInput): Statement[] {
  const { lines, documentId, sections, locate } = input;
  const documentPeriod = input.documentPeriod ? periodOf(input.documentPeriod) : null;
  const statements: Statement[] = [];
  // Ids are unique by construction: a sentence printed twice at one place (a browser-printed PDF
  // draws some paragraphs twice; the two copies are rejoined into one line) is two sentences, the
  // second and later with an ordinal ("…:s<hex>-2"); the first keeps the id it always had.
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    if (!isProseLine(lines, i)) continue;
    const line = plainProse(lines[i]!.replace(/^\s*[-•*]\s+/, ''));
    const section = sections[i] ? periodOf(sections[i]!) : null;
    let paragraph: string | null = null; // the last period an earlier sentence of this paragraph named
    for (const sentence of splitSentences(line)) {
      const text = sentence.text;
      const periods = findPeriods(text);
      const relatives = relativePeriods(text, periods, { paragraph, section, document: documentPeriod });
      if (periods.length > 0) paragraph = periods[periods.length - 1]!.period;
      const scan = new SentenceScan(text, periods, relatives);
      const baseId = `${documentId}:${formatLocator(locate(i)).replace(/^[^:#!]*[:#!]/, '')}:s${contentId(text)}`;
      const occurrence = (seen.get(baseId) ?? 0) + 1;
      seen.set(baseId, occurrence);
      const sentenceId = occurrence === 1 ? baseId : `${baseId}-${occurrence}`;
      NUMBER_TOKEN.lastIndex = 0;
      for (let m = NUMBER_TOKEN.exec(text); m; m = NUMBER_TOKEN.exec(text)) {
        const start = m.index;
        const numberText = m[1]!;
        const end = start + m[0].length;
        if (scan.inPeriod(start) || scan.inRelativePeriod(start)) continue; // part of a period or date
        const after = text.slice(start + numberText.length);
        const last = start > 0 ? text[start - 1]! : '';
        if (scan.referenceBefore(start) || scan.perBefore(start)) continue;
        if (MONTH_AFTER.test(after) || scan.monthBefore(start)) continue; // a date: "21st January"
        if (/^[a-z]/i.test(after) && !/^(st|nd|rd|th)\b/i.test(after)) continue; // "10am", "S17", "Covid19"
        if (/^(st|nd|rd|th)\b/i.test(after)) continue; // ordinals
        if (/[a-z]/i.test(last)) continue; // "S47", "PTSD2"
        if (last === '-' && /[a-z]-$/i.test(text.slice(Math.max(0, start - 2), start))) continue; // "COVID-19": part of a name
        if (/^-[a-z]/i.test(after)) continue; // "24-hour", "16-year-old": part of a compound word
        if (/\]\(#?$/.test(text.slice(Math.max(0, start - 3), start)) || /^\)/.test(after) && last === '(') continue;
        const percent = m[2] !== undefined;
        const parsed = parseNumberText(numberText + (percent ? '%' : ''));
        if (!parsed) continue;
        const unit = proseUnit(text, start, end, percent);
        statements.push({
          statement_id: `${sentenceId}:o${start}`,
          document_id: documentId,
          sentence_id: sentenceId,
          section: sections[i] ?? null,
          sentence: text,
          figure: { raw: m[0].trim(), value: parsed.value, decimals: parsed.decimals, unit },
          offset: start,
          period: scan.periodFor(start, end, isAge(text, start)),
          locator: locate(i),
        });
      }
    }
  }
  return statements;
}
