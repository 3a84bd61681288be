import { InputError, formatLocator } from '../../core/index.js';
import type { Note } from '../contracts.js';
import { extractLines, type TablesAndStatements } from '../text/index.js';
import { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits, type WorkbookRead } from './contracts.js';
import { cellAddress, lineLocator, sheetLines, type SheetLine } from './layout.js';
import { readWorkbook } from './read.js';

export { readWorkbook, inspectZip } from './read.js';
export { sheetLines, shownText } from './layout.js';
export { WorkbookLimits, DEFAULT_WORKBOOK_LIMITS, type WorkbookRead } from './contracts.js';

/**
 * A workbook release (.xlsx, .xls, .ods): its sheets read in a child process, laid out as lines
 * (extract/workbook/layout.ts) and read by the same table reader as text and PDF releases, with
 * `Sheet!A1` locators for every cell. Notes on a "Notes" sheet are linked to the tables citing
 * them; hidden sheets and rows are noted on the tables they touch.
 */
export async function extractWorkbook(bytes: Uint8Array, file: string, documentId: string, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): Promise<TablesAndStatements> {
  const workbook = await readWorkbook(bytes, file, limits);
  refuseUncachedFormulas(workbook, file);
  const lines: SheetLine[] = [];
  for (const sheet of workbook.sheets) {
    const own = sheetLines(sheet);
    if (own.length === 0) continue;
    if (lines.length > 0) lines.push({ text: '', sheet: sheet.name, row: own[0]!.row, col: own[0]!.col });
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
  return read;
}

/** A formula with no stored result cannot be read without recalculating: refused, naming the cell. */
function refuseUncachedFormulas(workbook: WorkbookRead, file: string): void {
  for (const sheet of workbook.sheets) {
    const cell = sheet.cells.find((c) => c.f !== null && (c.t === 'z' || c.v === null || c.v === ''));
    if (cell) {
      throw new InputError(`has a formula with no stored value at ${sheet.name}!${cellAddress(cell.r, cell.c)} (=${cell.f})`, {
        code: 'input-invalid',
        stage: 'extract',
        document: file,
        locator: { kind: 'cell', document: file, sheet: sheet.name, cell: cellAddress(cell.r, cell.c) },
        hint: 'open the file in a spreadsheet program and save it, so the calculated values are stored',
      });
    }
  }
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
