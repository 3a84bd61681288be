import { utils } from 'xlsx';
import { parseNumberText, type Locator } from '../../core/index.js';
import { shorthandMeaning } from '../text/tables.js';
import type { Sheet, SheetCell } from './contracts.js';

/**
 * A workbook sheet as lines of text, so the table reader that reads text and PDF releases reads
 * workbooks too. Regions of a sheet are separated by blank rows, and side by side by blank columns
 * (an accessible sheet "contains two tables"). In a region, the single-cell rows above the grid are
 * its caption (old-style title rows; accessible A1 title and "This worksheet contains one table."),
 * the grid rows become TAB-separated lines, and "Source:", "Notes:" and numbered lines below it are
 * its notes. Every line and cell keeps its sheet address.
 */

export interface SheetLine {
  text: string;
  sheet: string;
  row: number;
  /** Sheet column of the line's first field. */
  col: number;
}


const NOTE_MARK = /\s*\[note\s*([\d,\s]+)\]/gi;
const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** "3" → "³"; "1, 2" (several notes) → "¹ ²", one marker each. */
function superscript(n: string): string {
  return n
    .split(/[,\s]+/)
    .filter((x) => x !== '')
    .map((x) => [...x].map((d) => SUPERSCRIPT[Number(d)] ?? d).join(''))
    .join(' ');
}

/** What a cell shows: the formatted text where the workbook stores one, else its value. */
export function shownText(cell: SheetCell): string {
  if (cell.t === 'n' && typeof cell.v === 'number') {
    if (cell.w !== null && cell.w.trim() !== '' && !/e[+-]/i.test(cell.w)) return cell.w.trim();
    return Number.isInteger(cell.v) ? String(cell.v) : String(Number(cell.v.toPrecision(12)));
  }
  if (cell.t === 'e') return '[error]';
  return String(cell.w ?? cell.v ?? '');
}

interface Region {
  rows: number[];
  c0: number;
  c1: number;
}

/** Split a sheet into regions of cells: blank rows separate regions; blank columns split a region side by side. */
function regions(grid: Map<number, Map<number, string>>): Region[] {
  const rows = [...grid.keys()].sort((a, b) => a - b);
  const segments: number[][] = [];
  for (const r of rows) {
    const last = segments[segments.length - 1];
    if (last && r === last[last.length - 1]! + 1) last.push(r);
    else segments.push([r]);
  }
  const out: Region[] = [];
  for (const segment of segments) {
    const cols = new Set<number>();
    for (const r of segment) for (const c of grid.get(r)!.keys()) cols.add(c);
    const sorted = [...cols].sort((a, b) => a - b);
    // a gap of two or more empty columns between filled ones separates tables set side by side
    let start = sorted[0]!;
    let prev = start;
    for (const c of [...sorted.slice(1), Infinity]) {
      if (c - prev > 2) {
        const span = segment.filter((r) => [...grid.get(r)!.keys()].some((k) => k >= start && k <= prev));
        if (span.length > 0) out.push({ rows: span, c0: start, c1: prev });
        start = c;
      }
      prev = c;
    }
  }
  return out.sort((a, b) => a.rows[0]! - b.rows[0]! || a.c0 - b.c0);
}

/** Lines of one sheet, in reading order, with the address of each. */
export function sheetLines(sheet: Sheet): SheetLine[] {
  const grid = new Map<number, Map<number, string>>();
  for (const cell of sheet.cells) {
    const text = shownText(cell).replace(/\r?\n/g, ' ');
    if (text.trim() === '') continue;
    if (!grid.has(cell.r)) grid.set(cell.r, new Map());
    grid.get(cell.r)!.set(cell.c, text);
  }
  // a label merged down several rows belongs to each of them
  for (const m of sheet.merges) {
    const text = grid.get(m.s.r)?.get(m.s.c);
    if (text === undefined || m.e.r === m.s.r || m.s.c !== m.e.c) continue;
    for (let r = m.s.r + 1; r <= m.e.r; r++) if (grid.has(r) && !grid.get(r)!.has(m.s.c)) grid.get(r)!.set(m.s.c, text);
  }
  const out: SheetLine[] = [];
  for (const region of regions(grid)) {
    const width = region.c1 - region.c0 + 1;
    const fields = (r: number) => Array.from({ length: width }, (_, k) => grid.get(r)?.get(region.c0 + k) ?? '');
    const isSingle = (r: number) => fields(r).filter((f) => f.trim() !== '').length === 1 && fields(r)[0]!.trim() !== '';
    let top = 0;
    while (top < region.rows.length - 1 && isSingle(region.rows[top]!) && !/^\d/.test(fields(region.rows[top]!)[0]!.trim())) top++;
    let bottom = region.rows.length;
    while (bottom > top + 1 && isSingle(region.rows[bottom - 1]!) && /^(source|notes?\b|\d+[.)]\s|\[note|\*)/i.test(fields(region.rows[bottom - 1]!)[0]!.trim())) bottom--;
    let indent = Infinity; // the least indentation of a label (a loop: a spread of every row overflows the stack)
    for (const r of region.rows.slice(top, bottom)) {
      const n = leading(fields(r)[0]!);
      if (n >= 0) indent = Math.min(indent, n);
    }
    // several text columns before the figures ("K04000001 | ENGLAND AND WALES | 4,876,282"): the last is the row label
    const labelColumns = leadingTextColumns(region.rows.slice(top, bottom).map(fields));
    const push = (r: number, text: string, col = region.c0) => out.push({ text, sheet: sheet.name, row: r, col });
    if (out.length > 0) push(region.rows[0]!, '');
    for (const r of region.rows.slice(0, top)) {
      push(r, fields(r)[0]!.trim());
      push(r, '');
    }
    for (const r of region.rows.slice(top, bottom)) {
      const f = fields(r).map((x) => x.replace(/\t/g, ' ')).slice(labelColumns - 1);
      if (labelColumns > 1 && f[0]!.trim() === '') f[0] = fields(r).slice(0, labelColumns).filter((x) => x.trim() !== '').pop() ?? '';
      const label = f[0]!;
      // deeper indentation than the region's least marks a child row
      const child = leading(label) > indent && leading(label) >= 2 ? '↳ ' : '';
      f[0] = child + footnotesToSuperscript(label.trim());
      for (let k = 1; k < f.length; k++) f[k] = stripHeaderMarkers(f[k]!.replace(NOTE_MARK, (_, n: string) => superscript(n)).trim());
      push(r, f.join('\t'), region.c0 + labelColumns - 1);
    }
    if (bottom < region.rows.length) push(region.rows[bottom]!, '');
    for (const r of region.rows.slice(bottom)) push(r, noteLine(fields(r)[0]!.trim()));
  }
  return out;
}

/**
 * How many columns at the left of a region hold the row's identity ("K04000001 | ENGLAND AND
 * WALES", "1 | Murder"): up to and including the rightmost column that, in rows carrying two or more
 * figures, holds text more often than figures. One when the first column alone is the label.
 */
function leadingTextColumns(rows: string[][]): number {
  const isFigure = (x: string) => parseNumberText(x) !== null;
  const dataRows = rows.filter((f) => f.filter(isFigure).length >= 2);
  if (dataRows.length === 0) return 1;
  let width = -Infinity;
  for (const f of dataRows) width = Math.max(width, f.length);
  let label = 0;
  for (let k = 0; k < width - 1; k++) {
    const text = dataRows.filter((f) => (f[k] ?? '').trim() !== '' && !isFigure(f[k]!) && shorthandMeaning(f[k]!) === null).length;
    const figures = dataRows.filter((f) => isFigure(f[k] ?? '')).length;
    if (text > figures) label = k;
    else if (figures > text && k > label) break;
  }
  return label + 1;
}

/** Footnote digits glued to header words ("fraud4", "Percentage change5,6") are not part of the header. */
function stripHeaderMarkers(text: string): string {
  return text.replace(/([A-Za-z)])(\d{1,2}(?:,\d{1,2})*)(?=[\s)]|$)/g, "$1");
}

function leading(text: string): number {
  return text.trim() === '' ? -1 : text.length - text.trimStart().length;
}

/** "North West9" and "London [note 3]" carry footnote markers: written as superscripts for the table reader. */
function footnotesToSuperscript(label: string): string {
  return label.replace(NOTE_MARK, (_, n: string) => superscript(n)).replace(/([A-Za-z)])(\d{1,2}(?:,\d{1,2})*)$/, (_, ch: string, n: string) => ch + n.split(',').map(superscript).join(''));
}

/** "[note 1] Data from…" reads as a numbered note. */
function noteLine(text: string): string {
  return text.replace(/^\[note\s*(\d+)\]\s*/i, '$1. ');
}

export function cellAddress(row: number, col: number): string {
  return utils.encode_cell({ r: row, c: col });
}

export function lineLocator(file: string, line: SheetLine, offset = 0): Locator {
  return { kind: 'cell', document: file, sheet: line.sheet, cell: cellAddress(line.row, line.col + offset) };
}
