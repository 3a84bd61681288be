/**
 * Pure layout for the PDF editions of the text releases: parse a text release into blocks, wrap
 * prose into lines of styled runs, and place table columns. Nothing here touches pdfkit; widths
 * come from a `measure` callback so the same code is testable without a font.
 *
 * Text format (see raw/README.md): prose paragraphs separated by blank lines; tables are runs of
 * consecutive lines containing TAB (cells separated by TAB, some empty, child rows starting with
 * `┆`, `└` or `↳`, some header cells shifted — all kept exactly as they are); short standalone
 * lines are headings.
 */

export interface HeadingBlock {
  kind: 'heading';
  text: string;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  /** Source lines of the paragraph; each starts a new line in the PDF and is wrapped on its own. */
  lines: string[];
}

export interface TableBlock {
  kind: 'table';
  /** Cells exactly as split on TAB (empty strings kept, trailing ones included). */
  rows: string[][];
}

export type Block = HeadingBlock | ParagraphBlock | TableBlock;

/** Width of `text` in points at `size` in the regular (or bold) face. */
export type Measure = (text: string, size: number, bold: boolean) => number;

const MAX_HEADING_CHARS = 90;
const MAX_HEADING_WORDS = 14;

/** Whether a standalone line reads as a heading rather than a one-line paragraph. */
export function isHeadingLine(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > MAX_HEADING_CHARS) return false;
  if (t.split(/\s+/).length > MAX_HEADING_WORDS) return false;
  if (/[.,;]$/.test(t)) return false;
  // bullets, quotes, notes, footnotes (superscript digits), links, emphasis runs
  if (/^(-|•|"|“|'|\(|\*|[⁰¹²³⁴⁵⁶⁷⁸⁹]|https?:)/.test(t)) return false;
  return true;
}

/** Split a text release into heading, paragraph and table blocks, in reading order. */
export function parseBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let run: string[] = [];
  let runIsTable = false;

  const flush = (): void => {
    if (run.length === 0) return;
    if (runIsTable) {
      blocks.push({ kind: 'table', rows: run.map((l) => l.split('\t')) });
    } else if (run.length === 1 && isHeadingLine(run[0]!)) {
      blocks.push({ kind: 'heading', text: run[0]!.trim() });
    } else {
      blocks.push({ kind: 'paragraph', lines: [...run] });
    }
    run = [];
  };

  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    const isTable = line.includes('\t');
    if (run.length > 0 && isTable !== runIsTable) flush();
    runIsTable = isTable;
    run.push(line);
  }
  flush();
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// prose

export interface Run {
  text: string;
  bold: boolean;
}

interface Word {
  runs: Run[];
}

/**
 * Styled runs of a paragraph's source lines: `**…**` marks bold (it may span lines). If the
 * markers do not pair up, the text is kept literally.
 */
export function styledLines(lines: string[], boldAll = false): Run[][] {
  const markers = lines.reduce((n, l) => n + (l.match(/\*\*/g)?.length ?? 0), 0);
  const useMarkers = markers > 0 && markers % 2 === 0;
  let bold = false;
  return lines.map((line) => {
    if (!useMarkers) return [{ text: line, bold: boldAll }];
    const runs: Run[] = [];
    line.split('**').forEach((part, i) => {
      if (i > 0) bold = !bold;
      if (part !== '') runs.push({ text: part, bold: boldAll || bold });
    });
    return runs;
  });
}

function wordsOf(runs: Run[]): Word[] {
  const words: Word[] = [];
  let current: Run[] = [];
  const push = (): void => {
    if (current.length > 0) words.push({ runs: current });
    current = [];
  };
  for (const run of runs) {
    const parts = run.text.split(/(\s+)/);
    for (const part of parts) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        push();
        continue;
      }
      const last = current[current.length - 1];
      if (last && last.bold === run.bold) last.text += part;
      else current.push({ text: part, bold: run.bold });
    }
  }
  push();
  return words;
}

function wordWidth(word: Word, size: number, measure: Measure): number {
  return word.runs.reduce((w, r) => w + measure(r.text, size, r.bold), 0);
}

/** Break a word wider than the line into pieces that fit (long links). */
function splitLongWord(word: Word, size: number, width: number, measure: Measure): Word[] {
  const chars: Run[] = word.runs.flatMap((r) => [...r.text].map((c) => ({ text: c, bold: r.bold })));
  const pieces: Word[] = [];
  let cur: Run[] = [];
  let w = 0;
  for (const ch of chars) {
    const cw = measure(ch.text, size, ch.bold);
    if (cur.length > 0 && w + cw > width) {
      pieces.push({ runs: mergeRuns(cur) });
      cur = [];
      w = 0;
    }
    cur.push(ch);
    w += cw;
  }
  if (cur.length > 0) pieces.push({ runs: mergeRuns(cur) });
  return pieces;
}

function mergeRuns(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last.bold === r.bold) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}

/** A wrapped line: runs to draw, each at x offset from the left of the text column. */
export interface PlacedLine {
  runs: Array<Run & { x: number }>;
}

/**
 * Greedy word wrap of one source line (as styled runs) to `width`. Words are joined by one
 * space; consecutive words of the same style become one run, so a plain line is one text item.
 */
export function wrapRuns(runs: Run[], size: number, width: number, measure: Measure): PlacedLine[] {
  const words = wordsOf(runs).flatMap((w) =>
    wordWidth(w, size, measure) > width ? splitLongWord(w, size, width, measure) : [w],
  );
  const space = measure(' ', size, false);
  const lines: Word[][] = [];
  let line: Word[] = [];
  let lineWidth = 0;
  for (const word of words) {
    const ww = wordWidth(word, size, measure);
    if (line.length > 0 && lineWidth + space + ww > width) {
      lines.push(line);
      line = [];
      lineWidth = 0;
    }
    lineWidth += (line.length > 0 ? space : 0) + ww;
    line.push(word);
  }
  if (line.length > 0) lines.push(line);

  return lines.map((ws) => {
    // merge into runs; a space between words takes the style of the run it joins only when both
    // neighbours share it, otherwise it closes the previous run
    const merged: Run[] = [];
    ws.forEach((w, i) => {
      w.runs.forEach((r, j) => {
        const last = merged[merged.length - 1];
        const sep = i > 0 && j === 0 ? ' ' : '';
        if (last && last.bold === r.bold) last.text += sep + r.text;
        else {
          if (last && sep) last.text += sep;
          merged.push({ text: r.text, bold: r.bold });
        }
      });
    });
    let x = 0;
    const placed = merged.map((r) => {
      const p = { ...r, x };
      x += measure(r.text, size, r.bold);
      return p;
    });
    // trailing spaces are not drawn
    const last = placed[placed.length - 1];
    if (last) last.text = last.text.replace(/\s+$/, '');
    return { runs: placed.filter((r) => r.text !== '') };
  });
}

// ---------------------------------------------------------------------------------------------
// tables

export interface TableLayoutOptions {
  /** Preferred font size for table text. */
  size: number;
  /** Smallest size a wide table is scaled down to (cells are never wrapped). */
  floorSize: number;
  /** Gap between columns, in ems of the table font size. */
  gapEm: number;
  /** Rows drawn in the bold face (measured bold too). */
  boldRows: number;
}

export const DEFAULT_TABLE_OPTIONS: TableLayoutOptions = {
  size: 8.5,
  floorSize: 4.5,
  gapEm: 1.6,
  boldRows: 1,
};

export interface TableLayout {
  size: number;
  /** Rows set in bold (the first ones), as measured. */
  boldRows: number;
  /** Left edge of each column, relative to the left margin; every cell of column c starts here. */
  colX: number[];
  /** Width of the widest cell of each column that is followed by a filled cell (0 if none). */
  colWidth: number[];
  /** Total width used (to the right end of the widest row). */
  width: number;
}

export function columnCount(rows: string[][]): number {
  return rows.reduce((n, r) => Math.max(n, r.length), 0);
}

/**
 * Column positions at one font size. A cell followed by a filled cell in its row must fit its own
 * column: the next column starts at least `gap` after its widest such cell. A cell followed by
 * empty cells (a title row, a group header over Count and %) may run on over them, up to `gap`
 * before the next filled cell of its row, as a group header does in a printed table. Every
 * column with text starts to the right of the previous one.
 */
function layoutAt(rows: string[][], size: number, measure: Measure, opts: TableLayoutOptions): TableLayout {
  const n = columnCount(rows);
  const gap = opts.gapEm * size;
  const colWidth: number[] = new Array<number>(n).fill(0);
  const used: boolean[] = new Array<boolean>(n).fill(false);
  /** spans[k]: cells that must end `gap` before column k starts, as [from column, width]. */
  const spans: Array<Array<[number, number]>> = Array.from({ length: n }, () => []);
  const trailing: Array<[number, number]> = [];
  rows.forEach((row, r) => {
    const filled = row.map((cell, c) => (cell.trim() === '' ? -1 : c)).filter((c) => c >= 0);
    filled.forEach((c, i) => {
      used[c] = true;
      const w = measure(row[c]!, size, r < opts.boldRows);
      const next = filled[i + 1];
      if (next === undefined) trailing.push([c, w]);
      else if (next === c + 1) colWidth[c] = Math.max(colWidth[c]!, w);
      else spans[next]!.push([c, w]);
    });
  });
  const colX: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k === 0) {
      colX.push(0);
      continue;
    }
    const prev = colX[k - 1]!;
    let x = colWidth[k - 1]! > 0 ? prev + colWidth[k - 1]! + gap : used[k - 1] ? prev + gap : prev;
    for (const [from, w] of spans[k]!) x = Math.max(x, colX[from]! + w + gap);
    colX.push(x);
  }
  let width = 0;
  colWidth.forEach((w, c) => {
    if (w > 0) width = Math.max(width, colX[c]! + w);
  });
  for (const [c, w] of trailing) width = Math.max(width, colX[c]! + w);
  return { size, boldRows: opts.boldRows, colX, colWidth, width };
}

function fitAt(rows: string[][], available: number, measure: Measure, opts: TableLayoutOptions): TableLayout {
  let size = opts.size;
  let layout = layoutAt(rows, size, measure, opts);
  // widths scale linearly with size; step down in tenths of a point to stay on round sizes
  while (layout.width > available && size > opts.floorSize) {
    const target = Math.max(opts.floorSize, Math.floor(((size * available) / layout.width) * 10) / 10);
    size = target < size ? target : Math.max(opts.floorSize, Math.round((size - 0.1) * 10) / 10);
    layout = layoutAt(rows, size, measure, opts);
  }
  return layout;
}

/**
 * Column positions for a table (see layoutAt): columns as wide as their widest cell, separated by
 * `gapEm` ems. If the table is wider than `available`, the font size is scaled down (no further
 * than `floorSize`) so that every row stays on one line — cells are never wrapped. The first
 * `boldRows` rows are bold unless that alone would force a smaller size (then none are).
 */
export function layoutTable(
  rows: string[][],
  available: number,
  measure: Measure,
  opts: TableLayoutOptions = DEFAULT_TABLE_OPTIONS,
): TableLayout {
  const withBold = fitAt(rows, available, measure, opts);
  if (withBold.size >= opts.size || opts.boldRows === 0) return withBold;
  const plain = fitAt(rows, available, measure, { ...opts, boldRows: 0 });
  return plain.size > withBold.size ? plain : withBold;
}
