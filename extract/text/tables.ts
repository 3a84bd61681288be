import { parseNumberText, readPublishedNumber, type Figure, type Locator, type Parenthesised, type PublishedNumber, type Unit } from '../../core/index.js';
import type { Cell, CellStatus, Note, Table, TableColumn, TableRow } from '../contracts.js';
import { isPeriodText, periodOf } from '../periods.js';
import { LabelIndex, leadingFootnoteMarker, normaliseSpace, splitChildMarker, splitFootnoteMarkers, totalSubject } from './labels.js';

/**
 * Tables in a text document: each run of consecutive tab-separated lines is one grid. The grid is
 * read as header rows (periods, categories, units, the base n) then data rows, whatever the number
 * of header rows or where the converter put them. Nothing here knows any particular document.
 */

interface Block {
  /** 0-based index of the first line. */
  start: number;
  grid: string[][];
}

const UNIT_WORDS: Record<string, Unit | null> = {
  count: 'count',
  number: 'count',
  '%': 'percent',
  percent: 'percent',
  percentage: 'percent',
  rate: 'rate',
  fte: 'fte',
  'n=': null,
  n: null,
};

/** The base of a question: "n= 3074", "n=" with the figure beside it, "Number of police reports = 781". */
const BASE_CELL = /^(?:n|number of [^=]{1,60}?)\s*=\s*(.*)$/i;
const AGGREGATE_LABELS = /^(totals?\b|all\b|overall\b|grand total\b|england and wales$|united kingdom$|great britain$)/i;
const TOTAL_LABEL = /^(totals?\b|grand total\b)/i;
const STATISTIC_LABEL = /^(average|mean|median)\b|\((mean|median)\)/i;

export function findBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i]!.includes('\t')) {
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && lines[i]!.includes('\t')) i++;
    const grid = lines.slice(start, i).map((l) => l.split('\t').map((c) => normaliseSpace(c)));
    if (!isContentsBlock(lines, start)) blocks.push({ start, grid });
  }
  return blocks;
}

/** A table of contents ("About SafeLives<TAB>3") is not a statistical table. */
function isContentsBlock(lines: readonly string[], start: number): boolean {
  for (let j = start - 1; j >= 0 && j >= start - 3; j--) {
    const t = lines[j]!.trim();
    if (t === '') continue;
    return /^(table of )?contents$/i.test(t);
  }
  return false;
}

function isNumeric(text: string): boolean {
  return parseNumberText(text) !== null;
}

function isUnitWord(text: string): boolean {
  return Object.prototype.hasOwnProperty.call(UNIT_WORDS, text.toLowerCase());
}

function baseValue(text: string): Figure | null {
  const m = BASE_CELL.exec(text);
  const body = m ? m[1]!.trim() : text;
  const parsed = parseNumberText(body);
  if (!parsed || parsed.percent || parsed.decimals > 0) return null;
  return { raw: body, value: parsed.value, decimals: 0, unit: 'count' };
}

type HeaderKind = 'base' | 'unit' | 'label';

interface Grid {
  labels: string[];
  /** cells[r][k] for kept value columns k. */
  cells: string[][];
  /** Original column index of each kept value column. */
  columns: number[];
}

function toGrid(block: Block): Grid {
  let width = 0;
  for (const r of block.grid) width = Math.max(width, r.length);
  const rows = block.grid.map((r) => (r.length === width ? r : r.concat(Array<string>(width - r.length).fill(''))));
  // a value column is one that holds text in any row: one pass over the grid
  const filled = new Array<boolean>(width).fill(false);
  for (const r of rows) for (let c = 1; c < width; c++) if (r[c] !== '') filled[c] = true;
  const columns: number[] = [];
  for (let c = 1; c < width; c++) if (filled[c]) columns.push(c);
  return { labels: rows.map((r) => r[0]!), cells: rows.map((r) => columns.map((c) => r[c]!)), columns };
}

function classifyHeader(label: string, cells: string[], previous: HeaderKind | null, previousHadBareN: boolean, columnsNamed: boolean): HeaderKind | 'data' {
  const filled = cells.filter((c) => c !== '');
  // under a header that already names the columns ("Force | Year introduced"), a labelled row of years is data
  if (columnsNamed && label !== '' && filled.length > 0 && filled.every((c) => isNumeric(c))) return 'data';
  const values = filled.filter((c) => !BASE_CELL.test(c) || BASE_CELL.exec(c)![1] !== '');
  // "n= | 2020 | | 2019": the years took the place of the header; this is a period row
  const yearsOnly = values.length >= 2 && values.every((c) => isPeriodText(c));
  if (yearsOnly) return 'label';
  if (BASE_CELL.test(label) || filled.some((c) => BASE_CELL.test(c))) return 'base';
  if (filled.some((c) => isUnitWord(c))) return 'unit';
  const numbers = filled.filter((c) => isNumeric(c) && !isPeriodText(c));
  if (label === '' && numbers.length > 0 && numbers.length === filled.length && previous !== null && previousHadBareN) return 'base';
  if (label !== '' && numbers.length > 0) return 'data';
  if (label === '' && numbers.length > 0) return 'data';
  return 'label';
}

interface HeaderRow {
  kind: HeaderKind;
  label: string;
  cells: string[];
}

export interface TextTablesInput {
  lines: readonly string[];
  documentId: string;
  sections: ReadonlyArray<string | null>;
  /** Where line `index` (0-based) was read: a line of a text file, or a page and line of a PDF. */
  locate: (index: number) => Locator;
  /** Where field `column` (0-based, in the TAB-split line) of line `index` was read, when fields have addresses of their own (a workbook's cells). */
  locateCell?: (index: number, column: number) => Locator;
}

/** Shorthand for a value that is not given, and what it means (GSS accessible-spreadsheet guidance). */
const SHORTHAND: Array<[RegExp, string]> = [
  [/^\[x\]$/i, 'not available'],
  [/^\[c\]$/i, 'confidential'],
  [/^\[z\]$/i, 'not applicable'],
  [/^\[low\]$/i, 'low figure, rounds to zero'],
  [/^\[u\]$/i, 'low reliability'],
  [/^\[w\]$/i, 'no or few cases'],
  [/^\[s\]$/i, 'statistically significant'],
  [/^\[(p|r|e|b)\]$/i, 'provisional, revised, estimated or break in series'],
  [/^R$/, 'revised: the flag stands in its own cell beside the revised value'],
  [/^(\.\.|:|-|–|—|n\/a)$/i, 'not available or not applicable'],
  [/^\*$/i, 'suppressed or significant (see the table notes)'],
];

export function shorthandMeaning(text: string): string | null {
  return SHORTHAND.find(([re]) => re.test(text.trim()))?.[1] ?? null;
}

/** The meaning of a status cell whose text, in a value column, is neither a number nor shorthand ("12-15", "see note"). */
export const UNREADABLE = 'unreadable: not a number the reader understands';

type Reading = { kind: 'number'; number: PublishedNumber } | { kind: 'status'; meaning: string } | { kind: 'text' } | { kind: 'empty' };

function readCell(text: string, parenthesised: Parenthesised): Reading {
  if (text === '') return { kind: 'empty' };
  const number = readPublishedNumber(text, parenthesised);
  if (number) return { kind: 'number', number };
  const meaning = shorthandMeaning(text);
  return meaning ? { kind: 'status', meaning } : { kind: 'text' };
}

/**
 * Words that make a table or column an account: income, expenditure, or a currency as the unit ("£
 * thousands", "£m", "(£)", "£000"), not an amount in a label ("Less than £10,000", a survey's income band).
 */
const ACCOUNT = /\b(income|expenditure|spend|spending|revenue|budget|surplus|deficit|finance|financial)\b|[£$€]\s*(?:'?000s?|thousands?|millions?|billions?|bn|m|k)?(?![\d.,])/i;
/** Words that make a column or row one of changes, which may fall as well as rise. */
const CHANGE = /\b(changes?|difference|differences|increase|decrease|growth)\b/i;

/**
 * What "(23)" means in a cell, from the words of its table and column, and of its row for changes
 * (readPublishedNumber):
 * - in an account (its title or column names income, expenditure, spending, revenue, budget, finance,
 *   or a currency as the unit), a negative amount, as accountants print one: −23. So is any cell
 *   printed with a currency sign, "(£23)". A row label never makes an account ("Income £10,000 to
 *   £19,999" is a survey's category);
 * - in a column or row of changes ("Change", "Difference", "% increase") outside an account, it may
 *   be a fall or an estimate on a small base: not read (the cell is a status, and checks are undecided);
 * - elsewhere (survey tables), an estimate on a small base, as ONS and others print one: 23, with the
 *   marker "()".
 * The strongest reading of the table, column and row wins: an account, then changes. A grid without
 * a title of its own continues the table above it, and is an account when that table is (its title or
 * a column header says so).
 */
function parenthesesIn(words: string): Parenthesised {
  if (ACCOUNT.test(words)) return 'negative';
  return CHANGE.test(words) ? 'ambiguous' : 'estimate';
}

function strongest(...readings: Parenthesised[]): Parenthesised {
  if (readings.includes('negative')) return 'negative';
  return readings.includes('ambiguous') ? 'ambiguous' : 'estimate';
}

export function extractTextTables(input: TextTablesInput): { tables: Table[]; cells: Cell[]; statuses: CellStatus[] } {
  const tables: Table[] = [];
  const cells: Cell[] = [];
  const statuses: CellStatus[] = [];
  const footnotes = collectFootnotes(input.lines, input.locate);
  let accountAbove = false;
  for (const block of findBlocks(input.lines)) {
    const built = buildTable(block, input, tables.length + 1, footnotes, accountAbove);
    if (built) {
      accountAbove = built.account;
      tables.push(built.table);
      // one by one: spreading a table's cells into push() overflows the call stack on a big table
      for (const cell of built.cells) cells.push(cell);
      for (const status of built.statuses) statuses.push(status);
    }
  }
  return { tables, cells, statuses };
}

function collectFootnotes(lines: readonly string[], locate: (index: number) => Locator): Map<string, Note> {
  const out = new Map<string, Note>();
  lines.forEach((line, i) => {
    if (line.includes('\t')) return;
    const fn = leadingFootnoteMarker(line);
    if (fn && fn.text && !out.has(fn.marker)) out.set(fn.marker, { marker: fn.marker, text: fn.text, locator: locate(i) });
  });
  return out;
}

/** `accountAbove`: whether the table above is an account; a grid with no title of its own continues it (the blocks of a workbook sheet under one title). */
function buildTable(block: Block, input: TextTablesInput, ordinal: number, footnotes: Map<string, Note>, accountAbove: boolean): { table: Table; cells: Cell[]; statuses: CellStatus[]; account: boolean } | null {
  const grid = toGrid(block);
  if (grid.columns.length === 0) return null;
  const { documentId, locate } = input;

  // 1. Header zone: every row before the first data row.
  const headers: HeaderRow[] = [];
  let firstData = grid.labels.length;
  let previous: HeaderKind | null = null;
  let previousHadBareN = false;
  // every value column already has a header of its own (not one spanning several): a row of years below is data
  const named = (c: string) => c !== '' && !isNumeric(c) && !isPeriodText(c) && !BASE_CELL.test(c);
  const columnNamed = new Array<boolean>(grid.columns.length).fill(false);
  let namedColumns = 0;
  for (let r = 0; r < grid.labels.length; r++) {
    const label = grid.labels[r]!;
    const columnsNamed = grid.columns.length > 0 && namedColumns === grid.columns.length;
    const kind = classifyHeader(label, grid.cells[r]!, previous, previousHadBareN, columnsNamed);
    if (kind === 'data') {
      firstData = r;
      break;
    }
    const cells = grid.cells[r]!;
    // a label alone over rows marked as its children or members ("England" above "⊢ Total referrals") heads the first group: data, not a header
    if (kind === 'label' && label !== '' && cells.every((c) => c === '') && r + 1 < grid.labels.length && (splitChildMarker(grid.labels[r + 1]!).child || splitChildMarker(grid.labels[r + 1]!).member)) {
      firstData = r;
      break;
    }
    headers.push({ kind, label, cells });
    if (kind === 'label') {
      for (let k = 0; k < cells.length; k++) {
        if (!columnNamed[k] && named(cells[k]!)) {
          columnNamed[k] = true;
          namedColumns++;
        }
      }
    }
    previousHadBareN = BASE_CELL.exec(label)?.[1] === '' || cells.some((c) => BASE_CELL.exec(c)?.[1] === '');
    previous = kind;
  }
  if (firstData === grid.labels.length) return null; // no data: a list of text, not a statistical table

  // 2. Caption and title.
  const headerTitle = headers.map((h) => h.label).find((l) => l !== '' && !isPeriodText(l) && !BASE_CELL.test(l));
  const found = captionAbove(input.lines, block.start);
  const caption = found && (found.numbered || !headerTitle) ? found : null;
  const title = caption?.title ?? headerTitle ?? `Untitled table ${ordinal}`;
  // an unnumbered line right above a grid whose header names it ("values in £ millions") is not its
  // title, but it still says what the figures are: kept as the subtitle
  const subtitle = caption?.subtitle ?? (found && !caption ? found.title : null);
  const tablePeriod = headers.map((h) => h.label).find((l) => isPeriodText(l)) ?? null;
  const tableId = `${documentId}:t${String(ordinal).padStart(3, '0')}`;
  const titleText = `${title} ${subtitle ?? ''}`;

  // a value column holds a value in some data row; header text over any other column is misplaced
  const hasData = grid.columns.map((_, k) => grid.cells.slice(firstData).some((r) => r[k] !== ''));
  alignHeaders(headers, hasData);

  // 3. Columns: header path (spanning labels filled rightwards), unit, period, base.
  const spanning = headers.map((h) => (h.kind === 'label' ? filledLeft(h.cells) : []));
  const columns: TableColumn[] = grid.columns.map((_, k) => {
    const path: string[] = [];
    const footnotes: string[] = [];
    if (tablePeriod) path.push(periodOf(tablePeriod) ?? tablePeriod);
    let unit: Unit | null = null;
    headers.forEach((h, i) => {
      const word = h.cells[k]!;
      if (isUnitWord(word)) {
        const named = UNIT_WORDS[word.toLowerCase()];
        if (named) {
          unit = named;
          path.push(word);
        }
      } else if (h.kind === 'label') {
        const { text, markers } = splitFootnoteMarkers(spanning[i]![k]!);
        if (text) path.push(text);
        for (const marker of markers) footnotes.push(marker);
      }
    });
    const joined = path.join(' ');
    unit = unit ?? unitFromText(joined) ?? unitFromCells(grid, firstData, k) ?? null;
    const period = periodOf(joined) ?? periodOf(path.filter((p) => isPeriodText(p)).join(' '));
    return { index: k, header_path: path, unit, period, base: null, footnotes: [...new Set(footnotes)].sort() };
  });
  assignBases(columns, headers);

  // Columns that only ever held header text ("n=" beside the grid) are not data columns.
  const kept = grid.columns.map(() => false);
  for (let r = firstData; r < grid.cells.length; r++) {
    const cells = grid.cells[r]!;
    for (let k = 0; k < cells.length; k++) if (cells[k] !== '') kept[k] = true;
  }
  if (kept.some((keep) => !keep)) {
    const renumbered = columns.filter((_, k) => kept[k]).map((c, i) => ({ ...c, index: i }));
    grid.cells = grid.cells.map((r) => r.filter((_, k) => kept[k]));
    grid.columns = grid.columns.filter((_, k) => kept[k]);
    columns.length = 0;
    for (const column of renumbered) columns.push(column);
  }

  // 4. Rows: labels, child markers, footnote markers, roles.
  const rows: TableRow[] = [];
  const rowLines: number[] = [];
  let lastTop: TableRow | null = null;
  for (let r = firstData; r < grid.labels.length; r++) {
    const { label: unmarked, child, member } = splitChildMarker(grid.labels[r]!);
    const { text: label, markers } = splitFootnoteMarkers(unmarked);
    const hasValues = grid.cells[r]!.some((c) => c !== '');
    const parent = child && lastTop ? lastTop : null;
    // a member of a named group: a top-level row whose path starts with the group's heading
    const group = member && lastTop && lastTop.role === 'heading' ? lastTop : null;
    const row: TableRow = {
      index: rows.length,
      label,
      label_path: parent ? [parent.label, label] : group ? [group.label, label] : [label],
      depth: parent ? 1 : 0,
      parent_index: parent ? parent.index : null,
      role: !hasValues ? 'heading' : STATISTIC_LABEL.test(label) ? 'statistic' : 'category',
      footnotes: markers,
      locator: locate(block.start + r),
    };
    rows.push(row);
    rowLines.push(r);
    if (!parent && !group) lastTop = row;
  }
  assignGroups(rows);
  assignTotals(rows);

  // 5. Cells: each read once, as a number (with what was printed beside it), shorthand, or text.
  // A column where most filled cells read is a value column: its text is a status ("unreadable"),
  // never dropped; a column of text (names, codes, dates) is not one, and its text is left out.
  const columnParentheses = columns.map((c) => parenthesesIn(c.header_path.join(' ')));
  const untitled = !caption && !headerTitle;
  const account = ACCOUNT.test(titleText) || columnParentheses.includes('negative') || (untitled && accountAbove);
  const tableParentheses = untitled && accountAbove ? 'negative' : parenthesesIn(titleText);
  const inColumn = columnParentheses.map((c) => strongest(tableParentheses, c)); // once a column, not once a cell
  const readings = rows.map((row, i) => {
    const changes = CHANGE.test(row.label_path.join(' '));
    return grid.cells[rowLines[i]!]!.map((text, k) => readCell(text, changes && inColumn[k] === 'estimate' ? 'ambiguous' : inColumn[k]!));
  });
  const filled = columns.map(() => 0);
  const read = columns.map(() => 0);
  for (const line of readings) {
    line.forEach((reading, k) => {
      if (reading.kind === 'empty') return;
      filled[k]!++;
      if (reading.kind !== 'text') read[k]!++;
    });
  }
  const cells: Cell[] = [];
  const statuses: CellStatus[] = [];
  rows.forEach((row, i) => {
    const r = rowLines[i]!;
    readings[i]!.forEach((reading, k) => {
      if (reading.kind === 'empty' || (reading.kind === 'text' && 2 * read[k]! <= filled[k]!)) return;
      const text = grid.cells[r]![k]!;
      const locator = input.locateCell ? input.locateCell(block.start + r, grid.columns[k]!) : row.locator;
      const column = columns[k]!;
      if (reading.kind !== 'number') {
        const meaning = reading.kind === 'status' ? reading.meaning : UNREADABLE;
        statuses.push({ table_id: tableId, document_id: documentId, row_index: row.index, column_index: k, row_path: row.label_path, column_path: column.header_path, raw: text.trim(), meaning, locator });
        return;
      }
      const { number } = reading;
      const unit: Unit = number.percent ? 'percent' : number.currency && row.role !== 'statistic' ? 'currency' : cellUnit(column, row, titleText, number.decimals);
      const figure: Figure = { raw: text, value: number.value, decimals: number.decimals, unit };
      cells.push({
        cell_id: `${tableId}:r${row.index}c${k}`,
        table_id: tableId,
        document_id: documentId,
        row_index: row.index,
        column_index: k,
        row_path: row.label_path,
        column_path: column.header_path,
        figure,
        marker: number.marker,
        locator,
      });
    });
  });

  // 6. Notes: Source/Notes lines below the grid, and footnotes cited by row labels.
  const notes = notesBelow(input.lines, block.start + block.grid.length, locate);
  const cited = new Set([...rows.flatMap((r) => r.footnotes), ...columns.flatMap((c) => c.footnotes)]);
  for (const marker of [...cited].sort()) {
    const note = footnotes.get(marker);
    if (note) notes.push(note);
  }

  const table: Table = {
    table_id: tableId,
    document_id: documentId,
    ordinal,
    title,
    subtitle,
    section: input.sections[block.start] ?? null,
    locator: locate(caption?.line ?? block.start),
    columns,
    rows,
    notes,
  };
  return { table, cells, statuses, account };
}

/**
 * Header text printed over the wrong column (the PDF-to-text conversion, or the publication itself,
 * sets a header one position left or right, centred between columns, or over a column that holds no
 * values) is put over the columns of values it belongs to, as a reader does: by order, when the
 * headers of a row and the columns they can head are as many.
 *
 * - Value columns are the columns that hold a value in some data row. A unit row made only of unit
 *   words, as many as the value columns but not over them, is put over them in order.
 * - Groups: a Count column and the % beside it are one group (the % is of that count); every other
 *   value column is a group of its own. A header names a group and is written over its first column.
 * - A header row (labels, periods, or the figures of a base row) with some header not over the first
 *   column of a group, and as many headers as groups, heads the groups in order.
 * - A row of periods or bases with more entries than groups: each goes to the group it is printed
 *   over, or, when that group already has one, the next group; one left over heads no column (the
 *   "2020 | 2019" over one "Count | %" group, whose % is a share of the 2020 count).
 * - Calendar years over a row of months or quarters: a year heads the months of that year, so a
 *   year's columns start where the months come round to the start of the year (Oct - Dec, then Jan -
 *   Mar) or where a heading above starts a new group; when the years are as many as these starts, and
 *   go up by one at each turn of the year, they head them in order.
 */
function alignHeaders(headers: HeaderRow[], hasData: readonly boolean[]): void {
  const data = hasData.flatMap((has, k) => (has ? [k] : []));
  if (data.length === 0) return;
  const unitOf = (c: string) => (isUnitWord(c) ? UNIT_WORDS[c.toLowerCase()] : null);
  const unitRow = headers.find((h) => h.cells.some((c) => unitOf(c)));
  if (unitRow) {
    const units = entries(unitRow.cells);
    if (units.length === data.length && units.every(({ c }) => unitOf(c)) && units.some(({ k }, i) => k !== data[i])) unitRow.cells = placed(unitRow.cells, units, data);
  }
  const starts = data.filter((k, i) => !(i > 0 && unitRow && unitOf(unitRow.cells[k]!) === 'percent' && unitOf(unitRow.cells[data[i - 1]!]!) === 'count'));
  const startSet = new Set(starts);
  const groupOf = (k: number) => {
    let g = -1;
    while (g + 1 < starts.length && starts[g + 1]! <= k) g++;
    return g;
  };
  headers.forEach((h, i) => {
    if (h === unitRow) return;
    const filled = entries(h.cells);
    const items = h.kind === 'label' ? filled.filter(({ c }) => !BASE_CELL.test(c)) : filled.filter(({ c }) => baseValue(c) !== null && !isPeriodText(c));
    if (items.length === 0 || h.kind === 'unit') return;
    if (h.kind === 'label' && items.some(({ c }) => isNumeric(c) && !isPeriodText(c))) return;
    if (h.kind === 'base' && !filled.every(({ c }) => BASE_CELL.test(c) || isNumeric(c))) return;
    const periods = h.kind === 'label' && items.every(({ c }) => isPeriodText(c));
    if (periods) {
      const yearStarts = calendarYearStarts(headers, i, data);
      if (yearStarts && yearStarts.length === items.length && yearsFollow(items.map(({ c }) => c), yearStarts.map((s) => s.turn))) {
        h.cells = placed(h.cells, items, yearStarts.map((s) => s.k));
        return;
      }
    }
    if (items.every(({ k }) => startSet.has(k))) return;
    if (items.length === starts.length) {
      h.cells = placed(h.cells, items, starts);
      return;
    }
    if ((periods || h.kind === 'base') && items.length > starts.length) {
      const taken = new Set<number>();
      const targets = items.map(({ k }) => {
        let g = Math.max(0, groupOf(k));
        while (g < starts.length && taken.has(g)) g++;
        if (g >= starts.length) return null;
        taken.add(g);
        return starts[g]!;
      });
      h.cells = placed(h.cells, items, targets);
    }
  });
}

/** The filled cells of a header row, with their columns. */
function entries(cells: readonly string[]): Array<{ c: string; k: number }> {
  return cells.flatMap((c, k) => (c === '' ? [] : [{ c, k }]));
}

/** A header row with `items` moved to `targets` (null: the item heads no column); its other cells stay where they are. */
function placed(cells: readonly string[], items: ReadonlyArray<{ c: string; k: number }>, targets: ReadonlyArray<number | null>): string[] {
  const out = [...cells];
  for (const { k } of items) out[k] = '';
  items.forEach(({ c }, i) => {
    const to = targets[i];
    if (to !== null && to !== undefined) out[to] = c;
  });
  return out;
}

const MONTH_NAME = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const MONTH_RANGE = new RegExp(`^${MONTH_NAME}(?:\\s*(?:[-–]|to)\\s*${MONTH_NAME})?$`, 'i');

/**
 * Where the years of header row `row` start, when a row below it names a month or a range of months
 * over every value column: the first value column, each column whose months come round to an earlier
 * month than the column before it (a new year: `turn`), and each column where a heading in a row
 * above starts. Null when there is no such row of months.
 */
function calendarYearStarts(headers: readonly HeaderRow[], row: number, data: readonly number[]): Array<{ k: number; turn: boolean }> | null {
  const monthRow = headers.slice(row + 1).find((h) => h.kind === 'label' && entries(h.cells).length > 0);
  if (!monthRow) return null;
  const months = data.map((k) => MONTH_RANGE.exec(monthRow.cells[k]!)?.[1]?.toLowerCase() ?? null);
  if (months.some((m) => m === null) || entries(monthRow.cells).length !== data.length) return null;
  const order = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const parents = new Set<number>();
  for (const h of headers.slice(0, row)) {
    if (h.kind !== 'label') continue;
    for (const { k } of entries(h.cells)) {
      const first = data.find((d) => d >= k);
      if (first !== undefined) parents.add(first);
    }
  }
  const out: Array<{ k: number; turn: boolean }> = [];
  data.forEach((k, i) => {
    const turn = i > 0 && order.indexOf(months[i]!) < order.indexOf(months[i - 1]!);
    if (i === 0 || turn || parents.has(k)) out.push({ k, turn: turn && !parents.has(k) });
  });
  return out;
}

/** Years that follow the year starts: a year that starts at a turn of the year is the one before it plus one. */
function yearsFollow(years: readonly string[], turns: readonly boolean[]): boolean {
  if (!years.every((y) => /^(19|20)\d\d$/.test(y))) return false;
  return years.every((y, i) => !turns[i] || (i > 0 && Number(y) === Number(years[i - 1]) + 1));
}

/**
 * A spanning header: an empty cell takes the nearest label to its left in the same header row
 * (nothing when the nearest filled cell to its left is not a label). Every column of the row in one pass.
 */
function filledLeft(cells: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const text of cells) {
    if (text !== '') current = !BASE_CELL.test(text) && (!isNumeric(text) || isPeriodText(text)) ? text : '';
    out.push(current);
  }
  return out;
}

function unitFromText(text: string): Unit | null {
  if (/percentage point/i.test(text)) return 'number';
  if (/(^|[\s(])%|\bper ?cent(?!iles?\b)|percentage|proportion/i.test(text)) return 'percent'; // not "95th percentile (weeks)"
  if (/per \d{1,3}(,\d{3})*\b|\brate\b/i.test(text)) return 'rate';
  if (/\bFTE\b|full[- ]time equivalent/i.test(text)) return 'fte';
  return null;
}

function unitFromCells(grid: Grid, firstData: number, k: number): Unit | null {
  const values = grid.cells.slice(firstData).map((r) => r[k]!).filter((c) => isNumeric(c));
  if (values.length > 0 && values.every((c) => c.trim().endsWith('%'))) return 'percent';
  return null;
}

function cellUnit(column: TableColumn, row: TableRow, titleText: string, decimals: number): Unit {
  const columnUnit = column.unit;
  if (row.role === 'statistic') return 'number';
  const fromRow = unitFromText(row.label);
  if (fromRow === 'percent' || fromRow === 'rate' || fromRow === 'number') return fromRow;
  if (columnUnit) return columnUnit;
  if (fromRow) return fromRow;
  // The title's unit ("Full time equivalent practitioners", "rates per 1,000 population") holds for columns that name nothing but a period.
  const ownWords = column.header_path.filter((p) => !isPeriodText(p));
  const fromCaption = unitFromText(titleText);
  // ("percentage point change" under period headers: differences of rates, not counts)
  if (ownWords.length === 0 && (fromCaption === 'fte' || fromCaption === 'rate' || fromCaption === 'number' || (fromCaption === 'percent' && !/\b(number|count)s?\b/i.test(titleText)))) return fromCaption;
  return decimals === 0 ? 'count' : 'number';
}

/**
 * Bases: "n= 3074" alone in a row is the n of every column; "n= | 3074 | 3754" or "Count | n= | 3754"
 * give n per column. A column without its own n takes the n of its period group (the Count beside its %).
 */
function assignBases(columns: TableColumn[], headers: HeaderRow[]): void {
  for (const h of headers) {
    if (h.kind !== 'base' && h.kind !== 'unit') continue;
    const values: Array<{ k: number; figure: Figure; inline: boolean }> = [];
    const years = h.cells.filter((c) => isPeriodText(c)).length >= 2; // "n= | 2020 | | 2019": periods, not bases
    h.cells.forEach((text, k) => {
      if (text === '' || isUnitWord(text) || (years && isPeriodText(text))) return;
      const figure = baseValue(text);
      if (figure) values.push({ k, figure, inline: BASE_CELL.test(text) });
    });
    const labelBase = BASE_CELL.test(h.label) ? baseValue(h.label) : null;
    if (labelBase && values.length === 0) {
      for (const column of columns) column.base ??= labelBase;
      continue;
    }
    if (values.length === 1 && values[0]!.inline) {
      for (const column of columns) column.base ??= values[0]!.figure;
      continue;
    }
    for (const { k, figure } of values) columns[k]!.base ??= figure;
  }
  // a column without a base takes its period group's, when the group's bases agree; a base filled in
  // here is the group's own, so the groups can be read once, before any is filled
  const groups = new Map<string, { first: Figure; values: Set<number> }>();
  for (const c of columns) {
    if (c.period === null || !c.base) continue;
    const group = groups.get(c.period);
    if (group) group.values.add(c.base.value);
    else groups.set(c.period, { first: c.base, values: new Set([c.base.value]) });
  }
  for (const column of columns) {
    if (column.base || column.period === null) continue;
    const group = groups.get(column.period);
    if (group && group.values.size === 1) column.base = group.first;
  }
  // a % beside its Count is a share of that count: it has the Count's base
  columns.forEach((column, k) => {
    const before = columns[k - 1];
    if (!column.base && column.unit === 'percent' && before?.unit === 'count' && before.base) column.base = before.base;
  });
}

/**
 * Tables that repeat one block of rows per group and name the group only once inside the block
 * (ONS: "Total referrals | England % Accepted | % Declined", then "Total referrals | Wales % Accepted
 * | …"). Blocks start where the first label comes round again; a block's name is the prefix that
 * distinguishes one of its labels from the same label in another block ("England" / "Wales" before
 * "% Accepted"). Every row of the block gets the name at the head of its label path.
 */
function assignGroups(rows: TableRow[]): void {
  const top = rows.filter((r) => r.depth === 0);
  if (top.length < 4) return;
  const starts = top.map((r, i) => (r.label === top[0]!.label ? i : -1)).filter((i) => i >= 0);
  if (starts.length < 2) return;
  const blocks = starts.map((start, b) => top.slice(start, starts[b + 1] ?? top.length));
  const elsewhere = otherBlocksIndex(blocks);
  const names: Array<{ row: TableRow; prefix: string; rest: string }> = [];
  for (let b = 0; b < blocks.length; b++) {
    const name = blockName(blocks[b]!, b, elsewhere);
    if (name === null) return;
    names.push(name);
  }
  const children = new Map<number, TableRow[]>();
  for (const r of rows) {
    if (r.parent_index === null) continue;
    const list = children.get(r.parent_index);
    if (list) list.push(r);
    else children.set(r.parent_index, [r]);
  }
  blocks.forEach((block, b) => {
    const { row: named, prefix, rest } = names[b]!;
    named.label = rest;
    for (const row of block) {
      row.label_path = [prefix, ...row.label_path.slice(row.label_path.length - 1).map((l) => (row === named ? rest : l))];
      for (const child of children.get(row.index) ?? []) child.label_path = [prefix, row.label, child.label];
    }
  });
}

/**
 * A block's name: the first row of the block, and the first prefix of 1 to 3 words of its label,
 * whose rest ends the label of a row in another block that is not this label and does not start with
 * the same prefix ("England % Accepted" / "Wales % Accepted").
 */
function blockName(block: readonly TableRow[], b: number, elsewhere: (b: number, label: string, k: number) => boolean): { row: TableRow; prefix: string; rest: string } | null {
  for (const row of block) {
    const words = row.label.split(' ');
    for (let k = 1; k <= 3 && k < words.length; k++) {
      if (elsewhere(b, row.label, k)) return { row, prefix: words.slice(0, k).join(' '), rest: words.slice(k).join(' ') };
    }
  }
  return null;
}

/**
 * Answers, for a row label of block b and a prefix of its first k words, whether a row r of another
 * block has r.label !== label, r.label.endsWith(` ${rest}`) and !r.label.startsWith(`${prefix} `) —
 * without comparing every pair of rows (quadratic in a table of many blocks).
 *
 * With labels split into words at each space, "r ends with ' ' + rest" is "r's last m words are
 * rest's m words and r has more than m words", and "r starts with prefix + ' '" is "r has more than k
 * words and its first k are prefix's". A row with the same label starts with the prefix, so the first
 * condition adds nothing. Every row is entered in a trie of word suffixes (read from the last word)
 * at each suffix shorter than its label, with counts by block, by first-k-words key and by both;
 * the rows at the node of rest that are in another block and have another key then number
 * total − same block − same key + same block and key.
 */
function otherBlocksIndex(blocks: ReadonlyArray<readonly TableRow[]>): (b: number, label: string, k: number) => boolean {
  const child = new Map<string, number>(); // `${node}\u0000${word}` → node
  let nodes = 1; // 0 is the root (the empty suffix)
  const total = new Map<number, number>();
  const counts = new Map<string, number>();
  const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const keyOf = (words: readonly string[], k: number) => (words.length > k ? words.slice(0, k).join(' ') : null);
  blocks.forEach((block, b) => {
    for (const r of block) {
      const words = r.label.split(' ');
      const keys = [1, 2, 3].map((k) => keyOf(words, k));
      let node = 0;
      for (let m = 1; m < words.length; m++) {
        const edge = `${node}\u0000${words[words.length - m]!}`;
        let next = child.get(edge);
        if (next === undefined) {
          next = nodes++;
          child.set(edge, next);
        }
        node = next;
        bump(total, node);
        bump(counts, `b${node}:${b}`);
        keys.forEach((key, i) => {
          if (key === null) return;
          bump(counts, `k${node}:${i + 1}:${key}`);
          bump(counts, `p${node}:${i + 1}:${b}:${key}`);
        });
      }
    }
  });
  return (b, label, k) => {
    const words = label.split(' ');
    let node = 0;
    for (let m = 1; m <= words.length - k; m++) {
      const next = child.get(`${node}\u0000${words[words.length - m]!}`);
      if (next === undefined) return false;
      node = next;
    }
    const key = words.slice(0, k).join(' ');
    const n = (total.get(node) ?? 0) - (counts.get(`b${node}:${b}`) ?? 0) - (counts.get(`k${node}:${k}:${key}`) ?? 0) + (counts.get(`p${node}:${k}:${b}:${key}`) ?? 0);
    return n > 0;
  };
}

/**
 * A row labelled as a total ("Total", "All …", "England and Wales") is the table's total when it
 * is the first or last row carrying values; elsewhere it is a subtotal of rows we cannot name.
 * A total-labelled parent of marked child rows is the subtotal of those children.
 */
function assignTotals(rows: TableRow[]): void {
  const top = rows.filter((r) => r.depth === 0 && r.role === 'category');
  const hasChildren = new Set(rows.filter((r) => r.parent_index !== null).map((r) => r.parent_index));
  const labels = new LabelIndex(rows.map((r) => r.label));
  rows.forEach((row, position) => {
    if (row.role !== 'category' || row.depth !== 0) return;
    if (hasChildren.has(row.index)) {
      if (TOTAL_LABEL.test(row.label)) row.role = 'subtotal';
      return;
    }
    if (!AGGREGATE_LABELS.test(row.label)) return;
    const subset = totalSubject(row.label);
    if (subset && labels.naming(subset, { limit: 1, except: position }).length > 0) {
      row.role = 'subtotal'; // "Total Agree" sums the rows that say "agree", not the whole table
      return;
    }
    const edge = top.length > 2 && (row === top[0] || row === top[top.length - 1]);
    row.role = edge ? 'total' : 'subtotal';
  });
}

/** "Table 2: …" with optional lines before the grid ("England and Wales"). */
function captionAbove(lines: readonly string[], start: number): { title: string; subtitle: string | null; line: number; numbered: boolean } | null {
  // the nearest paragraph above (a blank line or two away), and up to four lines further up for a "Table N" caption
  const above: Array<{ text: string; line: number }> = [];
  let j = start - 1;
  for (let blanks = 0; j >= 0 && above.length < 5; j--) {
    const t = lines[j]!.trim();
    if (lines[j]!.includes('\t')) break;
    if (t === '') {
      if (++blanks > 2) break;
      continue;
    }
    blanks = 0;
    if (BOILERPLATE.test(t)) continue;
    above.unshift({ text: t, line: j });
    if (CAPTION.test(t) || t.length > 160 || /[.!?]$/.test(t)) break;
  }
  const numbered = above.findIndex((a) => CAPTION.test(a.text));
  if (numbered >= 0) {
    const rest = above.slice(numbered + 1).map((a) => a.text).join(' ');
    return { title: splitFootnoteMarkers(above[numbered]!.text).text, subtitle: rest === '' ? null : rest, line: above[numbered]!.line, numbered: true };
  }
  const first = above[above.length - 1];
  if (!first || first.text.length > 160 || /[.!?)]$/.test(first.text)) return null;
  return { title: splitFootnoteMarkers(first.text).text, subtitle: null, line: first.line, numbered: false };
}

/** "Table 2:", "Figure 3.", and the bare table codes of accessible workbooks ("A1a: …", "P4: …"). */
const CAPTION = /^((table|figure)\s+[a-z]{0,2}\d+[a-z]?\s*[:.\-–]|[A-Z]{1,2}\d+[a-z]?:\s)/i;
/** Lines between a caption and its grid that are not part of either. */
const BOILERPLATE = /^(this (work)?sheet contains|this table contains|some (cells|shorthand)|freeze panes|data in this table)/i;

/** "Source: …" then "Notes:" and numbered lines, directly below a grid. */
function notesBelow(lines: readonly string[], after: number, locate: (index: number) => Locator): Note[] {
  const notes: Note[] = [];
  let inNotes = false;
  for (let j = after; j < lines.length; j++) {
    const t = lines[j]!.trim();
    if (t === '') continue;
    if (/^source:/i.test(t)) {
      notes.push({ marker: 'source', text: t, locator: locate(j) });
      continue;
    }
    if (/^notes?:$/i.test(t)) {
      inNotes = true;
      continue;
    }
    const numbered = /^(\d+)\.\s+(.*)$/.exec(t);
    if (inNotes && numbered) {
      notes.push({ marker: numbered[1]!, text: numbered[2]!, locator: locate(j) });
      continue;
    }
    break;
  }
  return notes;
}
