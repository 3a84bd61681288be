/**
 * Reconstructed appendix workbooks of the ONS article "Domestic abuse victim services, England and
 * Wales: November 2020", built from the figures the article states (see layout.ts for every figure
 * and its article line).
 *
 *   npm run build:workbooks   writes raw/ons-dav-2020-11-appendix.xlsx (old style, before 2021) and
 *                             raw/ons-dav-2020-11-appendix-accessible.xlsx (accessible, from 2021)
 *
 * The output is byte-for-byte reproducible: SheetJS writes zip entries with a zero DOS time (it sets
 * no modification time on the entries it adds), compresses with its own pure-JS deflate (the ESM
 * build never switches to native zlib), and takes the document dates from the workbook's Props,
 * which are fixed here. A fresh workbook object is made for every build, because XLSX.write adds to
 * wb.Props (SheetNames) as it writes.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as XLSX from 'xlsx';
import { FIXED_DATE_ISO, accessibleWorkbook, oldStyleWorkbook, type CellSpec, type SheetSpec, type WorkbookSpec } from './layout.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

export const OLD_STYLE_FILE = 'raw/ons-dav-2020-11-appendix.xlsx';
export const ACCESSIBLE_FILE = 'raw/ons-dav-2020-11-appendix-accessible.xlsx';

/** Shared strings as Excel writes them (without bookSST SheetJS writes inline t="str" cells). */
const WRITE_OPTIONS: XLSX.WritingOptions = { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: true, cellStyles: true };

function cellObject(spec: CellSpec): XLSX.CellObject {
  switch (spec.kind) {
    case 'text': {
      const cell: XLSX.CellObject = { t: 's', v: spec.text };
      if (spec.link) cell.l = { Target: spec.link };
      return cell;
    }
    case 'shorthand':
      return { t: 's', v: spec.text };
    case 'numberAsText':
      return { t: 's', v: spec.text };
    case 'number':
      return { t: 'n', v: spec.figure.value, z: spec.format };
    case 'derived':
      return { t: 'n', v: spec.value, z: spec.format };
    case 'formula':
      // the cached value is written with the formula, so readers need not recalculate
      return { t: 'n', v: spec.value, f: spec.formula, z: spec.format };
  }
}

function worksheet(spec: SheetSpec): XLSX.WorkSheet {
  const ws: XLSX.WorkSheet = {};
  let maxR = 0;
  let maxC = 0;
  spec.rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (cell === null) return;
      ws[XLSX.utils.encode_cell({ r, c })] = cellObject(cell);
      maxR = Math.max(maxR, r);
      maxC = Math.max(maxC, c);
    });
  });
  for (const m of spec.merges) {
    maxR = Math.max(maxR, m.e.r);
    maxC = Math.max(maxC, m.e.c);
  }
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: maxR, c: maxC } });
  if (spec.merges.length > 0) ws['!merges'] = spec.merges.map((m) => ({ s: { ...m.s }, e: { ...m.e } }));
  if (spec.hiddenRows.length > 0) {
    const rows: XLSX.RowInfo[] = [];
    for (const r of spec.hiddenRows) rows[r] = { hidden: true };
    ws['!rows'] = rows;
  }
  ws['!cols'] = spec.colWidths.map((wch) => ({ wch }));
  return ws;
}

/** The SheetJS workbook for a spec: sheets, visibility and fixed document properties. */
export function toWorkbook(spec: WorkbookSpec): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  for (const sheet of spec.sheets) XLSX.utils.book_append_sheet(wb, worksheet(sheet), sheet.name);
  wb.Workbook = { Sheets: spec.sheets.map((s) => ({ name: s.name, Hidden: s.hidden ? 1 : 0 })) };
  const fixed = new Date(FIXED_DATE_ISO);
  wb.Props = {
    Title: spec.title,
    Subject: spec.subject,
    Author: 'davs (reconstruction from the ONS article)',
    LastAuthor: 'davs',
    Company: 'Office for National Statistics (figures); davs (reconstruction)',
    CreatedDate: fixed,
    ModifiedDate: fixed,
  };
  return wb;
}

function write(spec: WorkbookSpec): Uint8Array {
  const out: unknown = XLSX.write(toWorkbook(spec), WRITE_OPTIONS);
  if (!(out instanceof Uint8Array)) throw new Error('SheetJS did not return a buffer');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** raw/ons-dav-2020-11-appendix.xlsx: the old-style (pre-2021) edition. */
export function buildOldStyle(): Uint8Array {
  return write(oldStyleWorkbook());
}

/** raw/ons-dav-2020-11-appendix-accessible.xlsx: the accessible (2021 standard) edition. */
export function buildAccessible(): Uint8Array {
  return write(accessibleWorkbook());
}

function main(): void {
  for (const [file, bytes] of [
    [OLD_STYLE_FILE, buildOldStyle()],
    [ACCESSIBLE_FILE, buildAccessible()],
  ] as const) {
    writeFileSync(resolve(repoRoot, file), bytes);
    console.log(`wrote ${file} (${bytes.byteLength} bytes)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
