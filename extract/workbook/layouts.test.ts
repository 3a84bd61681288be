import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import type { TablesAndStatements } from '../text/index.js';
import { extractWorkbook } from './index.js';
import { cellAddress } from './layout.js';

/**
 * Sheet layouts met in other publishers' workbooks, each made here with SheetJS: number formats
 * whose shown text is not a plain number, tables spaced by blank rows, a used range far beyond the
 * data, tables stacked on one sheet, headers hyphenated over two rows.
 */
type Row = Array<string | number | XLSX.CellObject | null>;

function workbook(sheets: Record<string, Row[]>, bookType: XLSX.BookType = 'xlsx'): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
}

const read = (bytes: Uint8Array, file = 'made.xlsx'): Promise<TablesAndStatements> => extractWorkbook(bytes, file, 'made-000000000000');
const at = (x: TablesAndStatements, cell: string) => x.cells.find((c) => c.locator.kind === 'cell' && c.locator.cell === cell);
const formatted = (v: number, z: string): XLSX.CellObject => ({ t: 'n', v, z });

describe('numbers whose format shows more than a number', () => {
  it('reads the stored value, to the decimals shown: accounting negatives, currency, a dash for zero, padding', async () => {
    const x = await read(
      workbook({
        Annex: [
          ['Annex A: Revenue expenditure and income, 2017-18'],
          ['£ thousands'],
          ['Service', 'Gross expenditure', 'Income', 'Net expenditure'],
          ['Education', formatted(183063, '#,##0_);(#,##0)'), formatted(-10349, '#,##0_);(#,##0)'), formatted(172714, '#,##0_);(#,##0)')],
          ['Libraries', formatted(4502.4, '"£"#,##0.0'), formatted(0, '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-'), formatted(4502.4, '"£"#,##0.0')],
          ['Parks', formatted(-52, '#,##0;(#,##0)'), formatted(-1234.56, '"£"#,##0.00;-"£"#,##0.00'), formatted(0.5, '# ?/?')],
        ],
      }),
    );
    expect(['B4', 'C4', 'B5', 'C5', 'B6', 'C6', 'D6'].map((a) => at(x, a)?.figure.raw)).toEqual(['183,063', '-10,349', '4,502.4', '0', '-52', '-1,234.56', '0.5']);
    expect(at(x, 'C4')!.figure).toMatchObject({ value: -10349, decimals: 0 });
    expect(at(x, 'B5')!.figure).toMatchObject({ value: 4502.4, decimals: 1, unit: 'currency' });
    expect(x.statuses).toEqual([]); // the dash is a zero, not "not available"
  });

  it('keeps what is shown when it reads as the stored value: a share as a percentage, a figure in thousands', async () => {
    const x = await read(workbook({ T: [['Region', 'Share', 'Spend (£m)'], ['North', formatted(0.994, '0.0%'), formatted(1234567, '#,##0,')], ['South', formatted(-0.02, '0%;(0%)'), formatted(15, '0"%"')]] }));
    expect(['B2', 'C2', 'B3', 'C3'].map((a) => at(x, a)?.figure.raw)).toEqual(['99.4%', '1,235', '-2%', '15%']);
    expect(at(x, 'B2')!.figure).toMatchObject({ value: 99.4, unit: 'percent' });
  });

  it('keeps a figure the format withholds as shorthand ("[c]" for a small count) a status, never its stored value', async () => {
    const x = await read(workbook({ T: [['Force', 'Referrals'], ['Essex', formatted(1200, '[<5]"[c]";#,##0')], ['Kent', formatted(3, '[<5]"[c]";#,##0')]] }));
    expect(x.cells.map((c) => c.figure.raw)).toEqual(['1,200']);
    expect(x.statuses.map((s) => [s.raw, s.meaning, s.locator.kind === 'cell' ? s.locator.cell : ''])).toEqual([['[c]', 'confidential', 'B3']]);
  });

  it('sets a column whose figures all show a currency sign to money', async () => {
    const x = await read(workbook({ T: [['Force', 'Cost', 'Officers'], ['Kent', formatted(29242, '"£"#,##0'), 12], ['Essex', formatted(1200, '"£"#,##0'), 9]] }));
    expect(x.tables[0]!.columns.map((c) => c.unit)).toEqual(['currency', expect.not.stringMatching('currency')]);
  });
});

describe('cell addresses', () => {
  it('gives the A1 address SheetJS gives, across one, two and three letters', () => {
    for (const col of [0, 1, 24, 25, 26, 27, 51, 52, 701, 702, 703, 18277, 18278, 16383]) {
      for (const row of [0, 5, 1048575]) expect(cellAddress(row, col), `${row},${col}`).toBe(XLSX.utils.encode_cell({ r: row, c: col }));
    }
  });
});

describe('sheet layouts', () => {
  it('keeps a table whose rows are spaced by blank rows one table, headed by its header', async () => {
    const x = await read(
      workbook({
        'Table 2': [
          ['Table 2: Prevalence of partner abuse, by sex'],
          [],
          ['Type of abuse', '2017/18', '2018/19'],
          ['Any partner abuse', 5.9, 6.3],
          [],
          ['Non-sexual', 5.2, 5.6],
          [],
          ['Stalking', ':', 1.4],
          [],
          ['Source: made up'],
        ],
      }),
    );
    expect(x.tables).toHaveLength(1);
    const [table] = x.tables;
    expect(table!.title).toBe('Table 2: Prevalence of partner abuse, by sex');
    expect(table!.rows.map((r) => r.label)).toEqual(['Any partner abuse', 'Non-sexual', 'Stalking']);
    expect(x.cells.filter((c) => c.column_path.join() === '2018/19').map((c) => c.figure.value)).toEqual([6.3, 5.6, 1.4]);
    expect(table!.notes.map((n) => n.text)).toEqual(['Source: made up']);
  });

  it('keeps groups of rows spaced by blank rows in one table (each group its parent and children)', async () => {
    const x = await read(
      workbook({
        Aberdeen: [
          ['Service', 'Gross', 'Income', 'Net'],
          ['Education', 100, -10, 90],
          ['Primary', 60, -4, 56],
          ['Secondary', 40, -6, 34],
          [],
          ['Culture', 30, -3, 27],
          ['Libraries', 30, -3, 27],
        ],
      }),
    );
    expect(x.tables).toHaveLength(1);
    expect(x.cells.filter((c) => c.column_path.join() === 'Net').map((c) => c.figure.value)).toEqual([90, 56, 34, 27, 27]);
  });

  it('does not join a table below a blank row whose first row is a row of years (a header)', async () => {
    const x = await read(
      workbook({
        T: [
          ['Region', 'Referrals'],
          ['North', 12],
          [],
          ['Force', 2019, 2020],
          ['Kent', 5, 6],
        ],
      }),
    );
    expect(x.tables).toHaveLength(2);
    expect(x.tables[1]!.columns.map((c) => c.header_path.join())).toEqual(['2019', '2020']);
  });

  it('keeps column headers and the data a blank row below them one table (ONS police force area tables)', async () => {
    const x = await read(
      workbook({
        T: [
          ['Table P4: Knife offences by police force area'],
          [],
          ['Area Code', 'Area Name', 'Number of offences', '% involving a knife'],
          [],
          ['E12000001', 'North East', 1029, 3],
          ['E23000013', 'Cleveland', 452, 6],
        ],
      }),
    );
    expect(x.tables).toHaveLength(1);
    expect(x.tables[0]!.title).toBe('Table P4: Knife offences by police force area');
    expect(x.tables[0]!.columns.map((c) => [c.header_path.join(), c.unit])).toEqual([
      ['Number of offences', null],
      ['% involving a knife', 'percent'],
    ]);
  });

  it('reads figures set far right of their labels as the same table (no second table of bare figures)', async () => {
    const x = await read(
      workbook({
        Indicator: [
          ['', '2005', '2006', '2007', '2008', '2009'],
          ['Any abuse', 8.7, 9.2, 8.7, 7.0, 7.4],
          [],
          ['16 to 19', null, null, null, 5.7, 5.5],
          ['20 to 24', null, null, null, 7.3, 9.1],
        ],
      }),
    );
    expect(x.tables).toHaveLength(1);
    expect(at(x, 'E4')).toMatchObject({ row_path: ['16 to 19'], column_path: ['2008'] });
  });

  it('costs nothing for a used range far beyond the data (A1:XFD1048576 around A1:F20)', async () => {
    const rows: Row[] = [['Table 1: Referrals by region'], [], ['Region', '2019', '2020', '2021', '2022', '2023']];
    for (let i = 1; i <= 17; i++) rows.push([`Area ${i}`, i, i + 1, i + 2, i + 3, i + 4]);
    const bytes = withSheetXml(workbook({ 'Table 1': rows }), (xml) =>
      xml.replace(/<dimension ref="[^"]+"\/>/, '<dimension ref="A1:XFD1048576"/>').replace('</sheetData>', '<row r="1048576" customHeight="1" ht="15"><c r="XFD1048576" s="0"/></row></sheetData>'),
    );
    const t0 = performance.now();
    const x = await read(bytes);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(x.tables).toHaveLength(1);
    expect(x.cells).toHaveLength(17 * 5);
  });

  it('reads tables stacked on one sheet each as its own table, with its own title and notes', async () => {
    const x = await read(
      workbook({
        Tables: [
          ['Table 1: Referrals, by region'],
          [],
          ['Region', 'Referrals'],
          ['North', 12],
          ['South', 40],
          [],
          ['Source: made up, table 1'],
          [],
          ['Table 2: Outcomes, by region'],
          [],
          ['Region', 'Safer', 'Not safer'],
          ['North', 8, 4],
          ['South', 30, 10],
          [],
          ['Table 3: Staff, by region'],
          ['Region', 'FTE'],
          ['North', 2.5],
        ],
      }),
    );
    expect(x.tables.map((t) => t.title)).toEqual(['Table 1: Referrals, by region', 'Table 2: Outcomes, by region', 'Table 3: Staff, by region']);
    expect(x.tables.map((t) => t.rows.length)).toEqual([2, 2, 1]);
    expect(x.tables[0]!.notes.map((n) => n.text)).toEqual(['Source: made up, table 1']);
    expect(at(x, 'C13')).toMatchObject({ row_path: ['South'], column_path: ['Not safer'], figure: expect.objectContaining({ value: 10 }) });
  });

  it('joins a header hyphenated over two rows ("Referr-" / "als" is "Referrals"), keeping a hyphen after a prefix ("Non-" / "sexual")', async () => {
    const x = await read(
      workbook({
        T: [
          ['Region', 'Referr-', 'Non-', 'Out-'],
          ['', 'als', 'sexual', 'comes'],
          ['North', 12, 3, 7],
        ],
      }),
    );
    expect(x.tables[0]!.columns.map((c) => c.header_path.join(' › '))).toEqual(['Referrals', 'Non-sexual', 'Outcomes']);
  });
});

describe('several identity columns at the left', () => {
  const paths = (x: TablesAndStatements) => x.tables[0]!.rows.map((r) => [r.label_path.join(' › '), r.role]);
  const cellPaths = (x: TablesAndStatements) => x.cells.map((c) => `${c.row_path.join(' › ')} = ${c.figure.raw}`);

  it('makes a column that groups rows (the area, repeated or written once) the parent label of its rows', async () => {
    const repeated = await read(
      workbook({
        T: [
          ['Table 2a: IDVAs, England and Wales and London'],
          ['Area', 'Measure', '2018', '2019'],
          ['England and Wales', 'IDVAs for victims at high risk', 782, 833],
          ['England and Wales', 'Recommended number of IDVAs', 1059, 1120],
          ['England and Wales', 'Percentage shortfall', '[x]', 26],
          ['London', 'IDVAs for victims at high risk', '[x]', 152],
          ['London', 'Recommended number of IDVAs', '[x]', 141],
        ],
      }),
    );
    const once = await read(
      workbook({
        T: [
          ['Table 2a: IDVAs, England and Wales and London'],
          ['Area', 'Measure', '2018', '2019'],
          ['England and Wales', 'IDVAs for victims at high risk', 782, 833],
          ['', 'Recommended number of IDVAs', 1059, 1120],
          ['', 'Percentage shortfall', '[x]', 26],
          ['London', 'IDVAs for victims at high risk', '[x]', 152],
          ['', 'Recommended number of IDVAs', '[x]', 141],
        ],
      }),
    );
    for (const x of [repeated, once]) {
      // the group names head their rows and hold no figures
      expect(paths(x)).toEqual([
        ['England and Wales', 'heading'],
        ['England and Wales › IDVAs for victims at high risk', 'category'],
        ['England and Wales › Recommended number of IDVAs', 'category'],
        ['England and Wales › Percentage shortfall', 'category'],
        ['London', 'heading'],
        ['London › IDVAs for victims at high risk', 'category'],
        ['London › Recommended number of IDVAs', 'category'],
      ]);
      expect(at(x, 'D3')!.row_path).toEqual(['England and Wales', 'IDVAs for victims at high risk']);
      expect(at(x, 'D6')!.row_path).toEqual(['London', 'IDVAs for victims at high risk']);
      expect(x.tables[0]!.columns.map((c) => c.header_path)).toEqual([['2018'], ['2019']]);
      expect(x.cells).toHaveLength(7);
    }
  });

  it('leaves a column whose value differs on every row (a code beside the name) as identity, the name the row label', async () => {
    const x = await read(
      workbook({
        T: [
          ['Area Code', 'Area Name', 'Offences', 'Rate'],
          ['K04000001', 'ENGLAND AND WALES', 40147, 6],
          ['E92000001', 'ENGLAND', 37993, 6],
          ['W92000004', 'WALES', 2154, 7],
          ['E12000001', 'NORTH EAST', 2014, 7],
        ],
      }),
    );
    expect(paths(x).map(([p]) => p)).toEqual(['ENGLAND AND WALES', 'ENGLAND', 'WALES', 'NORTH EAST']);
    expect(cellPaths(x).slice(0, 2)).toEqual(['ENGLAND AND WALES = 40147', 'ENGLAND AND WALES = 6']);
    expect(x.tables[0]!.rows.every((r) => r.depth === 0)).toBe(true);
  });
});

/** A workbook SheetJS wrote, with its first sheet's XML changed (what SheetJS itself would not write). */
function withSheetXml(bytes: Uint8Array, change: (xml: string) => string): Uint8Array {
  const zip = XLSX.CFB.read(bytes, { type: 'buffer' });
  const i = zip.FullPaths.findIndex((p: string) => p.endsWith('xl/worksheets/sheet1.xml'));
  const entry = zip.FileIndex[i]!;
  entry.content = Buffer.from(change(Buffer.from(entry.content as Uint8Array).toString('utf8')));
  entry.size = entry.content.length;
  return new Uint8Array(XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip', compression: true }) as Buffer);
}
