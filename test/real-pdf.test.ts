import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS, buildSubjects, runChecks } from '../checks/index.js';
import { extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import { measures, transform } from '../transform/index.js';

/**
 * A PDF nobody here made: the Home Office's TASER figures to March 2010 (Acrobat Distiller,
 * untagged), with column headers set vertically and blanks meaning zero. Values keyed by hand
 * from the PDF as printed.
 */
const FILE = 'ho-taser-figures-mar2010.pdf';

let x: Extraction;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'davs-real-'));
  await copyFile(join(import.meta.dirname, 'fixtures', 'real', FILE), join(dir, FILE));
  const { documents } = await readCorpus(dir);
  x = await extractDocument(documents[0]!.record, documents[0]!.bytes);
}, 60_000);

function row(tableIndex: number, label: string): Record<string, string> {
  const t = x.tables[tableIndex]!;
  const r = t.rows.find((r) => r.label === label)!;
  return Object.fromEntries(x.cells.filter((c) => c.table_id === t.table_id && c.row_index === r.index).map((c) => [c.column_path.join(' › '), c.figure.raw]));
}

describe('real PDF: Home Office TASER figures to March 2010', () => {
  it('finds the four tables with their captions', () => {
    expect(x.tables.map((t) => t.title.slice(0, 7))).toEqual(['Table 1', 'Table 2', 'Table 3', 'Table 4']);
  });

  it('reads the vertical column headers and puts every value of a row in its column', () => {
    expect(x.tables[0]!.columns.map((c) => c.header_path.join(' › '))).toEqual(['Discharges', 'Drive-stuns', 'Arced', 'Red Dot', 'Aimed', 'Drawn', 'Not Stated', 'Total Used']);
    expect(row(0, 'Avon & Somerset Constabulary')).toEqual({ Discharges: '56', 'Drive-stuns': '32', Arced: '29', 'Red Dot': '145', Aimed: '18', Drawn: '54', 'Total Used': '334' });
    expect(row(0, 'Metropolitan Police')).toMatchObject({ 'Not Stated': '3', 'Total Used': '1173' });
    expect(row(0, 'Totals')).toMatchObject({ Discharges: '2185', 'Not Stated': '7', 'Total Used': '8599' });
    expect(x.tables[0]!.rows.find((r) => r.label === 'Totals')!.role).toBe('total');
  });

  it('reads the quarterly tables under their spanning headers', () => {
    const avon = row(1, 'Avon & Somerset Constabulary');
    expect(avon['Usage Details › Firings › 2009 › Apr - Jun']).toBe('4');
    expect(avon['Usage Details › Totals › 2010 › Jan - Mar']).toBe('32');
    expect(Object.keys(avon)).toHaveLength(16);
  });

  it('gives a year heading set between two columns the quarters of its year (Oct - Dec 2009, then Jan - Mar 2010)', () => {
    for (const t of [1, 3]) {
      const years = x.tables[t]!.columns.map((c) => `${c.header_path.slice(-2).join(' ')}`);
      expect(years.filter((y) => y.endsWith('Oct - Dec'))).toEqual(['2009 Oct - Dec', '2009 Oct - Dec', '2009 Oct - Dec', '2009 Oct - Dec']);
      expect(years.filter((y) => y.endsWith('Jan - Mar'))).toEqual(['2010 Jan - Mar', '2010 Jan - Mar', '2010 Jan - Mar', '2010 Jan - Mar']);
    }
    expect(row(1, 'Avon & Somerset Constabulary')['Usage Details › Drive-stuns › 2009 › Oct - Dec']).toBe('9');
  });

  it('reads the figures of a totals row that the PDF sets as one run of text ("70 1623 138")', () => {
    expect(row(2, 'Total')).toEqual({ Discharges: '511', 'Drive-stuns': '73', Arced: '70', 'Red Dot': '1623', Aimed: '138', Drawn: '542', 'Not Stated': '0', 'Total Used': '2957' });
    expect(row(1, 'Totals')['Usage Details › Totals › 2009 › Jul - Sep']).toBe('712');
    expect(row(3, 'Totals')['Usage Details › Totals › 2009 › Apr - Jun']).toBe('177');
    expect(row(3, 'Totals')['Usage Details › Totals › 2009 › Jul - Sep']).toBe('247');
  });

  it('locates cells by page and line', () => {
    const cell = x.cells.find((c) => c.figure.raw === '8599')!;
    expect(cell.locator).toMatchObject({ kind: 'page', document: FILE, page: 3 });
  });

  it('checks its row and column totals, all of which hold', () => {
    const r = runChecks(CHECKS, buildSubjects([x], transform([x]), measures()));
    const totals = r.summaries.find((s) => s.check === 'total-equals-sum')!;
    expect(totals.evaluated).toBeGreaterThan(100);
    expect(totals.failed).toBe(0);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
