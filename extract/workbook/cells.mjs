// The cells of a workbook (xlsx, xls, ods) read with SheetJS: non-empty cells, merges and hidden
// rows/columns/sheets. Plain JavaScript, like extract/pdf/items.mjs, so start-up does not pay for a
// TypeScript loader. Run either in a child of its own (worker.mjs) or inside a pipeline worker
// (pipelines/worker-pool.ts). Output is validated against extract/workbook/contracts.ts by the caller.
import * as XLSX from 'xlsx';

/** A workbook over davs's limits (rows of a sheet, non-empty cells): refused, not a reader failure. */
export class WorkbookLimitError extends Error {
  name = 'WorkbookLimitError';
}

/**
 * The non-empty cells, merges and hidden rows, columns and sheets of a workbook.
 * Throws WorkbookLimitError when a sheet or the workbook is over the limits.
 * @param {Uint8Array} data
 * @param {{ maxRows: number, maxCells: number }} limits
 */
export function workbookCells(data, limits) {
  // read() may change the options object: a fresh one each time (see shared/notes/libraries.md)
  const wb = XLSX.read(data, { type: 'buffer', dense: true, cellStyles: true, cellDates: true, UTC: true, cellFormula: true, cellNF: true, sheetStubs: true, sheetRows: limits.maxRows + 1 });
  const sheets = [];
  let total = 0;
  wb.SheetNames.forEach((name, i) => {
    const ws = wb.Sheets[name];
    const hidden = Boolean(wb.Workbook?.Sheets?.[i]?.Hidden);
    const cells = [];
    const ref = ws['!ref'];
    if (ref) {
      const range = XLSX.utils.decode_range(ref);
      if (range.e.r + 1 > limits.maxRows) throw new WorkbookLimitError(`sheet "${name}" has more than ${limits.maxRows} rows`);
      const rows = ws['!data'] ?? [];
      for (let r = range.s.r; r <= range.e.r; r++) {
        const row = rows[r];
        if (!row) continue;
        for (let c = range.s.c; c <= range.e.c; c++) {
          const cell = row[c];
          if (!cell || (cell.v === undefined && cell.f === undefined) || (cell.t === 'z' && cell.f === undefined)) continue;
          if (++total > limits.maxCells) throw new WorkbookLimitError(`more than ${limits.maxCells} non-empty cells`);
          let v = cell.v ?? null;
          if (v instanceof Date) v = v.toISOString();
          cells.push({ r, c, t: cell.t ?? 'z', v, w: shown(cell), f: cell.f ?? null });
        }
      }
    }
    const hiddenRows = (ws['!rows'] ?? []).flatMap((row, r) => (row?.hidden ? [r] : []));
    const hiddenColumns = (ws['!cols'] ?? []).flatMap((col, c) => (col?.hidden ? [c] : []));
    const merges = (ws['!merges'] ?? []).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } }));
    sheets.push({ name, hidden, cells, merges, hiddenRows, hiddenColumns });
  });
  return { sheets };
}

/**
 * The cell's formatted text. A format's locale tag ("[$-10409]#,##0.0", "[$-809]…") names a
 * language, not a currency, but the formatter prints its "$": dropped, so 66.4 is not read as dollars.
 */
function shown(cell) {
  const w = cell.w ?? null;
  if (w === null || typeof cell.z !== 'string' || !/\[\$-[0-9A-Fa-f]+\]/.test(cell.z) || /\[\$[^\]-]/.test(cell.z)) return w;
  return w.replace(/^(\s*-?\s*)\$/, '$1');
}

