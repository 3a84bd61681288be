import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { documentId } from '../manifest.js';
import { DEFAULT_WORKBOOK_LIMITS } from './contracts.js';
import { extractWorkbook } from './index.js';

/**
 * Bad workbooks give a clear error naming the file (and the place, where there is one) and cost
 * nothing else. Fixtures: test/fixtures/workbooks/ (see its README for how each was made).
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

  it('refuses formulas without stored values, naming the cell', async () => {
    const error = await failure('formulas-no-cache.xlsx');
    expect(error.message).toMatch(/formula with no stored value at \S+!B4/);
    expect(error.locator).toMatchObject({ kind: 'cell', cell: 'B4' });
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
