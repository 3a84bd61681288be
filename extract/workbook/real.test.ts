import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCoverage, measureCoverage, newlyUnread, readCoverageReference, WORKBOOK, type CoverageReference } from '../../test/real-coverage.js';
import { extractDocument, readCorpus } from '../index.js';

/**
 * Real workbooks nobody here made (test/fixtures/real: ONS old and accessible styles, SDG working
 * workbooks, Home Office and Cabinet Office .ods, a BIFF .xls, MHCLG and Scottish Government
 * accounts): at least 98% of each one's numeric data cells are read, each at its own address with
 * its value, against a count made independently, straight from SheetJS (test/real-coverage.ts).
 * Every number not read is listed with its reason in test/reference/real-coverage.json; a number
 * not read that is not listed there fails. After a deliberate change: `npx tsx test/real-coverage.ts`.
 */
const REAL = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real');
const FILES = readdirSync(REAL).filter((f) => WORKBOOK.test(f)).sort();
const MIN_COVERAGE = 0.98;
/** Files where some cells are read without a row label, and why; take a file off once it reads them all with one. */
const UNLABELLED = new Map([
  ['dfe-children-looked-after-outcomes-main-tables-mar2015.xlsx', 'a block\'s row of years (2011 … 2015) that follows the block above without a blank row is read as a data row with no label (420 cells: SFR Tables 2a and 3a)'],
  ['mhclg-revenue-outturn-ro2-highways-transport-2018-19.xlsx', 'the row numbering the columns (1 … 7) under the drop-down sheet\'s headers is read as a data row'],
  ['ons-sdg-16-1-1-homicide-rates-workbook-2019.xlsx', 'tables set side by side one blank column apart are read as one: the right one\'s rows have no label at the left'],
  ['ons-sdg-16-1-3-violence-sexual-assault-csew-workbook-2020.xlsx', 'Indicator!X54:X55 are figures with no label beside them'],
  ['ons-sdg-5-2-1-partner-abuse-indicator-workbook-2019.xlsx', 'tables set side by side one blank column apart are read as one: the right one\'s rows have no label at the left'],
  ['scotgov-local-government-finance-annex-a-2017-18.xlsx', 'TACTRAN!B22:D22 are figures with no label in the sheet'],
]);

let reference: CoverageReference;
beforeAll(() => {
  reference = readCoverageReference();
});

describe('real workbooks: cell coverage against an independent count', () => {
  it('has a reference for every real workbook', () => {
    expect(reference.files.map((f) => f.file)).toEqual(FILES);
  });

  it.each(FILES)('%s', async (file) => {
    const [document] = (await readCorpus(REAL)).documents.filter((d) => d.record.file === file);
    const x = await extractDocument(document!.record, document!.bytes);
    const coverage = measureCoverage(file, document!.bytes, x);
    console.log(describeCoverage(coverage));
    expect(coverage.misread, 'cells read where the workbook has no such number').toEqual([]);
    expect(coverage.data, describeCoverage(coverage)).toBeGreaterThanOrEqual(MIN_COVERAGE);
    const fresh = newlyUnread(coverage, reference.files.find((f) => f.file === file));
    expect(fresh, `numbers no longer read (not in test/reference/real-coverage.json):\n${fresh.join('\n')}`).toEqual([]);
    if (!UNLABELLED.has(file)) expect(x.cells.every((c) => c.row_path.length > 0 && c.row_path.every((l) => l !== '')), 'every cell has a row label').toBe(true);
  }, 120_000);
});
