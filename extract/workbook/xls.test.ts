import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { extractWorkbook } from './index.js';

/** Legacy .xls (BIFF8, an OLE file rather than a zip) goes through the same reader. */
describe('legacy .xls', () => {
  it('reads an old-style table from a BIFF8 workbook, with Sheet!A1 locators', async () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Table 7: Helpline services, England and Wales, 2017 and 2018'],
      [],
      ['Region', '2017', '2018'],
      ['England', 120, 140],
      ['Wales', 12, 11],
      ['England and Wales', 132, 151],
      [],
      ['Source: Routes to Support'],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Table 7');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xls' }) as Buffer);
    expect([...bytes.slice(0, 4)]).toEqual([0xd0, 0xcf, 0x11, 0xe0]);
    const x = await extractWorkbook(bytes, 'helplines.xls', 'helplines-000000000000');
    expect(x.tables).toHaveLength(1);
    expect(x.tables[0]!.title).toBe('Table 7: Helpline services, England and Wales, 2017 and 2018');
    const total = x.cells.find((c) => c.row_path[0] === 'England and Wales' && c.column_path.join() === '2018')!;
    expect(total.figure.value).toBe(151);
    expect(total.locator).toEqual({ kind: 'cell', document: 'helplines.xls', sheet: 'Table 7', cell: 'C6' });
    expect(x.tables[0]!.notes.map((n) => n.text)).toEqual(['Source: Routes to Support']);
  });
});
