import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { parseNumberText } from '../../core/index.js';
import { extractDocument, readCorpus, type Extraction } from '../index.js';

/**
 * Real workbooks nobody here made (ONS old style, ONS accessible style, Home Office .ods): every
 * numeric cell of a data row is read, labelled and located. The reference count is made here,
 * independently, straight from SheetJS: a data row is one whose first filled cell is text and
 * which has figures to its right.
 */
const REAL = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real');

async function extract(file: string): Promise<Extraction> {
  const dir = await mkdtemp(join(tmpdir(), 'davs-wb-'));
  await copyFile(join(REAL, file), join(dir, file));
  const { documents } = await readCorpus(dir);
  return extractDocument(documents[0]!.record, documents[0]!.bytes);
}

async function independentNumericCells(file: string): Promise<{ dataRows: Map<string, number>; anywhere: Map<string, number> }> {
  const wb = XLSX.read(await readFile(join(REAL, file)), { dense: true });
  const out = new Map<string, number>();
  const anywhere = new Map<string, number>();
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    const rows: Array<Array<XLSX.CellObject | undefined> | undefined> = ws['!data'] ?? [];
    rows.forEach((row, r) => {
      if (!row) return;
      const filled = row.map((cell, c) => ({ cell, c })).filter(({ cell }) => cell && cell.v !== undefined && String(cell.v).trim() !== '');
      for (const { cell, c } of filled) {
        const value = cell!.t === 'n' ? Number(cell!.v) : parseNumberText(String(cell!.v))?.value;
        if (value !== undefined && Number.isFinite(value)) anywhere.set(`${name}!${XLSX.utils.encode_cell({ r, c })}`, value);
      }
      const isText = (cell: XLSX.CellObject) => cell.t === 's' && parseNumberText(String(cell.v)) === null;
      const label = filled.findIndex(({ cell }) => isText(cell!));
      if (label < 0) return;
      // figures to the right of the row's first text cell (codes to its left are identifiers);
      // a row whose figures are all years is a header ("Area Code | Area Name | 2002 | 2003 …")
      const figures = filled.slice(label + 1).flatMap(({ cell, c }) => {
        const value = cell!.t === 'n' ? Number(cell!.v) : parseNumberText(String(cell!.v))?.value;
        return value !== undefined && Number.isFinite(value) ? [{ c, value }] : [];
      });
      if (figures.every(({ value }) => Number.isInteger(value) && value >= 1900 && value <= 2099)) return;
      for (const { c, value } of figures) out.set(`${name}!${XLSX.utils.encode_cell({ r, c })}`, value);
    });
  }
  return { dataRows: out, anywhere };
}

describe.each([
  ['ons-pfa-tables-ye-mar2018.xlsx', 1],
  ['ons-crime-appendix-ye-sep2022.xlsx', 1],
  ['ho-taser-use-2016.ods', 1],
])('real workbook %s', (file, minimumShare) => {
  it('reads the numeric cells of its data rows, each at its own address with its value', async () => {
    const x = await extract(file);
    const { dataRows: reference, anywhere } = await independentNumericCells(file);
    const extracted = new Map(x.cells.map((c) => [c.locator.kind === 'cell' ? `${c.locator.sheet}!${c.locator.cell}` : '', c]));
    // every extracted cell sits where the file has that figure (percent formats show 0.12 as 12%)
    for (const [address, cell] of extracted) {
      const value = anywhere.get(address);
      expect(value, address).toBeDefined();
      const shown = cell.figure.unit === 'percent' && Math.abs(value! * 100 - cell.figure.value) < Math.abs(value! - cell.figure.value) ? value! * 100 : value!;
      expect(Math.abs(shown - cell.figure.value), `${address}: ${cell.figure.raw} vs ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -cell.figure.decimals + 1e-9);
    }
    const found = [...reference.keys()].filter((a) => extracted.has(a)).length;
    expect(found / reference.size).toBeGreaterThanOrEqual(minimumShare);
    expect(x.cells.every((c) => c.row_path.length > 0 && c.row_path.every((l) => l !== ''))).toBe(true);
  }, 60_000);
});
