import { formatLocator, type Locator } from '../../core/index.js';
import type { CellStatus, Note } from '../contracts.js';
import { extractLines, type TablesAndStatements } from '../text/index.js';
import { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits, type WorkbookRead } from './contracts.js';
import { cellAddress, isUncachedFormula, lineLocator, sheetLines, type SheetLine } from './layout.js';
import { readWorkbook } from './read.js';

export { readWorkbook, inspectZip } from './read.js';
export { sheetLines, shownText } from './layout.js';
export { WorkbookLimits, DEFAULT_WORKBOOK_LIMITS, type WorkbookRead } from './contracts.js';

/**
 * A workbook release (.xlsx, .xls, .ods): its sheets read in a child process, laid out as lines
 * (extract/workbook/layout.ts) and read by the same table reader as text and PDF releases, with
 * `Sheet!A1` locators for every cell. Notes on a "Notes" sheet are linked to the tables citing
 * them; hidden sheets and rows are noted on the tables they touch. A formula with no stored value
 * costs only its own cell: a status where it holds a table's value (noted on the table), nothing
 * elsewhere. A figure shown with a currency sign is read as money.
 */
export async function extractWorkbook(bytes: Uint8Array, file: string, documentId: string, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): Promise<TablesAndStatements> {
  const workbook = await readWorkbook(bytes, file, limits);
  const lines: SheetLine[] = [];
  for (const sheet of workbook.sheets) {
    const own = sheetLines(sheet);
    if (own.length === 0) continue;
    // three blank lines between sheets: the table reader looks no further up for a table's caption
    if (lines.length > 0) for (let k = 0; k < 3; k++) lines.push({ text: '', sheet: sheet.name, row: own[0]!.row, col: own[0]!.col });
    for (const line of own) lines.push(line); // not push(...own): a big sheet overflows the call stack
  }
  const read = extractLines(
    lines.map((l) => l.text),
    documentId,
    (i) => lineLocator(file, lines[i]!),
    (i, column) => lineLocator(file, lines[i]!, column),
  );
  const sheetNotes = notesSheet(workbook, file);
  for (const table of read.tables) {
    const sheetName = table.locator.kind === 'cell' ? table.locator.sheet : null;
    const sheet = workbook.sheets.find((s) => s.name === sheetName);
    if (!sheet) continue;
    const extra: Note[] = [];
    if (sheet.hidden) extra.push({ marker: 'hidden', text: `The sheet "${sheet.name}" is hidden in the workbook.`, locator: table.locator });
    const hiddenRows = new Set(sheet.hiddenRows);
    for (const row of table.rows) {
      if (row.locator.kind === 'cell' && hiddenRows.has(Number(/\d+$/.exec(row.locator.cell)![0]) - 1)) {
        extra.push({ marker: 'hidden', text: `Row "${row.label}" (${formatLocator(row.locator)}) is hidden in the workbook.`, locator: row.locator });
      }
    }
    const cited = new Set([...table.rows.flatMap((r) => r.footnotes), ...table.columns.flatMap((c) => c.footnotes)]);
    for (const note of sheetNotes) if (note.marker !== null && cited.has(note.marker) && !table.notes.some((n) => n.marker === note.marker)) extra.push(note);
    for (const note of extra) table.notes.push(note);
  }
  keepUncachedFormulas(read, workbook);
  readCurrencyAsMoney(read, workbook);
  return read;
}

const UNCACHED_MEANING = 'formula without a stored value: not calculated by the program that wrote the file';

/** `Sheet!A1` of a cell locator, the key cells are matched on. */
function addressOf(locator: Locator): string | null {
  return locator.kind === 'cell' ? `${locator.sheet}!${locator.cell}` : null;
}

/**
 * Formulas the file stores no value for stand in their rows as shorthand (extract/workbook/layout.ts):
 * each such status becomes the formula, and its table gets a note naming them, for the steward.
 */
function keepUncachedFormulas(read: TablesAndStatements, workbook: WorkbookRead): void {
  const formulas = new Map<string, string>();
  for (const sheet of workbook.sheets) for (const c of sheet.cells) if (isUncachedFormula(c)) formulas.set(`${sheet.name}!${cellAddress(c.r, c.c)}`, `=${c.f}`);
  if (formulas.size === 0) return;
  const byTable = new Map<string, CellStatus[]>();
  for (const status of read.statuses) {
    const formula = formulas.get(addressOf(status.locator) ?? '');
    if (formula === undefined) continue;
    status.raw = formula;
    status.meaning = UNCACHED_MEANING;
    if (!byTable.has(status.table_id)) byTable.set(status.table_id, []);
    byTable.get(status.table_id)!.push(status);
  }
  for (const table of read.tables) {
    const kept = byTable.get(table.table_id);
    if (!kept) continue;
    const named = kept.slice(0, 10).map((s) => `${formatLocator(s.locator)} (${s.raw})`);
    const more = kept.length > 10 ? `, and ${kept.length - 10} more` : '';
    table.notes.push({ marker: null, text: `${kept.length} ${kept.length === 1 ? 'cell holds a formula' : 'cells hold formulas'} without a stored value (not calculated by the program that wrote the file), kept as statuses: ${named.join(', ')}${more}.`, locator: kept[0]!.locator });
  }
}

/** A figure shown with a currency sign ("£29,242") is money; so is a column whose figures all are. */
function readCurrencyAsMoney(read: TablesAndStatements, workbook: WorkbookRead): void {
  const money = new Set<string>();
  for (const sheet of workbook.sheets) for (const c of sheet.cells) if (c.t === 'n' && /[£$€¥]/.test(c.w ?? '')) money.add(`${sheet.name}!${cellAddress(c.r, c.c)}`);
  if (money.size === 0) return;
  const notMoney = new Set<string>();
  for (const cell of read.cells) {
    if (money.has(addressOf(cell.locator) ?? '') && cell.figure.unit !== 'percent') cell.figure.unit = 'currency';
    else notMoney.add(`${cell.table_id}:${cell.column_index}`);
  }
  const shown = new Set(read.cells.filter((c) => c.figure.unit === 'currency').map((c) => `${c.table_id}:${c.column_index}`));
  for (const table of read.tables) for (const column of table.columns) if (shown.has(`${table.table_id}:${column.index}`) && !notMoney.has(`${table.table_id}:${column.index}`)) column.unit = 'currency';
}

/** "[note 1] | Data from …" rows of a sheet named Notes. */
function notesSheet(workbook: WorkbookRead, file: string): Note[] {
  const sheet = workbook.sheets.find((s) => /^notes?$/i.test(s.name.trim()));
  if (!sheet) return [];
  const byRow = new Map<number, Map<number, string>>();
  for (const c of sheet.cells) {
    if (!byRow.has(c.r)) byRow.set(c.r, new Map());
    byRow.get(c.r)!.set(c.c, String(c.w ?? c.v ?? '').trim());
  }
  const notes: Note[] = [];
  for (const [r, row] of [...byRow.entries()].sort((a, b) => a[0] - b[0])) {
    const first = [...row.entries()].sort((a, b) => a[0] - b[0]);
    const m = /^\[?note\s*(\d+)\]?$/i.exec(first[0]?.[1] ?? '');
    const text = first.slice(1).map(([, t]) => t).join(' ').trim();
    if (m && text) notes.push({ marker: m[1]!, text, locator: { kind: 'cell', document: file, sheet: sheet.name, cell: cellAddress(r, first[0]![0]) } });
  }
  return notes;
}
