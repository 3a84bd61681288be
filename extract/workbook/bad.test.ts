import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { documentId } from '../manifest.js';
import { DEFAULT_WORKBOOK_LIMITS } from './contracts.js';
import { extractWorkbook } from './index.js';

/**
 * Bad workbooks give a clear error naming the file (and the place, where there is one) and cost
 * nothing else; a formula without a stored value costs only its own cell. Fixtures: test/fixtures/workbooks/ (see its README for how each was made).
 */
const DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'workbooks');

async function failure(file: string, limits = DEFAULT_WORKBOOK_LIMITS): Promise<InputError> {
  const bytes = new Uint8Array(readFileSync(join(DIR, file)));
  const error = await extractWorkbook(bytes, file, documentId(file, '0'.repeat(64)), limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, file).toBeInstanceOf(InputError);
  expect((error as Error).message).toContain(file);
  return error as InputError;
}

describe('bad workbooks', () => {
  it('refuses a file that is not a spreadsheet', async () => {
    expect((await failure('not-a-zip.xlsx')).message).toMatch(/not a spreadsheet/);
  });

  it('refuses a truncated workbook', async () => {
    expect((await failure('truncated.xlsx')).message).toMatch(/zip|truncated|damaged/i);
  });

  it('refuses a password-protected workbook', async () => {
    expect((await failure('password-protected.xlsx')).message).toMatch(/password|encrypt/i);
  });

  it('refuses a zip bomb before inflating it', async () => {
    const error = await failure('zip-bomb.xlsx');
    expect(error.message).toMatch(/zip bomb/);
  });

  it('refuses a sheet of a million rows', async () => {
    expect((await failure('million-rows.xlsx')).message).toMatch(/more than 200000 rows/);
  }, 120_000);

  it('reads a workbook with a formula that has no stored value: that cell is a status naming the formula, the rest is read', async () => {
    const file = 'formulas-no-cache.xlsx';
    const x = await extractWorkbook(new Uint8Array(readFileSync(join(DIR, file))), file, documentId(file, '0'.repeat(64)));
    expect(x.cells.map((c) => [c.row_path.join(' › '), c.figure.raw, c.locator.kind === 'cell' ? c.locator.cell : ''])).toEqual([
      ['North East', '12', 'B1'],
      ['London', '40', 'B2'],
      ['Wales', '9', 'B3'],
    ]);
    expect(x.statuses).toEqual([
      expect.objectContaining({
        row_path: ['Total'],
        raw: '=SUM(B1:B3)',
        meaning: 'formula without a stored value: not calculated by the program that wrote the file',
        locator: { kind: 'cell', document: file, sheet: 'Table_1', cell: 'B4' },
      }),
    ]);
    expect(x.tables[0]!.notes).toEqual([expect.objectContaining({ marker: null, text: expect.stringMatching(/formula without a stored value .*Table_1!B4 \(=SUM\(B1:B3\)\)/) })]);
  });

  it('ignores a formula without a stored value outside any table, and never reads it as a number', async () => {
    const ws = XLSX.utils.aoa_to_sheet([['Table 1: Referrals'], [], ['Region', 'Referrals'], ['North East', 12], ['London', 40], [], ['Source: made up']]);
    ws['A9'] = { t: 'n', f: 'B4+B5' }; // a lone formula below the notes, uncached
    ws['C4'] = { t: 'n', f: 'B4*2' }; // a formula beside a row, uncached
    ws['!ref'] = 'A1:C9';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Table_1');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const x = await extractWorkbook(bytes, 'lone.xlsx', 'lone-000000000000');
    expect(x.cells.map((c) => c.figure.value)).toEqual([12, 40]);
    expect(x.statuses.map((s) => [s.raw, s.locator.kind === 'cell' ? s.locator.cell : ''])).toEqual([['=B4*2', 'C4']]);
    expect(x.tables[0]!.notes.map((n) => n.text).join(' ')).not.toMatch(/A9/);
  });

  it('applies the limits it is given (cells, bytes, inflated size, rows)', async () => {
    const real = join(DIR, '..', 'real', 'ho-taser-use-2016.ods');
    const bytes = new Uint8Array(readFileSync(real));
    const refuse = async (limits: typeof DEFAULT_WORKBOOK_LIMITS) => (await extractWorkbook(bytes, 'taser.ods', 'taser-000000000000', limits).catch((e: unknown) => e)) as Error;
    expect((await refuse({ ...DEFAULT_WORKBOOK_LIMITS, maxCells: 5 })).message).toMatch(/taser\.ods.*more than 5 non-empty cells/);
    expect((await refuse({ ...DEFAULT_WORKBOOK_LIMITS, maxBytes: 1000 })).message).toMatch(/over the 1000-byte limit/);
    expect((await refuse({ ...DEFAULT_WORKBOOK_LIMITS, maxInflatedBytes: 10_000 })).message).toMatch(/zip bomb/);
    expect((await refuse({ ...DEFAULT_WORKBOOK_LIMITS, maxRows: 10 })).message).toMatch(/more than 10 rows/);
  });
});
