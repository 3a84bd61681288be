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
  size: number;
  cells: Array<{ x0: number; x1: number; text: string }>;
}

export interface RebuiltLine {
  text: string;
  page: number;
  line: number;
}

/** Items on (nearly) the same baseline form a line; lines run top to bottom. */
export function linesOfPage(page: PdfPage): PdfLine[] {
  const items = page.items.filter((i) => i.horizontal && i.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PdfItem[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(last[0]!.y - item.y) <= Math.max(1, 0.35 * Math.min(last[0]!.size, item.size))) last.push(item);
    else groups.push([item]);
  }
  return groups.map((group, i) => {
    const sorted = [...group].sort((a, b) => a.x - b.x);
    const size = Math.max(...sorted.map((s) => s.size));
    return { page: page.page, line: i + 1, y: sorted[0]!.y, size, cells: splitCells(sorted) };
  });
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
    if (last && gap < (numeric ? 0.5 : 0.9) * item.size) {
      last.text += gap > 0.12 * item.size && !last.text.endsWith(' ') ? ` ${text}` : text;
      last.x1 = Math.max(last.x1, item.x + item.width);
    } else {
      cells.push({ x0: item.x, x1: item.x + item.width, text });
    }
  }
  return cells.filter((c) => c.text !== '');
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

function lastWord(text: string): string {
  return text.slice(text.lastIndexOf(' ') + 1);
}

function isDataCell(text: string): boolean {
  return parseNumberText(text) !== null || /^\d+%$/.test(text);
}

/** Column bands of a table: x-ranges that its data cells (numbers after the row label) share. */
function columnBands(lines: PdfLine[]): Array<{ x0: number; x1: number }> {
  const left = Math.min(...lines.map((l) => l.cells[0]!.x0));
  const intervals = lines
    .flatMap((l) => l.cells.filter((c, i) => !(i === 0 && Math.abs(c.x0 - left) < 2 && !isDataCell(c.text))).filter((c) => isDataCell(c.text)))
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
  const left = Math.min(...block.map((l) => l.cells[0]!.x0));
  const firstBand = bands[0]?.x0 ?? Infinity;
  // header cells that overlap no data band get a band of their own
  for (const l of block) {
    for (const c of l.cells) {
      if (c.x0 < firstBand - 1 && Math.abs(c.x0 - left) < 2) continue;
      if (!bands.some((b) => overlap(b, c) > 0)) bands.push({ x0: c.x0, x1: c.x1 });
    }
  }
  bands.sort((a, b) => a.x0 - b.x0);
  return block.map((l) => {
    const fields = bands.map(() => [] as string[]);
    const label: string[] = [];
    for (const c of l.cells) {
      const isLabel = Math.abs(c.x0 - left) < 2 && c.x1 <= (bands[0]?.x0 ?? Infinity) + 1 && !isDataCell(c.text);
      if (isLabel || (c.x1 < firstBand && bands.every((b) => overlap(b, c) <= 0))) {
        label.push(c.text);
        continue;
      }
      let best = 0;
      let bestOverlap = -Infinity;
      bands.forEach((b, i) => {
        const o = overlap(b, c);
        if (o > bestOverlap) {
          bestOverlap = o;
          best = i;
        }
      });
      fields[best]!.push(c.text);
    }
    return [label.join(' '), ...fields.map((f) => f.join(' '))].join('\t');
  });
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
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.cells.length >= 2) {
      // a table: multi-cell lines, with single-cell lines that sit between them at row spacing
      const block: PdfLine[] = [line];
      let j = i + 1;
      while (j < lines.length) {
        const next = lines[j]!;
        const prev = block[block.length - 1]!;
        const close = next.page !== prev.page || prev.y - next.y <= 1.9 * prev.size;
        if (next.cells.length >= 2 && close) block.push(next);
        else if (next.cells.length === 1 && close && lines[j + 1]?.cells.length! >= 2 && (lines[j + 1]!.page !== next.page || next.y - lines[j + 1]!.y <= 1.9 * next.size)) block.push(next);
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
      if (next.cells.length !== 1 || next.page !== prev.page || prev.y - next.y > 1.6 * prev.size || Math.abs(next.size - prev.size) > 0.5) break;
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

export function pageLocator(file: string, line: RebuiltLine): Locator {
  return { kind: 'page', document: file, page: line.page, line: line.line };
}
