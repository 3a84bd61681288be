/**
 * Cell coverage of the PDF extractor on the real PDFs (issue 9): an independent count of each PDF's
 * numeric table cells, set against the cells davs extracts from it.
 *
 * The count does not use davs's PDF code (extract/pdf/): it reads the text items with pdfjs-dist
 * itself and applies a few rules of its own, simple enough to check by eye.
 *
 * 1. Words: each horizontal text item is split on spaces (a word's x interpolated along its item);
 *    words whose baselines are within 0.3 em are one line; a sign a quarter em or less before a
 *    number joins it ("-" "78,411"). Rotated text (vertical headers) is left out.
 * 2. Numbers: a word that core/figure.ts's parseNumberText reads ("1,234", "12%", "-0.5"). Numbers it
 *    does not read but a statistics package prints (".0456", "-.67", "7.6e+07") are counted apart.
 * 3. A number stands alone when the words beside it are numbers or at least 0.8 em away: "since 2"
 *    and "5 years" are text, "Angus   6,273" and "177 247" are figures.
 * 4. In a column: a number standing alone whose left edge, right edge or centre is within 1.5 pt of
 *    one standing alone on the nearest line above or below that has one (at most 3 em away, so a
 *    label wrapped onto a line of its own does not break the column).
 * 5. Table rows: a line with two or more numbers standing alone, one of them in a column, unless
 *    they are all years and nothing precedes them (a heading). A number standing alone on another
 *    line is a table cell too when it is in a column with a table cell (a row with one figure and
 *    blanks, a "missing" row under a frequency column), and so on down the column.
 * 6. Every other number has a reason: page furniture (a page number, or a line repeated in the top
 *    or bottom tenth of three pages), column heading (years), contents entry (after a dot leader),
 *    numbering (a line's first word and only figure, before text), in a caption (a line that starts
 *    "Table", "Figure" or "Chart"), in prose (a line of six or more words), in a label (joined to
 *    words), the line's only figure ("units: 1", a footnote mark), or in no column of figures (two
 *    on a line, but nothing above or below lines up: a phone number).
 *
 * Table cells are matched to davs's cells page by page, by value, in reading order (the longest
 * common subsequence of the two sequences), so a value davs reads on another row does not cover one
 * it misses. A table cell with no match is unread, with what davs made of it.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { compareCodePoints, parseNumberText } from '../core/index.js';
import { describeDocument, extractDocument, type CorpusWarning, type Extraction } from '../extract/index.js';

export const REAL_PDF_DIR = join(import.meta.dirname, 'fixtures', 'real');
export const PDF_COVERAGE_PATH = join(import.meta.dirname, 'reference', 'real-pdf-coverage.json');
/** Issue 9: at least this share of a file's numeric table cells is read. */
export const MIN_PDF_COVERAGE = 0.98;

/** Numbers that are not table cells, or table cells davs does not read, grouped by page and reason. */
export interface NumberGroup {
  page: number;
  reason: string;
  count: number;
  /** Up to five, as printed, in reading order. */
  examples: string[];
}

export interface PdfCoverage {
  file: string;
  /** Numeric table cells by the independent count. */
  table_cells: number;
  /** Of those, the cells davs extracts. */
  read: number;
  /** read ÷ table_cells, to four places. */
  coverage: number;
  /** Table cells davs does not read, with what it made of them. */
  unread: NumberGroup[];
  /** Table cells printed in a form parseNumberText does not read (".0456", "7.6e+07"): outside `table_cells`, listed. */
  unparsed_cells: number;
  unparsed: NumberGroup[];
  /** Numbers the count does not take for table cells, with why. */
  not_cells: NumberGroup[];
  /** davs cells that match no table cell of the count (a contents page number, "units: 1"). */
  extra_cells: number;
}

/** Coverage of every PDF in `dir` (default test/fixtures/real), sorted by file name. */
export async function realPdfCoverage(dir = REAL_PDF_DIR): Promise<PdfCoverage[]> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.pdf')).sort(compareCodePoints);
  return Promise.all(files.map(async (file) => pdfCoverage(file, new Uint8Array(await readFile(join(dir, file))))));
}

/** One PDF's coverage: its numbers counted from pdfjs's text, set against what davs extracts. */
export async function pdfCoverage(file: string, bytes: Uint8Array): Promise<PdfCoverage> {
  const warnings: CorpusWarning[] = [];
  const record = describeDocument(file, bytes, undefined, warnings);
  if (!record) throw new Error(`${file}: not a document davs reads`);
  const [numbers, extraction] = await Promise.all([countNumbers(bytes.slice()), extractDocument(record, bytes)]);
  return compare(file, numbers, extraction);
}

// ---------------------------------------------------------------- the independent count

interface Word {
  text: string;
  x0: number;
  x1: number;
}

interface TextLine {
  page: number;
  y: number;
  size: number;
  words: Word[];
}

interface PageText {
  page: number;
  height: number;
  lines: TextLine[];
}

export interface CountedNumber {
  page: number;
  /** Index of its line on the page, top to bottom, and of the word on the line: reading order. */
  line: number;
  word: number;
  raw: string;
  /** `value:decimals` when parseNumberText reads it, else null. */
  key: string | null;
  /** 'table cell', or why it is not one. */
  reason: string;
}

const TABLE_CELL = 'table cell';

/** A number as a statistics package may print it, beyond what parseNumberText reads: ".0456", "-.67", "7.6e+07". */
const OTHER_NUMBER = /^[+\-−–]?(?:\d*\.\d+|\d+(?:\.\d+)?)(?:e[+-]?\d+)?$/i;

function isNumber(text: string): boolean {
  return parseNumberText(text) !== null || OTHER_NUMBER.test(text);
}

function keyOf(value: number, decimals: number): string {
  return `${value}:${decimals}`;
}

/** Positioned words of every page, in lines, read with pdfjs-dist directly. */
async function readPages(data: Uint8Array): Promise<PageText[]> {
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: PageText[] = [];
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      const placed: Array<Word & { y: number; size: number }> = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const [a, b, c, d, x, y] = item.transform as number[];
        if (!(a! > 0 && Math.abs(b!) < 1e-6 && Math.abs(c!) < 1e-6)) continue;
        const size = Math.hypot(c!, d!);
        const perChar = item.str.length > 0 ? item.width / item.str.length : 0;
        for (const m of item.str.matchAll(/\S+/g)) {
          placed.push({ text: m[0], x0: x! + perChar * m.index, x1: x! + perChar * (m.index + m[0].length), y: y!, size });
        }
      }
      placed.sort((u, v) => v.y - u.y || u.x0 - v.x0);
      const lines: TextLine[] = [];
      for (const w of placed) {
        const last = lines[lines.length - 1];
        if (last && Math.abs(last.y - w.y) <= 0.3 * Math.min(last.size, w.size)) {
          last.words.push(w);
          last.size = Math.max(last.size, w.size);
        } else lines.push({ page: p, y: w.y, size: w.size, words: [w] });
      }
      for (const l of lines) l.words = joinSigns(l.words.sort((u, v) => u.x0 - v.x0), l.size);
      pages.push({ page: p, height: page.view[3]! - page.view[1]!, lines });
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}

/** A sign set apart from its figure ("-" then "78,411", a quarter em on) is one word with it. */
function joinSigns(words: Word[], size: number): Word[] {
  const out: Word[] = [];
  for (const w of words) {
    const last = out[out.length - 1];
    if (last && /^[+\-−–]$/.test(last.text) && isNumber(w.text) && w.x0 - last.x1 <= 0.25 * size) out[out.length - 1] = { text: last.text + w.text, x0: last.x0, x1: w.x1 };
    else out.push(w);
  }
  return out;
}

/** Every number in the PDF's text, each a table cell or not, with why. */
export async function countNumbers(data: Uint8Array): Promise<CountedNumber[]> {
  const pages = await readPages(data);
  const furniture = pageFurniture(pages);
  const out: CountedNumber[] = [];
  for (const { page, lines } of pages) {
    const standing = lines.map((l) => l.words.map((_, i) => standsAlone(l, i)));
    const heading = lines.map((l, k) => yearsHeading(l, standing[k]!));
    const figures = (k: number) => standing[k]!.filter(Boolean).length;
    // the nearest lines above and below with a figure standing alone, skipping lines of words only (a wrapped label)
    const withFigures = (k: number, step: -1 | 1) => {
      for (let n = k + step; lines[n] !== undefined && near(lines[k]!, lines[n]!); n += step) if (figures(n) > 0) return n;
      return undefined;
    };
    // whether word i of line k lines up with a word of those lines that `is` says
    const inColumnWith = (k: number, i: number, is: (n: number, j: number) => boolean) =>
      [withFigures(k, -1), withFigures(k, 1)].some((n) => n !== undefined && lines[n]!.words.some((v, j) => is(n, j) && aligned(lines[k]!.words[i]!, v)));
    const tableRow = lines.map((l, k) => !heading[k] && !furniture.has(l) && figures(k) >= 2 && l.words.some((_, i) => standing[k]![i] && inColumnWith(k, i, (n, j) => standing[n]![j]!)));
    const cell = lines.map((l, k) => l.words.map((_, i) => tableRow[k]! && standing[k]![i]!));
    // and down the column: a figure standing alone under or over a table cell
    for (let changed = true; changed; ) {
      changed = false;
      lines.forEach((l, k) =>
        l.words.forEach((_, i) => {
          if (cell[k]![i] || !standing[k]![i] || furniture.has(l) || !inColumnWith(k, i, (n, j) => cell[n]![j]!)) return;
          cell[k]![i] = true;
          changed = true;
        }),
      );
    }
    lines.forEach((l, k) =>
      l.words.forEach((w, i) => {
        if (!isNumber(w.text)) return;
        const parsed = parseNumberText(w.text);
        const reason = cell[k]![i] ? TABLE_CELL : heading[k] ? 'column heading (years)' : whyNotCell(l, i, standing[k]!, furniture.has(l));
        out.push({ page, line: k, word: i, raw: w.text, key: parsed ? keyOf(parsed.value, parsed.decimals) : null, reason });
      }),
    );
  }
  return out;
}

/** A number whose neighbours on the line are numbers or a column gap (0.8 em) away. */
function standsAlone(line: TextLine, i: number): boolean {
  const w = line.words[i]!;
  if (!isNumber(w.text)) return false;
  const apart = (v: Word | undefined, gap: number) => v === undefined || isNumber(v.text) || gap >= 0.8 * line.size;
  const before = line.words[i - 1];
  const after = line.words[i + 1];
  return apart(before, before ? w.x0 - before.x1 : 0) && apart(after, after ? after.x0 - w.x1 : 0);
}

const YEAR = /^(19|20)\d\d$/;

/** A row of years heading columns: two or more, standing alone, with no label before them. */
function yearsHeading(line: TextLine, standing: boolean[]): boolean {
  const figures = line.words.filter((_, i) => standing[i]);
  return figures.length >= 2 && standing[0] === true && figures.every((w) => YEAR.test(w.text));
}

/** Within three lines of each other (3 em): a row of figures, a wrapped label, the next row. */
function near(a: TextLine, b: TextLine): boolean {
  return Math.abs(a.y - b.y) <= 3 * Math.max(a.size, b.size);
}

/** Set in one column: left edges, right edges or centres within 1.5 pt. */
function aligned(a: Word, b: Word): boolean {
  return Math.abs(a.x1 - b.x1) <= 1.5 || Math.abs(a.x0 - b.x0) <= 1.5 || Math.abs(a.x0 + a.x1 - b.x0 - b.x1) <= 3;
}

/**
 * Page numbers and running lines: in the top or bottom tenth of the page, a line that is only a
 * number, or whose text (digits aside) recurs in the margins of at least three pages (two could be
 * the titles "Table 3 - …" and "Table 4 - …").
 */
function pageFurniture(pages: PageText[]): Set<TextLine> {
  const inMargin = (p: PageText, l: TextLine) => l.y > 0.9 * p.height || l.y < 0.1 * p.height;
  const key = (l: TextLine) => l.words.map((w) => w.text).join(' ').replace(/\d+/g, '#');
  const pagesOf = new Map<string, Set<number>>();
  for (const p of pages) for (const l of p.lines) if (inMargin(p, l)) pagesOf.set(key(l), (pagesOf.get(key(l)) ?? new Set()).add(p.page));
  const out = new Set<TextLine>();
  for (const p of pages) {
    for (const l of p.lines) {
      if (!inMargin(p, l)) continue;
      if ((l.words.length === 1 && isNumber(l.words[0]!.text)) || (pagesOf.get(key(l))?.size ?? 0) >= 3) out.add(l);
    }
  }
  return out;
}

const WORD = /\p{L}{2,}/u;

function whyNotCell(line: TextLine, i: number, standing: boolean[], furniture: boolean): string {
  if (furniture) return 'page furniture';
  const text = line.words.map((w) => w.text).join(' ');
  if (i === line.words.length - 1 && /\.{4,}\s*\S+$/.test(text)) return 'contents entry';
  const words = line.words.filter((w) => WORD.test(w.text)).length;
  const figures = standing.filter(Boolean).length;
  if (standing[i] && i === 0 && figures === 1 && words > 0) return 'numbering';
  if (/^(table|figure|chart)\b/i.test(text)) return 'in a caption';
  if (words >= 6) return 'in prose';
  if (!standing[i]) return 'in a label';
  return figures === 1 ? "the line's only figure" : 'in no column of figures';
}

// ---------------------------------------------------------------- against davs

function compare(file: string, numbers: CountedNumber[], x: Extraction): PdfCoverage {
  const cells = numbers.filter((n) => n.reason === TABLE_CELL && n.key !== null);
  const unparsed = numbers.filter((n) => n.reason === TABLE_CELL && n.key === null);
  const pages = [...new Set(cells.map((c) => c.page))].sort((a, b) => a - b);
  const matched = new Set<CountedNumber>();
  let davsCells = 0;
  for (const page of pages) {
    const ours = cells.filter((c) => c.page === page);
    const theirs = x.cells
      .filter((c) => c.locator.kind === 'page' && c.locator.page === page)
      .sort((a, b) => lineOf(a) - lineOf(b) || a.column_index - b.column_index)
      .map((c) => keyOf(c.figure.value, c.figure.decimals));
    davsCells += theirs.length;
    for (const k of commonSubsequence(ours.map((c) => c.key!), theirs)) matched.add(ours[k]!);
  }
  const onOtherPages = x.cells.filter((c) => !(c.locator.kind === 'page' && pages.includes(c.locator.page))).length;
  const rowsRead = new Set([...matched].map((c) => `${c.page}:${c.line}`));
  const unread = cells.filter((c) => !matched.has(c)).map((c) => ({ ...c, reason: rowsRead.has(`${c.page}:${c.line}`) ? 'not read: the rest of its row is read' : whatDavsMade(c, x) }));
  return {
    file,
    table_cells: cells.length,
    read: matched.size,
    coverage: cells.length === 0 ? 1 : Math.round((matched.size / cells.length) * 10_000) / 10_000,
    unread: groups(unread),
    unparsed_cells: unparsed.length,
    unparsed: groups(unparsed.map((n) => ({ ...n, reason: 'a number form parseNumberText does not read' }))),
    not_cells: groups(numbers.filter((n) => n.reason !== TABLE_CELL)),
    extra_cells: davsCells - matched.size + onOtherPages,
  };
}

function lineOf(c: Extraction['cells'][number]): number {
  return c.locator.kind === 'page' ? c.locator.line : 0;
}

/** Indexes into `a` of a longest common subsequence of `a` and `b` (the first one, deterministically). */
function commonSubsequence(a: string[], b: string[]): number[] {
  const n = a.length;
  const m = b.length;
  const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const out: number[] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      out.push(i);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** What davs made of a table cell it does not read: a statement, a row label, a header, or nothing. */
function whatDavsMade(c: CountedNumber, x: Extraction): string {
  const onPage = (l: Extraction['cells'][number]['locator']) => l.kind === 'page' && l.page === c.page;
  const hasWord = (text: string) => text.split(/\s+/).includes(c.raw);
  if (x.statements.some((s) => onPage(s.locator) && keyOf(s.figure.value, s.figure.decimals) === c.key)) return 'not read: read as a number in prose';
  const tables = x.tables.filter((t) => onPage(t.locator) || t.rows.some((r) => onPage(r.locator)));
  if (tables.some((t) => t.rows.some((r) => onPage(r.locator) && hasWord(r.label)))) return 'not read: taken into a row label';
  if (tables.some((t) => t.title.split(/\s+/).includes(c.raw) || t.columns.some((col) => col.header_path.some(hasWord)))) return 'not read: taken into a title or column header';
  if (x.statuses.some((s) => onPage(s.locator) && s.raw === c.raw)) return 'not read: taken for a status';
  return 'not read: in no table';
}

function groups(numbers: CountedNumber[]): NumberGroup[] {
  const byKey = new Map<string, NumberGroup>();
  const sorted = [...numbers].sort((a, b) => a.page - b.page || a.line - b.line || a.word - b.word);
  for (const n of sorted) {
    const key = `${n.page}\u0000${n.reason}`;
    const g = byKey.get(key) ?? { page: n.page, reason: n.reason, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 5) g.examples.push(n.raw);
    byKey.set(key, g);
  }
  return [...byKey.values()].sort((a, b) => a.page - b.page || compareCodePoints(a.reason, b.reason));
}

/** The coverage report as committed in test/reference/real-pdf-coverage.json: one line per group. */
export function formatPdfCoverage(all: PdfCoverage[]): string {
  const list = (gs: NumberGroup[]) => (gs.length === 0 ? '[]' : `[\n${gs.map((g) => `      ${JSON.stringify(g)}`).join(',\n')}\n    ]`);
  const files = all.map((c) =>
    [
      '  {',
      `    "file": ${JSON.stringify(c.file)},`,
      `    "table_cells": ${c.table_cells}, "read": ${c.read}, "coverage": ${c.coverage}, "unparsed_cells": ${c.unparsed_cells}, "extra_cells": ${c.extra_cells},`,
      `    "unread": ${list(c.unread)},`,
      `    "unparsed": ${list(c.unparsed)},`,
      `    "not_cells": ${list(c.not_cells)}`,
      '  }',
    ].join('\n'),
  );
  return `[\n${files.join(',\n')}\n]\n`;
}

/** Reads test/reference/real-pdf-coverage.json. */
export async function readPdfCoverageReference(path = PDF_COVERAGE_PATH): Promise<PdfCoverage[]> {
  return JSON.parse(await readFile(path, 'utf8')) as PdfCoverage[];
}

/** "ho-taser….pdf: 1,324 of 1,324 table cells read (100.00%)", and the cells in number forms davs does not parse, if any. */
export function describePdfCoverage(c: PdfCoverage): string {
  const unparsed = c.unparsed_cells > 0 ? `; ${c.unparsed_cells} more in number forms davs does not parse (${(100 * (c.read / (c.table_cells + c.unparsed_cells))).toFixed(2)}% counting them)` : '';
  return `${c.file}: ${c.read} of ${c.table_cells} table cells read (${(100 * c.coverage).toFixed(2)}%)${unparsed}`;
}

// `npx tsx test/real-pdf-coverage.ts` rewrites the reference after a deliberate change
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = await realPdfCoverage();
  await writeFile(PDF_COVERAGE_PATH, formatPdfCoverage(all));
  for (const c of all) process.stdout.write(`${describePdfCoverage(c)}\n`);
}
