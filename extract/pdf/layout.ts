import type { Locator } from '../../core/index.js';
import { parseNumberText } from '../../core/index.js';
import type { PdfItem, PdfPage } from './contracts.js';

/**
 * Rebuild a PDF's reading lines from positioned text, the way stream-mode table finders do
 * (pdfplumber, Camelot): items on one baseline make a line; gaps wider than a few spaces split a
 * line into cells; runs of multi-cell lines are tables, whose columns are the x-bands that data
 * cells share; running headers and footers repeated across pages are dropped; wrapped prose is
 * joined back into paragraphs. The result is lines of text with TAB between cells, each with the
 * page and line it came from, so the text extractor reads a PDF as it reads a text release.
 * Nothing here depends on how a particular PDF was made.
 */

export interface PdfLine {
  page: number;
  /** 1-based line number on the page, counting from the top. */
  line: number;
  y: number;
  /** Extent of the ink: baseline plus ascent, baseline minus descent (the full height of rotated headers). */
  top: number;
  bottom: number;
  size: number;
  cells: Array<{ x0: number; x1: number; text: string }>;
  /** Column headers set vertically, gathered into one line (their cells are placed by x only). */
  rotated?: boolean;
}

export interface RebuiltLine {
  text: string;
  page: number;
  line: number;
}

/**
 * Items on (nearly) the same baseline form a line; lines run top to bottom. Text set vertically
 * (rotated column headers) starting on one baseline becomes one line of its own, each item a cell
 * at the x its glyphs occupy, so it can head the columns below it.
 */
export function linesOfPage(page: PdfPage): PdfLine[] {
  const items = page.items.filter((i) => i.horizontal && i.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PdfItem[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(last[0]!.y - item.y) <= Math.max(1, 0.35 * Math.min(last[0]!.size, item.size))) last.push(item);
    else groups.push([item]);
  }
  const lines: Array<Omit<PdfLine, 'line'>> = groups.map((group) => {
    const sorted = group.flatMap(separateFigures).sort((a, b) => a.x - b.x);
    const size = maxOf(sorted, (s) => s.size);
    return { page: page.page, y: sorted[0]!.y, top: sorted[0]!.y + 0.8 * size, bottom: sorted[0]!.y - 0.25 * size, size, cells: splitCells(sorted) };
  });
  const vertical = page.items.filter((i) => !i.horizontal && i.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const rotated: PdfItem[][] = [];
  for (const item of vertical) {
    const last = rotated[rotated.length - 1];
    if (last && Math.abs(last[0]!.y - item.y) <= 2) last.push(item);
    else rotated.push([item]);
  }
  for (const group of rotated) {
    const size = maxOf(group, (g) => g.size);
    const cells = [...group]
      .sort((a, b) => a.x - b.x)
      .map((g) => ({ x0: g.x - 0.9 * g.size, x1: g.x + 0.1 * g.size, text: g.str.replace(/\s+/g, ' ').trim() }));
    lines.push({ page: page.page, y: group[0]!.y, top: group[0]!.y + maxOf(group, (g) => g.width), bottom: group[0]!.y, size, cells, rotated: true });
  }
  // reading order by where the ink starts: a rotated header comes before the row labels set beside its foot
  return lines.sort((a, b) => b.top - a.top || b.y - a.y).map((l, i) => ({ ...l, line: i + 1 }));
}

/** Whether `next` follows `prev` at row spacing (no more than about a line of white between them), on one page. */
function adjacent(prev: PdfLine, next: PdfLine): boolean {
  return next.page === prev.page && prev.bottom - next.top <= 0.9 * Math.min(prev.size, next.size);
}

/**
 * A table carried over a page break: the new page starts with a data row (a label, then figures)
 * whose figures fall in the columns the table already has. A new page that starts with headers
 * starts a new table.
 */
function continuesOnNextPage(block: PdfLine[], next: PdfLine): boolean {
  const prev = block[block.length - 1]!;
  if (next.page !== prev.page + 1 || next.rotated || next.cells.length < 2) return false;
  const left = minOf(block, (l) => l.cells[0]!.x0);
  const data = columnBands(block);
  if (data.length === 0) {
    // only header rows so far: the next page carries on the header ("Count | % | %") or starts the rows, under the same columns
    const heads = block.flatMap((l) => l.cells.filter((c) => !(Math.abs(c.x0 - left) < 2)));
    const cells = next.cells.filter((c) => !(Math.abs(c.x0 - left) < 2 && !isDataCell(c.text)));
    return cells.length > 0 && cells.every((c) => heads.some((h) => overlap(h, c) > 0));
  }
  if (Math.abs(next.cells[0]!.x0 - left) > 2 || isDataCell(next.cells[0]!.text)) return false;
  const figures = next.cells.slice(1);
  return figures.length > 0 && figures.every((c) => isDataCell(c.text) && data.some((b) => overlap(b, c) > 0));
}

/**
 * A gap wider than about one em starts a new cell; a smaller one is a space between words. Next to
 * a number, half an em is enough: tables of figures are set tight ("3  1173" are two columns), and
 * a word space is about a quarter of an em.
 */
function splitCells(items: PdfItem[]): PdfLine['cells'] {
  const cells: PdfLine['cells'] = [];
  for (const item of items) {
    const text = item.str.replace(/\s+/g, ' ').trim();
    const last = cells[cells.length - 1];
    const gap = last ? item.x - last.x1 : Infinity;
    const numeric = last !== undefined && (isDataCell(text) || isDataCell(lastWord(last.text)));
    const bothNumbers = last !== undefined && isDataCell(text) && isDataCell(lastWord(last.text));
    // two figures with any visible space between them are two cells ("177 247" in a bold totals row)
    if (last && gap < (bothNumbers ? 0.15 : numeric ? 0.5 : 0.9) * item.size) {
      last.text += gap > 0.12 * item.size && !last.text.endsWith(' ') ? ` ${text}` : text;
      last.x1 = Math.max(last.x1, item.x + item.width);
    } else {
      cells.push({ x0: item.x, x1: item.x + item.width, text });
    }
  }
  return cells.filter((c) => c.text !== '');
}

/**
 * An item that holds several figures separated by spaces ("70 1623 138", a bold totals row set as
 * one run of text) is as many items, each where its characters fall (glyphs taken as equally wide).
 */
function separateFigures(item: PdfItem): PdfItem[] {
  const words = [...item.str.matchAll(/\S+/g)];
  if (words.length < 2 || !words.every((w) => isDataCell(w[0]))) return [item];
  const perChar = item.width / item.str.length;
  return words.map((w) => ({ ...item, str: w[0], x: item.x + perChar * w.index, width: perChar * w[0].length }));
}

/**
 * Lines in the top or bottom band of the page whose text (digits aside) recurs on at least half
 * of the pages: running headers, footers and page numbers.
 */
export function runningLines(pages: ReadonlyArray<{ page: PdfPage; lines: PdfLine[] }>): Set<PdfLine> {
  const out = new Set<PdfLine>();
  if (pages.length < 2) return out;
  const key = (l: PdfLine) => l.cells.map((c) => c.text).join(' ').replace(/\d+/g, '#').toLowerCase();
  const inMargin = (p: PdfPage, l: PdfLine) => l.y > p.height * 0.9 || l.y < p.height * 0.1;
  const seen = new Map<string, Set<number>>();
  for (const { page, lines } of pages) for (const l of lines) if (inMargin(page, l)) seen.set(key(l), (seen.get(key(l)) ?? new Set()).add(page.page));
  for (const { page, lines } of pages) {
    for (const l of lines) if (inMargin(page, l) && (seen.get(key(l))?.size ?? 0) >= Math.max(2, pages.length / 2)) out.add(l);
  }
  return out;
}

/** "n=", "n= 3074", "Number of police reports =": a row stating bases, not data. */
const BASE_MARKER = /^(?:n|number of [^=]{1,60}?)\s*=/i;

function lastWord(text: string): string {
  return text.slice(text.lastIndexOf(' ') + 1);
}

function isDataCell(text: string): boolean {
  return parseNumberText(text) !== null;
}

/**
 * Column bands of a table: x-ranges that its data cells share. Only data rows count (a row label at
 * the left edge, then figures): a header row of years sits between columns and would bridge them.
 */
function columnBands(lines: PdfLine[]): Array<{ x0: number; x1: number }> {
  const left = minOf(lines, (l) => l.cells[0]!.x0);
  const dataRows = lines.filter(
    (l) => !l.rotated && Math.abs(l.cells[0]!.x0 - left) < 2 && !isDataCell(l.cells[0]!.text) && l.cells.slice(1).some((c) => isDataCell(c.text)) && !l.cells.some((c) => BASE_MARKER.test(c.text)),
  );
  const intervals = dataRows
    .flatMap((l) => l.cells.slice(1).filter((c) => isDataCell(c.text)))
    .map((c) => ({ x0: c.x0, x1: c.x1 }))
    .sort((a, b) => a.x0 - b.x0);
  const bands: Array<{ x0: number; x1: number }> = [];
  for (const i of intervals) {
    const last = bands[bands.length - 1];
    if (last && i.x0 <= last.x1 + 0.5) last.x1 = Math.max(last.x1, i.x1);
    else bands.push({ ...i });
  }
  return bands;
}

/** One table block to TAB-separated lines: the label, then one field per column band. */
function tableLines(block: PdfLine[]): string[] {
  const bands = columnBands(block);
  const left = minOf(block, (l) => l.cells[0]!.x0);
  const firstBand = bands[0]?.x0 ?? Infinity;
  // header cells that overlap no data band go to the nearest band within about an em; if none is that close, they head a band of their own
  for (const l of block) {
    for (const c of l.cells) {
      if (c.x0 < firstBand - 1 && Math.abs(c.x0 - left) < 2 && !l.rotated) continue;
      if (bands.some((b) => overlap(b, c) > 0)) continue;
      const near = nearestBand(bands, c);
      if (near === null || distance(bands[near]!, c) > 1.2 * l.size) bands.push({ x0: c.x0, x1: c.x1 });
    }
  }
  bands.sort((a, b) => a.x0 - b.x0);
  return block.map((l) => {
    const spanning = spanningHeader(l, bands, left);
    if (spanning) return spanning;
    const fields = bands.map(() => [] as string[]);
    const label: string[] = [];
    for (const c of l.cells) {
      // text that starts at the table's left edge is the row label, even where it runs on over the columns (a title row)
      const isLabel = Math.abs(c.x0 - left) < 2 && !isDataCell(c.text);
      if (isLabel || (c.x1 < firstBand && bands.every((b) => overlap(b, c) <= 0))) {
        label.push(c.text);
        continue;
      }
      fields[nearestBand(bands, c) ?? 0]!.push(c.text);
    }
    return [label.join(' '), ...fields.map((f) => f.join(' '))].join('\t');
  });
}

/**
 * A header row with fewer labels than columns ("Firings | Drive-stuns | …" over four quarters
 * each): every column goes to the label whose centre is nearest, and each label is written in the
 * first column of its span, as a text table writes a spanning header.
 */
function spanningHeader(l: PdfLine, bands: Array<{ x0: number; x1: number }>, left: number): string | null {
  if (l.rotated || bands.length === 0) return null;
  const heads = l.cells.filter((c) => !(Math.abs(c.x0 - left) < 2 && !isDataCell(c.text)));
  if (heads.length < 1 || heads.length >= bands.length || heads.some((c) => isDataCell(c.text) && !/^(19|20)\d\d$/.test(c.text))) return null;
  const label = l.cells.filter((c) => !heads.includes(c)).map((c) => c.text).join(' ');
  const fields = bands.map(() => '');
  // a header set flush with a column's left edge heads that column; a centred one, the columns nearest it
  const anchored = new Set<number>();
  heads.forEach((c, i) => {
    const at = bands.findIndex((b) => Math.abs(b.x0 - c.x0) < 1);
    if (at >= 0 && fields[at] === '') {
      fields[at] = c.text;
      anchored.add(i);
    }
  });
  const owner = bands.map((b) => heads.reduce((best, c) => (distance(b, c) < distance(b, heads[best]!) ? heads.indexOf(c) : best), 0));
  heads.forEach((c, i) => {
    if (anchored.has(i)) return;
    const first = owner.findIndex((o, k) => o === i && fields[k] === '');
    if (first >= 0) fields[first] = c.text;
  });
  return [label, ...fields].join('\t');
}

/** The band a cell overlaps most, or if it overlaps none, the band whose centre is nearest. */
function nearestBand(bands: Array<{ x0: number; x1: number }>, c: { x0: number; x1: number }): number | null {
  let best: number | null = null;
  let score = -Infinity;
  bands.forEach((b, i) => {
    const o = overlap(b, c);
    const s = o > 0 ? o : -distance(b, c);
    if (s > score) {
      score = s;
      best = i;
    }
  });
  return best;
}

function distance(a: { x0: number; x1: number }, b: { x0: number; x1: number }): number {
  return Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2);
}

function overlap(a: { x0: number; x1: number }, b: { x0: number; x1: number }): number {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
}

/** Rebuild the reading lines of a whole PDF. */
export function rebuildLines(pages: readonly PdfPage[]): RebuiltLine[] {
  const perPage = pages.map((page) => ({ page, lines: linesOfPage(page) }));
  const running = runningLines(perPage);
  const lines = perPage.flatMap(({ lines }) => lines.filter((l) => !running.has(l)));
  const out: RebuiltLine[] = [];
  const blank = (at: PdfLine) => {
    if (out.length > 0 && out[out.length - 1]!.text !== '') out.push({ text: '', page: at.page, line: at.line });
  };
  let i = 0;
  // up to three short lines set at row spacing just above a table's first row head the table
  // ("2020" over a matrix; a question as its title): they are header rows, not a paragraph
  const headsTable = (k: number): boolean => {
    for (let m = k; m < k + 4 && m < lines.length; m++) {
      const line = lines[m]!;
      if (line.cells.length >= 2) return m > k;
      const next = lines[m + 1];
      const text = line.cells[0]?.text ?? '';
      if (next === undefined || !adjacent(line, next) || text.length > 100 || /[.!:;,]$/.test(text)) return false;
    }
    return false;
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.cells.length >= 2 || headsTable(i)) {
      // a table: multi-cell lines, with single-cell lines that sit between them at row spacing
      const block: PdfLine[] = [line];
      let j = i + 1;
      while (j < lines.length) {
        const next = lines[j]!;
        const prev = block[block.length - 1]!;
        const close = adjacent(prev, next) || continuesOnNextPage(block, next);
        const after = lines[j + 1];
        if (next.cells.length >= 2 && close) block.push(next);
        else if (next.cells.length === 1 && close && ((after !== undefined && after.cells.length >= 2 && adjacent(next, after)) || headsTable(j))) block.push(next);
        else break;
        j++;
      }
      blank(line);
      tableLines(block).forEach((text, k) => out.push({ text, page: block[k]!.page, line: block[k]!.line }));
      out.push({ text: '', page: block[block.length - 1]!.page, line: block[block.length - 1]!.line });
      i = j;
      continue;
    }
    // prose: join lines of one paragraph (same left edge, line spacing) back together
    const para: PdfLine[] = [line];
    let j = i + 1;
    while (j < lines.length) {
      const prev = para[para.length - 1]!;
      const next = lines[j]!;
      if (next.cells.length !== 1 || next.rotated || next.page !== prev.page || prev.y - next.y > 1.6 * prev.size || Math.abs(next.size - prev.size) > 0.5) break;
      para.push(next);
      j++;
    }
    blank(line);
    out.push({ text: joinWrapped(para.map((p) => p.cells[0]!.text)), page: line.page, line: line.line });
    out.push({ text: '', page: para[para.length - 1]!.page, line: para[para.length - 1]!.line });
    i = j;
  }
  while (out.length > 0 && out[out.length - 1]!.text === '') out.pop();
  return out;
}

/** Wrapped lines back to one: a hyphen at a line end joins the word ("self-\nreferral" stays hyphenated). */
function joinWrapped(parts: string[]): string {
  return parts.reduce((acc, part) => (acc === '' ? part : acc.endsWith('-') ? acc + part : `${acc} ${part}`), '');
}

/** The greatest of `f` over `items` (-Infinity for none), without spreading them into Math.max (a long list overflows the stack). */
function maxOf<T>(items: readonly T[], f: (item: T) => number): number {
  let best = -Infinity;
  for (const item of items) best = Math.max(best, f(item));
  return best;
}

/** The least of `f` over `items` (Infinity for none). */
function minOf<T>(items: readonly T[], f: (item: T) => number): number {
  let best = Infinity;
  for (const item of items) best = Math.min(best, f(item));
  return best;
}

export function pageLocator(file: string, line: RebuiltLine): Locator {
  return { kind: 'page', document: file, page: line.page, line: line.line };
}
