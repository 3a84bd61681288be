import type { Figure } from '../core/index.js';
import type { Cell, Table, TableColumn, TableRow } from '../extract/index.js';
import { isPeriodText } from '../extract/index.js';
import type { EvidenceDraft, TableSubject } from './define.js';

/**
 * Reading a table's shape for checks: which cells pair, group and total. Pure helpers. What depends
 * only on the table (a column's cells and unit, the component and total rows, a row's children, a
 * column's rounding) is worked out once per view and kept: checks ask for it per row or per cell, and
 * working it out again each time made them quadratic in the rows of a table.
 */

const UNIT_HEADER = /^(count|number|%|percent|percentage|n=|n|rate|fte)$/i;
/**
 * A category that catches whatever the others do not (Other, Missing, Don't know, Not stated, No…):
 * its presence among the parts says they are meant to be complete.
 */
export const CATCH_ALL = /\b(other|others|missing|don't know|do not know|not known|unknown|not disclosed|not stated|not recorded|none|no|no answer|refused)\b/i;
export const ADDITIVE_UNITS: ReadonlySet<Figure['unit']> = new Set(['count', 'fte', 'currency']);

export class TableView {
  readonly table: Table;
  /** Cells by row_index × stride + column_index. */
  private readonly byPosition = new Map<number, Cell>();
  /** Places (row_index × stride + column_index) holding a status: shorthand, or text that is not a number. */
  private readonly shorthand = new Set<number>();
  private readonly stride: number;
  private readonly cellsOfColumn = new Map<number, ReadonlyArray<{ row: TableRow; cell: Cell }>>();
  private readonly unitOfColumn = new Map<number, Figure['unit'] | null>();
  private readonly roundingOfColumn = new Map<number, number>();
  private components: TableRow[] | undefined;
  private componentIndexSet: Set<number> | undefined;
  /** The rows runsDown reads (not statistics, headings or children), and where each is among them. */
  private rowsDown: TableRow[] | undefined;
  private positionDown: Map<number, number> | undefined;
  private totals: TableRow[] | undefined;
  private childrenOf: Map<number, TableRow[]> | undefined;
  private notesByMarker: Map<string, number[]> | undefined;

  /** The view of a subject, made once and shared by the checks that read it (what it works out depends on the subject alone). */
  static of(subject: TableSubject): TableView {
    let view = views.get(subject);
    if (!view) {
      view = new TableView(subject);
      views.set(subject, view);
    }
    return view;
  }

  constructor(readonly subject: TableSubject) {
    this.table = subject.table;
    let stride = this.table.columns.length;
    for (const cell of subject.cells) stride = Math.max(stride, cell.column_index + 1);
    for (const status of subject.statuses ?? []) stride = Math.max(stride, status.column_index + 1);
    this.stride = stride;
    for (const cell of subject.cells) this.byPosition.set(cell.row_index * stride + cell.column_index, cell);
    for (const status of subject.statuses ?? []) this.shorthand.add(status.row_index * stride + status.column_index);
  }

  /**
   * Whether the table holds a status at this place instead of a number: shorthand ([c], [x], ..) or
   * text the reader could not read as a number ("12-15", "see note"). Either way a value exists but
   * is not given or could not be read, so a check that needs it is undecided, never failed.
   */
  withheld(row: number, column: number): boolean {
    return column >= 0 && column < this.stride && row >= 0 && this.shorthand.has(row * this.stride + column);
  }

  cell(row: number, column: number): Cell | undefined {
    if (column < 0 || column >= this.stride || row < 0) return undefined;
    return this.byPosition.get(row * this.stride + column);
  }

  /** Cells of a column, row by row, where the column has a value. */
  columnCells(column: number): ReadonlyArray<{ row: TableRow; cell: Cell }> {
    let cells = this.cellsOfColumn.get(column);
    if (!cells) {
      cells = this.table.rows.flatMap((row) => {
        const cell = this.cell(row.index, column);
        return cell ? [{ row, cell }] : [];
      });
      this.cellsOfColumn.set(column, cells);
    }
    return cells;
  }

  /** The figure at this place if it is of a unit that adds up (a count, FTE, money), else null. */
  additiveFigure(row: TableRow, column: number): Figure | null {
    const cell = this.cell(row.index, column);
    return cell && ADDITIVE_UNITS.has(cell.figure.unit) ? cell.figure : null;
  }

  /** The unit of a column: its declared unit, else the unit every one of its cells shares. */
  columnUnit(column: number): Figure['unit'] | null {
    const declared = this.table.columns[column]?.unit ?? null;
    if (declared) return declared;
    if (!this.unitOfColumn.has(column)) {
      const units = new Set(this.columnCells(column).filter(({ row }) => row.role !== 'statistic').map(({ cell }) => cell.figure.unit));
      this.unitOfColumn.set(column, units.size === 1 ? [...units][0]! : null);
    }
    return this.unitOfColumn.get(column)!;
  }

  /** The count column a percentage column belongs with: immediately left, same header but for the unit word. */
  pairedCountColumn(column: number): number | null {
    const left = this.table.columns[column - 1];
    const self = this.table.columns[column];
    if (!left || !self) return null;
    if (this.columnUnit(column - 1) !== 'count') return null;
    return sameHeading(left, self) ? column - 1 : null;
  }

  /** The base n of a column (or of its paired count column). */
  baseOf(column: number): Figure | null {
    const own = this.table.columns[column]?.base ?? null;
    if (own) return own;
    const pair = this.pairedCountColumn(column);
    return pair === null ? null : (this.table.columns[pair]?.base ?? null);
  }

  /**
   * Groups of two or more percentage columns that are categories of one thing for the same
   * period ("High | Moderate | Standard" under 2020, or "1-2 | 3-5 | 6-9 | 10+"): each row across
   * them is a distribution. Columns that differ by period are not siblings.
   */
  siblingColumns(unit: Figure['unit']): number[][] {
    const groups = new Map<string, number[]>();
    for (const column of this.table.columns) {
      if (this.columnUnit(column.index) !== unit) continue;
      const path = heading(column);
      if (path.length === 0 || path.some((p) => isPeriodText(p) && p === path[path.length - 1])) continue;
      const key = JSON.stringify([column.period, path.length, path.slice(0, -1)]);
      const list = groups.get(key) ?? [];
      list.push(column.index);
      groups.set(key, list);
    }
    return [...groups.values()].filter((g) => g.length >= 2);
  }

  /** Rows that are categories of the table (not totals, statistics, headings, or children). */
  componentRows(): readonly TableRow[] {
    if (!this.components) {
      const parents = new Set(this.table.rows.map((r) => r.parent_index).filter((p) => p !== null));
      this.components = this.table.rows.filter(
        (r) => r.depth === 0 && (r.role === 'category' || (r.role === 'subtotal' && parents.has(r.index))),
      );
    }
    return this.components;
  }

  /**
   * Whether sibling columns hold one distribution per row ("High | Moderate | …" across) or one per
   * column ("Mental health | Drugs | Alcohol", each down its Yes/No/Don't know rows). Headers do not
   * say, so the data does: the reading under which most groups close (sum to 100%, or to n) wins; if
   * neither closes for at least half its groups, the columns are not a distribution either way (null).
   */
  orientation(columns: number[], closesAcross: (row: TableRow) => boolean | null, closesDown: (column: number) => Array<boolean>): 'rows' | 'columns' | null {
    const across = this.table.rows.map((r) => closesAcross(r)).filter((x): x is boolean => x !== null);
    const down = columns.flatMap((c) => closesDown(c));
    const share = (xs: boolean[]) => (xs.length === 0 ? 0 : xs.filter(Boolean).length / xs.length);
    const a = share(across);
    const d = share(down);
    if (Math.max(a, d) < 0.5) return null;
    return a > d ? 'rows' : 'columns';
  }

  /**
   * Runs of category rows with a figure of `unit` in the column. A row with a figure of another
   * unit (a count among percentages) or with no figure ends a run; a subtotal with the same unit is
   * passed over (it overlaps the categories it sums) without ending the run.
   */
  runsDown(column: number, unit: Figure['unit']): Array<Array<{ row: TableRow; cell: Cell }>> {
    const runs: Array<Array<{ row: TableRow; cell: Cell }>> = [];
    let current: Array<{ row: TableRow; cell: Cell }> = [];
    const components = this.componentIndexes();
    const close = () => {
      if (current.length > 0) runs.push(current);
      current = [];
    };
    for (const row of this.downRows()) {
      const cell = this.cell(row.index, column);
      if (!cell || cell.figure.unit !== unit) {
        close();
        continue;
      }
      if (components.has(row.index)) current.push({ row, cell });
      else if (row.role === 'total') close();
    }
    close();
    return runs;
  }

  /** The rows runsDown reads: not statistics, headings or children. */
  private downRows(): readonly TableRow[] {
    return (this.rowsDown ??= this.table.rows.filter((r) => r.role !== 'statistic' && r.role !== 'heading' && r.depth === 0));
  }

  private componentIndexes(): ReadonlySet<number> {
    return (this.componentIndexSet ??= new Set(this.componentRows().map((r) => r.index)));
  }

  /**
   * Whether the row that ended a run of runsDown, above it or below it, is a category row holding a
   * status in the column instead of a figure (withheld): the run is then a distribution with a part
   * withheld or unreadable, cut in two, and its sum says nothing about the whole.
   */
  besideWithheld(run: ReadonlyArray<{ row: TableRow; cell: Cell }>, column: number): boolean {
    if (run.length === 0) return false;
    const rows = this.downRows();
    const at = (this.positionDown ??= new Map(rows.map((r, i) => [r.index, i])));
    const components = this.componentIndexes();
    const unit = run[0]!.cell.figure.unit;
    // rows runsDown passes over inside a run: subtotals with a figure of the unit
    const passedOver = (row: TableRow) => !components.has(row.index) && row.role !== 'total' && this.cell(row.index, column)?.figure.unit === unit;
    for (const [from, step] of [[run[0]!.row, -1], [run[run.length - 1]!.row, 1]] as const) {
      let i = at.get(from.index)! + step;
      while (rows[i] && passedOver(rows[i]!)) i += step;
      const closer = rows[i];
      if (closer && components.has(closer.index) && this.withheld(closer.index, column)) return true;
    }
    return false;
  }

  /**
   * Subtotals the layout does not mark (a country above its regions, a region above its forces):
   * a row is read as the subtotal of the rows, or subtotals, directly below it when it equals their
   * sum in most of the additive columns where it has a figure (and in at least two). Found from the
   * bottom up, so a region is found before the country made of regions. Columns where the row does
   * not equal the sum are then what a check reports; a chance match in one column never makes a span.
   */
  implicitSubtotals(): Array<{ row: TableRow; parts: TableRow[] }> {
    const rows = this.table.rows.filter((r) => r.depth === 0 && r.role !== 'statistic' && r.role !== 'heading');
    const columns = this.table.columns.map((c) => c.index).filter((c) => {
      const units = this.columnCells(c).map(({ cell }) => cell.figure.unit);
      return units.length > 0 && units.filter((u) => ADDITIVE_UNITS.has(u)).length > units.length / 2;
    });
    if (columns.length === 0 || rows.length < 3) return [];
    const value = (row: TableRow, c: number) => this.additiveFigure(row, c)?.value ?? null;
    const end = new Map<number, number>(); // position of a subtotal -> position of the last row it covers
    const found: Array<{ row: TableRow; parts: TableRow[] }> = [];
    for (let i = rows.length - 3; i >= 0; i--) {
      const own = columns.filter((c) => (value(rows[i]!, c) ?? 0) !== 0);
      if (own.length < 2) continue;
      const sums = new Map(columns.map((c) => [c, 0]));
      const parts: TableRow[] = [];
      let at = i + 1;
      while (at < rows.length && parts.length < 80) {
        const item = rows[at]!;
        parts.push(item);
        for (const c of columns) sums.set(c, sums.get(c)! + (value(item, c) ?? 0));
        at = (end.get(at) ?? at) + 1;
        if (parts.length < 2) continue;
        if (item.role === 'total') break; // a labelled total closes the block: it is nobody's part
        const matching = own.filter((c) => Math.abs(sums.get(c)! - value(rows[i]!, c)!) < 1e-9);
        // a column where one part alone makes the sum (the others are 0) agrees trivially: no evidence
        const telling = matching.filter((c) => parts.filter((p) => (value(p, c) ?? 0) !== 0).length >= 2);
        if (matching.length >= 2 && matching.length > own.length * 0.6 && this.beyondChance(rows[i]!, telling, rows.length)) {
          found.push({ row: rows[i]!, parts: [...parts] });
          end.set(i, at - 1);
          break;
        }
        if (own.every((c) => sums.get(c)! > value(rows[i]!, c)! + 1e-9)) break; // past it in every column
      }
    }
    return found.reverse();
  }

  /**
   * Whether a row's equalling the sum of the rows below in these columns is more than chance. Two
   * figures of size v, shown to a unit u, agree by chance about once in v/u; the agreements of
   * separate columns multiply. Small figures rounded to 10 (postcode counts of 20, 40, 50) agree
   * by chance all the time, and 8,000 rows give chance many tries: an implicit subtotal is read
   * only where chance would give its agreements less than once in IMPLICIT_SUBTOTAL_ODDS tries
   * per row of the table.
   */
  private beyondChance(row: TableRow, columns: number[], rows: number): boolean {
    let odds = 0; // log10 of 1 / (the chance of agreeing in every one of these columns)
    for (const c of columns) {
      const unit = Math.max(1, 2 * this.countRounding(c));
      odds += Math.log10(Math.max(1, Math.abs(this.cell(row.index, c)!.figure.value) / unit));
    }
    return odds >= Math.log10(IMPLICIT_SUBTOTAL_ODDS * rows);
  }

  /**
   * How far a count shown in this column may be from the true count: 0 for exact counts; half a
   * unit when the table says its counts are estimates or in thousands or rounded; half of 5 or 10^k
   * when nearly every figure in the column (or, for a short column, in the table) is a multiple of
   * it (population "rounded to 100"); the unit a note states ("rounded to the nearest 10").
   */
  countRounding(column: number): number {
    let rounding = this.roundingOfColumn.get(column);
    if (rounding === undefined) {
      rounding = this.workOutRounding(column);
      this.roundingOfColumn.set(column, rounding);
    }
    return rounding;
  }

  private workOutRounding(column: number): number {
    const said = `${this.table.title} ${this.table.subtitle ?? ''} ${this.table.columns[column]?.header_path.join(' ') ?? ''}`;
    const values = this.columnCells(column).map(({ cell }) => cell.figure).filter((f) => f.unit === 'count' && f.value !== 0);
    // "Figures have been rounded to the nearest 10" (a note of the table): the largest such unit the
    // column's figures are all multiples of (a table may round totals to 10 and parts to 5)
    const stated = this.statedRoundingUnits().filter((unit) => values.length > 0 && values.every((f) => f.value % unit === 0));
    if (stated.length > 0) return Math.max(...stated) / 2;
    // too few figures in the column to tell: the table's counts as a whole (one rounding rule a table)
    const sample = values.length >= 5 ? values : this.tableCounts();
    for (const unit of [1000, 100, 10, 5]) {
      const multiples = (figures: Figure[]) => figures.filter((f) => f.value % unit === 0).length;
      if (sample.length >= 5 && multiples(sample) >= 0.9 * sample.length && multiples(values) >= 0.9 * values.length) return unit / 2;
    }
    return ROUNDED_UNIT.test(said) ? 0.5 : 0;
  }

  private counts: Figure[] | undefined;

  /** The table's non-zero counts, every column. */
  private tableCounts(): Figure[] {
    return (this.counts ??= this.table.columns.flatMap((c) => this.columnCells(c.index).map(({ cell }) => cell.figure)).filter((f) => f.unit === 'count' && f.value !== 0));
  }

  /** Units the table's title and notes say its figures are rounded to ("rounded to the nearest 10", "… nearest 5"). */
  private statedRoundingUnits(): number[] {
    return (this.statedUnits ??= this.findStatedRoundingUnits());
  }

  private statedUnits: number[] | undefined;

  private findStatedRoundingUnits(): number[] {
    const text = [this.table.title, this.table.subtitle ?? '', ...this.table.notes.map((n) => n.text)].join(' ');
    const units = new Set<number>();
    for (const m of text.matchAll(/rounded(?: up| down)?(?: independently)? to(?: the)? nearest (\d[\d,]*)/gi)) {
      const unit = Number(m[1]!.replace(/,/g, ''));
      if (unit > 1) units.add(unit);
    }
    return [...units];
  }

  totalRows(): readonly TableRow[] {
    return (this.totals ??= this.table.rows.filter((r) => r.role === 'total'));
  }

  /** The rows whose parent is `row`, in table order. */
  children(row: TableRow): readonly TableRow[] {
    if (!this.childrenOf) {
      this.childrenOf = new Map();
      for (const r of this.table.rows) {
        if (r.parent_index === null) continue;
        const list = this.childrenOf.get(r.parent_index);
        if (list) list.push(r);
        else this.childrenOf.set(r.parent_index, [r]);
      }
    }
    return this.childrenOf.get(row.index) ?? [];
  }

  /** Notes the row cites by footnote marker, in the order of the table's notes. */
  citedNotes(row: TableRow): string[] {
    if (!this.notesByMarker) {
      this.notesByMarker = new Map();
      this.table.notes.forEach((n, i) => {
        if (n.marker === null) return;
        const list = this.notesByMarker!.get(n.marker);
        if (list) list.push(i);
        else this.notesByMarker!.set(n.marker, [i]);
      });
    }
    const cited = new Set<number>();
    for (const marker of row.footnotes) for (const i of this.notesByMarker.get(marker) ?? []) cited.add(i);
    return [...cited].sort((a, b) => a - b).map((i) => this.table.notes[i]!.text);
  }

  evidence(row: TableRow, cell: Cell): EvidenceDraft {
    return {
      document: this.subject.document.document_id,
      locator: cell.locator,
      excerpt: `${this.table.title} — ${row.label_path.join(' › ')} × ${cell.column_path.join(' › ') || `column ${cell.column_index + 1}`}: ${cell.figure.raw}`,
      value: cell.figure,
    };
  }

  columnName(column: number): string {
    const c = this.table.columns[column];
    return c && c.header_path.length > 0 ? c.header_path.join(' › ') : `column ${column + 1}`;
  }
}

const views = new WeakMap<TableSubject, TableView>();

/** How unlikely by chance (once in this many tries, per row of the table) a row's agreement with the sum of the rows below must be to read it as their subtotal. */
export const IMPLICIT_SUBTOTAL_ODDS = 100;

/**
 * Words that say a table's figures are rounded: estimates, "rounded", or figures given in a unit of
 * many ("thousands", "(1,000s)", "'000", "£m", "£ millions", "£bn", "£000", "£k"), each shown to the
 * nearest whole unit of its kind.
 */
const ROUNDED_UNIT = /thousands?|millions?|billions?|\b1,000s\b|'000s?\b|\b000s\b|£\s?(m|bn|k|000s?)\b|\brounded\b|estimates?\b|estimated\b/i;

/** A column's header without its unit word ("2020 › Count" → "2020"). */
export function heading(column: TableColumn): string[] {
  return column.header_path.filter((p) => !UNIT_HEADER.test(p));
}

function sameHeading(a: TableColumn, b: TableColumn): boolean {
  const x = heading(a);
  const y = heading(b);
  return x.length === y.length && x.every((p, i) => p === y[i]);
}
