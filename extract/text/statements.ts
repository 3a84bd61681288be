import { contentId, formatLocator, parseNumberText, type Locator, type Unit } from '../../core/index.js';
import type { Statement } from '../contracts.js';
import { findPeriods, type FoundPeriod } from '../periods.js';
import { headingAt } from './sections.js';

/**
 * Every number in running prose becomes a Statement: its sentence, section, unit and line.
 * Left out on purpose, because they are not statistics: years and dates (kept as the figure's
 * period), references ("Table 2", "Appendix Table 15a", "page 10"), list and section numbering,
 * contact details, and links.
 */

const NUMBER_TOKEN = /(?<![\w.,])([+\-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\s?%| per ?cent\b)?/g;
const REFERENCE_BEFORE = /\b(tables?|figures?|graphs?|charts?|sections?|appendix(?: tables?)?|appendices|pages?|notes?|chapter|part|step|level|phase|version|tier|wave)\s+(?:\d+[a-z]?\s*(?:,|and|to|&)\s*)*$/i;
const MONTH_AFTER = /^(st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b/;
const MONTH_BEFORE = /\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+$/;

export interface TextStatementsInput {
  lines: readonly string[];
  documentId: string;
  sections: ReadonlyArray<string | null>;
  /** Where line `index` (0-based) was read. */
  locate: (index: number) => Locator;
}

/** Sentences of one prose line: split after . ! ? followed by a space and a capital or digit. */
export function splitSentences(line: string): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  const re = /(?<=[.!?])\s+(?=[A-Z0-9"“(\[])/g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const candidate = line.slice(last, m.index);
    // "e.g. ", "i.e. ", "approx. " and initials do not end a sentence
    if (/\b(e\.g|i\.e|approx|etc|no|vs|cf|St|Dr|Mr|Mrs|Ms)\.$/i.test(candidate) || /\b[A-Z]\.$/.test(candidate)) continue;
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
  if (/\S+@\S+\.\S+/.test(t) && t.split(/\s+/).length <= 3) return false;
  if (/^(Dataset|Article|Statistical bulletin|Methodology)\s*\|\s*Released/i.test(t)) return false;
  return true;
}

/** Markdown links keep their words ("[Appendix Table 15a](#)" → "Appendix Table 15a"); escapes are undone. */
export function plainProse(line: string): string {
  return line
    .replace(/\[((?:[^\]\\]|\\.)*)\]\([^)]*\)/g, '$1')
    .replace(/\\([()[\]*_#])/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
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
  const next = periods.find((p) => p.offset >= end);
  if (next) {
    const between = sentence.slice(end, next.offset);
    if (!/[;,]|\d/.test(between) && between.length <= 60) return next.period;
  }
  // "from 69 to 119": the second value of a from–to pair never takes the first value's period
  if (/\bto\s+$/i.test(sentence.slice(0, start)) && /\bfrom\b/i.test(sentence.slice(0, start))) return null;
  const before = [...periods].reverse().find((p) => p.end <= start);
  return before ? before.period : null;
}

export function extractTextStatements(input: TextStatementsInput): Statement[] {
  const { lines, documentId, sections, locate } = input;
  const statements: Statement[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!isProseLine(lines, i)) continue;
    const line = plainProse(lines[i]!.replace(/^\s*[-•*]\s+/, ''));
    for (const sentence of splitSentences(line)) {
      const text = sentence.text;
      const periods = findPeriods(text);
      const sentenceId = `${documentId}:${formatLocator(locate(i)).replace(/^[^:#!]*[:#!]/, '')}:s${contentId(text)}`;
      NUMBER_TOKEN.lastIndex = 0;
      for (let m = NUMBER_TOKEN.exec(text); m; m = NUMBER_TOKEN.exec(text)) {
        const start = m.index;
        const numberText = m[1]!;
        const end = start + m[0].length;
        if (periods.some((p) => start >= p.offset && start < p.end)) continue; // part of a period or date
        const before = text.slice(0, start);
        const after = text.slice(start + numberText.length);
        if (REFERENCE_BEFORE.test(before) || /\bper\s+$/i.test(before)) continue;
        if (MONTH_AFTER.test(after) || MONTH_BEFORE.test(before)) continue; // a date: "21st January"
        if (/^[a-z]/i.test(after) && !/^(st|nd|rd|th)\b/i.test(after)) continue; // "10am", "S17", "Covid19"
        if (/^(st|nd|rd|th)\b/i.test(after)) continue; // ordinals
        if (/[a-z]$/i.test(before)) continue; // "S47", "PTSD2"
        if (/\]\(#?$/.test(before) || /^\)/.test(after) && /\($/.test(before)) continue;
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
          period: periodFor(periods, text, start, end),
          locator: locate(i),
        });
      }
    }
  }
  return statements;
}
