import { formatValue, halfUnit, parseNumberText, type Locator } from '../../core/index.js';
import { GROUP_MEMBER_MARKER } from '../text/labels.js';
import { shorthandMeaning } from '../text/tables.js';
import type { Sheet, SheetCell } from './contracts.js';

/**
 * A workbook sheet as lines of text, so the table reader that reads text and PDF releases reads
 * workbooks too. Regions of a sheet are separated by blank rows (but rows of one table spaced by
 * blank rows stay together), and side by side by blank columns (an accessible sheet "contains two
 * tables"; figures set far right of their labels are not a table of their own). In a region, the
 * single-cell rows above the grid are its caption (old-style title rows; accessible A1 title and
 * "This worksheet contains one table."), the grid rows become TAB-separated lines, and "Source:",
 * "Notes:" and numbered lines below it are its notes. Every line and cell keeps its sheet address.
 * A number is written as its stored value where its formatted text does not read as one; a formula
 * with no stored value holds its place as shorthand; a header word hyphenated over two rows is joined.
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

/**
 * What a cell shows: the formatted text where the workbook stores one and it reads as the stored
 * value (12%, 1,234, a figure shown in thousands) or withholds it ("[c]"); otherwise the stored
 * value, to the decimals the format shows ("(379,903)" → "-379,903", "£29,242" → "29,242", "-" for
 * a zero → "0").
 */
export function shownText(cell: SheetCell): string {
  if (cell.t === 'n' && typeof cell.v === 'number') {
    const shown = cell.w?.trim() ?? '';
    if (shown === '' || /e[+-]/i.test(shown)) return Number.isInteger(cell.v) ? String(cell.v) : String(Number(cell.v.toPrecision(12)));
    // a format that shows shorthand instead of the figure ("[c]", "*", ".." for small counts) withholds it; a dash for zero does not
    if (!/\d/.test(shown) && shorthandMeaning(shown) !== null && !(cell.v === 0 && /^[-–—]$/.test(shown))) return shown;
    return showsStoredValue(shown, cell.v) ? shown : storedValueAsShown(shown, cell.v);
  }
  if (cell.t === 'e') return '[error]';
  return String(cell.w ?? cell.v ?? '');
}

/** The formatted text reads as the stored value, within what it rounds (a share shown as a percentage, a figure shown in thousands or millions). */
function showsStoredValue(shown: string, value: number): boolean {
  const parsed = parseNumberText(shown);
  if (!parsed) return false;
  const near = (scale: number) => Math.abs(parsed.value * scale - value) <= halfUnit(parsed.decimals) * scale + 1e-9 * Math.max(1, Math.abs(value));
  return near(1) || (parsed.percent ? near(0.01) : near(1e3) || near(1e6));
}

/** The stored value written as the table reader reads numbers, with the decimals, percent sign and thousands separators the format shows. */
function storedValueAsShown(shown: string, value: number): string {
  const figure = /^[^\d]*?(\d[\d,]*)(?:\.(\d+))?[^\d]*$/.exec(shown);
  // a fraction, a time or several numbers in one cell: the stored value as it is
  if (!figure && /\d/.test(shown)) return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  const percent = shown.includes('%');
  const text = formatValue(percent ? value * 100 : value, figure?.[2]?.length ?? 0);
  const grouped = figure?.[1]?.includes(',') ? text.replace(/\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ',')) : text;
  return percent ? `${grouped}%` : grouped;
}

/** A formula whose calculated value the file does not store (written by a program that does not calculate). */
export function isUncachedFormula(cell: SheetCell): boolean {
  return cell.f !== null && (cell.t === 'z' || cell.v === null);
}

/**
 * How an uncached formula stands in a data row: as shorthand for a value not given, so the table
 * reader keeps its place (a status, never a number); extract/workbook/index.ts then says what it is.
 */
export const UNCACHED_SHOWN = '[x]';

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
  for (const segment of joinSpacedRows(segments, grid)) {
    const cols = new Set<number>();
    const texts = new Map<number, number>(); // column -> cells of text in it
    const values = new Map<number, number>(); // column -> cells holding a figure or shorthand
    for (const r of segment) {
      for (const [c, text] of grid.get(r)!) {
        cols.add(c);
        if (isValue(text)) values.set(c, (values.get(c) ?? 0) + 1);
        else if (/\p{L}/u.test(text)) texts.set(c, (texts.get(c) ?? 0) + 1);
      }
    }
    // a column of row labels: text down most of it, beside figures (a second table's "No children",
    // "Adults and child(ren)" one blank column right of the first table's figures)
    const labelColumn = (c: number) => (texts.get(c) ?? 0) >= 3 && (texts.get(c) ?? 0) >= 4 * (values.get(c) ?? 0) && (values.get(c + 1) ?? 0) >= 3;
    const sorted = [...cols].sort((a, b) => a - b);
    // a gap of two or more empty columns between filled ones separates tables set side by side, when
    // the part to the right has labels or headers of its own (figures alone belong to the labels at their
    // left); so does a single empty column before a column of row labels, right of a column of figures
    const parts: Array<{ c0: number; c1: number; labelled: boolean }> = [];
    for (const c of sorted) {
      const last = parts[parts.length - 1];
      const besideFigures = last !== undefined && c - last.c1 === 2 && labelColumn(c) && (values.get(last.c1) ?? 0) >= 3 && labelColumn(last.c0);
      if (last && c - last.c1 <= 2 && !besideFigures) last.c1 = c;
      else parts.push({ c0: c, c1: c, labelled: false });
      // labels of its own: a column of words down its rows, not one header word over figures ("Numerator")
      parts[parts.length - 1]!.labelled ||= (texts.get(c) ?? 0) >= 2;
    }
    const tables: Array<{ c0: number; c1: number }> = [];
    for (const part of parts) {
      const last = tables[tables.length - 1];
      if (last && !part.labelled) last.c1 = part.c1;
      else tables.push({ c0: part.c0, c1: part.c1 });
    }
    for (const { c0, c1 } of tables) {
      const span = segment.filter((r) => [...grid.get(r)!.keys()].some((k) => k >= c0 && k <= c1));
      if (span.length > 0) out.push({ rows: span, c0, c1 });
    }
  }
  return out.sort((a, b) => a.rows[0]! - b.rows[0]! || a.c0 - b.c0);
}

/**
 * One table whose rows are spaced by blank rows (a blank row after every row, or after every group
 * of rows) is kept one table: a run of data rows one blank row below a data row joins the rows
 * above when it fills only columns they fill. A title, a header or a note below a blank row starts
 * a table of its own.
 */
function joinSpacedRows(segments: number[][], grid: Map<number, Map<number, string>>): number[][] {
  const out: number[][] = [];
  let columns = new Set<number>(); // the columns filled in the last run of rows kept
  for (const segment of segments) {
    const own = new Set<number>();
    for (const r of segment) for (const c of grid.get(r)!.keys()) own.add(c);
    const last = out[out.length - 1];
    const above = last === undefined ? undefined : grid.get(last[last.length - 1]!)!;
    const joins =
      last !== undefined &&
      segment[0]! === last[last.length - 1]! + 2 &&
      ((isDataRow(above!) && segment.every((r) => isDataRow(grid.get(r)!))) ||
        // column headers, a blank row, then the data under them ("Area Code | Area Name | Number of
        // offences | % …", blank, "K04000001 | ENGLAND AND WALES | 40,147 | 6 …")
        (isHeaderRow(above!) && isDataRow(grid.get(segment[0]!)!))) &&
      [...own].every((c) => columns.has(c));
    if (joins) {
      for (const r of segment) last.push(r);
      continue;
    }
    out.push([...segment]);
    columns = own;
  }
  return out;
}

/** A row of a table's body: labels, then values only (figures or shorthand); years alone head columns. */
function isDataRow(row: Map<number, string>): boolean {
  const texts = [...row.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  const first = texts.findIndex(isValue);
  if (first < 1 || !texts.slice(first).every(isValue)) return false;
  return !texts.slice(first).every(isYear);
}

/** A row naming columns: two or more filled cells, none a figure but a year ("Men | Women", "2014 | 2015"). */
function isHeaderRow(row: Map<number, string>): boolean {
  const texts = [...row.values()];
  return texts.length >= 2 && texts.every((t) => parseNumberText(t) === null || isYear(t));
}

/** A year standing alone ("2019"): a header over figures, not a figure. */
function isYear(text: string): boolean {
  return /^\s*(19|20)\d\d\s*$/.test(text);
}

/** A figure, or shorthand standing for one ([x], .., -). */
function isValue(text: string): boolean {
  return parseNumberText(text) !== null || shorthandMeaning(text) !== null;
}

/** Lines of one sheet, in reading order, with the address of each. */
export function sheetLines(sheet: Sheet): SheetLine[] {
  const grid = new Map<number, Map<number, string>>();
  const uncached: SheetCell[] = [];
  const leftmost = new Map<number, number>();
  for (const cell of sheet.cells) {
    if (isUncachedFormula(cell)) {
      uncached.push(cell);
      continue;
    }
    const text = shownText(cell).replace(/\r?\n/g, ' ');
    if (text.trim() === '') continue;
    if (!grid.has(cell.r)) grid.set(cell.r, new Map());
    grid.get(cell.r)!.set(cell.c, text);
    leftmost.set(cell.r, Math.min(leftmost.get(cell.r) ?? Infinity, cell.c));
  }
  // an uncached formula to the right of something in its row holds a value (a label, a caption or a note never is one)
  for (const cell of uncached) if ((leftmost.get(cell.r) ?? Infinity) < cell.c) grid.get(cell.r)!.set(cell.c, UNCACHED_SHOWN);
  joinHyphenatedWords(grid);
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
    const body = region.rows.slice(top, bottom);
    const indented = (label: string) => leading(label) > indent && leading(label) >= 2;
    // an earlier identity column that groups the rows ("England and Wales" over four measures, then
    // "London" over two) names its rows' group: a heading line where its value changes, the rows marked
    // as its members (label path [group, label], categories of their own, as in a table that repeats
    // one block of rows per group); not where labels are indented already
    const grouping = body.some((r) => indented(fields(r)[labelColumns - 1]!)) ? null : groupingColumns(body.map(fields), labelColumns);
    let group = '';
    // the rows of a group that has a row of its own (with figures) are its children; of a heading, its members
    let marker = GROUP_MEMBER_MARKER;
    body.forEach((r, i) => {
      const f = fields(r).map((x) => x.replace(/\t/g, ' ')).slice(labelColumns - 1);
      const labelBlank = f[0]!.trim() === '';
      if (labelColumns > 1 && labelBlank) f[0] = fields(r).slice(0, labelColumns).filter((x) => x.trim() !== '').pop() ?? '';
      const label = f[0]!;
      // deeper indentation than the region's least marks a child row
      let child = indented(label) ? '↳ ' : '';
      if (grouping && i >= grouping.first) {
        const key = grouping.keys[i - grouping.first]!;
        if (key !== group) {
          group = key;
          marker = labelBlank ? '↳ ' : GROUP_MEMBER_MARKER;
          if (labelBlank) {
            // the group's own row ("London | | 152 | 141"): the parent of the rows below it
            f[0] = key;
            for (let k = 1; k < f.length; k++) f[k] = stripHeaderMarkers(f[k]!.replace(NOTE_MARK, (_, n: string) => superscript(n)).trim());
            push(r, f.join('\t'), region.c0 + labelColumns - 1);
            return;
          }
          push(r, [footnotesToSuperscript(key), ...f.slice(1).map(() => '')].join('\t'), region.c0 + grouping.columns[0]!);
        }
        child = marker;
      }
      f[0] = child + footnotesToSuperscript(label.trim());
      for (let k = 1; k < f.length; k++) f[k] = stripHeaderMarkers(f[k]!.replace(NOTE_MARK, (_, n: string) => superscript(n)).trim());
      push(r, f.join('\t'), region.c0 + labelColumns - 1);
    });
    if (bottom < region.rows.length) push(region.rows[bottom]!, '');
    for (const r of region.rows.slice(bottom)) push(r, noteLine(fields(r)[0]!.trim()));
  }
  return out;
}

/** A hyphen after one of these joins two words ("Non-" over "sexual" is "Non-sexual"); after anything else it breaks one. */
const COMPOUND_PREFIX = /(?:^|[\s(])(?:non|pre|post|self|sub|anti|co|ex|multi|semi|part|full|cross|inter|intra|under|over|well|ill|half|mid|year|long|short|high|low|all)-$/i;

/** A word broken over two rows by a hyphen ("Referr-" above "als", as a narrow header is typed) is one word, kept in the lower cell. */
function joinHyphenatedWords(grid: Map<number, Map<number, string>>): void {
  for (const [r, row] of grid) {
    const below = grid.get(r + 1);
    if (!below) continue;
    for (const [c, text] of row) {
      const upper = text.trim();
      const rest = below.get(c)?.trim();
      if (rest === undefined || !/\p{L}-$/u.test(upper) || !/^\p{Ll}/u.test(rest)) continue;
      below.set(c, (COMPOUND_PREFIX.test(upper) ? upper : upper.slice(0, -1)) + rest);
      row.delete(c);
    }
    if (row.size === 0) grid.delete(r);
  }
}

/**
 * How many columns at the left of a region hold the row's identity ("K04000001 | ENGLAND AND
 * WALES", "1 | Murder"): up to and including the rightmost column that, in rows carrying two or more
 * figures, holds text more often than figures. One when the first column alone is the label.
 */
function leadingTextColumns(rows: string[][]): number {
  const isFigure = (x: string) => parseNumberText(x) !== null;
  // rows of two or more figures that are not all years (a header "Area | Measure | 2017 | 2018 [note 9] | 2019")
  const dataRows = rows.filter((f) => {
    const figures = f.filter(isFigure);
    return figures.length >= 2 && !figures.every(isYear);
  });
  if (dataRows.length === 0) return 1;
  let width = -Infinity;
  for (const f of dataRows) width = Math.max(width, f.length);
  // a figure column between text columns ("E06000005 | 841 | Darlington | 100 | 15 …": an old code
  // number between the GSS code and the name) is part of the row's identity: the label is the last
  // text column before two figure columns in a row
  let label = 0;
  let figuresSince = 0;
  for (let k = 0; k < width - 1; k++) {
    // words, not marks ("*↑" beside a figure says it is significant: not a label)
    const text = dataRows.filter((f) => /\p{L}/u.test(f[k] ?? '') && !isFigure(f[k]!) && shorthandMeaning(f[k]!) === null).length;
    const figures = dataRows.filter((f) => isFigure(f[k] ?? '')).length;
    if (text > figures) {
      label = k;
      figuresSince = 0;
    } else if (figures > text && k > label && ++figuresSince >= 2) break;
  }
  return label + 1;
}

/**
 * Leading identity columns, left of the label column, that group the rows: written at the first data
 * row, then the same over runs of consecutive rows (repeated, or written once with blanks below), so
 * there are at least two runs and at most half as many runs as data rows. A column whose value
 * differs on every row (a GSS code, an old code number beside the name) identifies rows and does not
 * group them. `keys[i]` is the group of row `first + i` (the grouping columns' values, carried down).
 */
function groupingColumns(rows: string[][], labelColumns: number): { columns: number[]; first: number; keys: string[] } | null {
  if (labelColumns < 2) return null;
  // a row of data: a value right of the label columns that is not a year heading a column
  const isData = (f: string[]) => {
    const values = f.slice(labelColumns).filter(isValue);
    return values.length > 0 && !values.every(isYear);
  };
  const first = rows.findIndex(isData);
  if (first < 0) return null;
  const tail = rows.slice(first);
  const data = tail.map(isData);
  const n = data.filter(Boolean).length;
  const carried = (k: number) => {
    let current = '';
    return tail.map((f) => (f[k]!.trim() !== '' ? (current = f[k]!.trim()) : current));
  };
  const columns: number[] = [];
  for (let k = 0; k < labelColumns - 1; k++) {
    if (tail[0]![k]!.trim() === '') continue;
    const values = carried(k);
    let runs = 0;
    let last: string | null = null;
    values.forEach((v, i) => {
      if (!data[i] || v === last) return;
      runs++;
      last = v;
    });
    if (runs >= 2 && 2 * runs <= n) columns.push(k);
  }
  if (columns.length === 0) return null;
  const carriedColumns = columns.map(carried);
  const keys = tail.map((_, i) => carriedColumns.map((values) => values[i]!).join(', '));
  return { columns, first, keys };
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

/**
 * A cell's A1 address from its 0-based row and column ('B6' for row 5, column 1), as SheetJS's
 * utils.encode_cell gives it (a test holds the two equal): written out so that the pipeline, which
 * lists and loads workbooks without reading one, does not load SheetJS for it.
 */
export function cellAddress(row: number, col: number): string {
  let letters = '';
  for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26)) letters = String.fromCharCode(65 + ((c - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
}

export function lineLocator(file: string, line: SheetLine, offset = 0): Locator {
  return { kind: 'cell', document: file, sheet: line.sheet, cell: cellAddress(line.row, line.col + offset) };
}
