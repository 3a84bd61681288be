import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cell, Table } from '../contracts.js';
import { extractText } from './index.js';

/**
 * Extraction measured against values keyed by hand from the publications (statcheck's
 * manually_extracted_stats), not against its own past output.
 */
function load(file: string) {
  const text = readFileSync(join(import.meta.dirname, '..', '..', 'raw', file), 'utf8');
  return extractText(text, file, 'doc-000000000000');
}

function cellOf(x: { tables: Table[]; cells: Cell[] }, title: string, row: string, column: string): Cell & { table: Table } {
  const table = x.tables.find((t) => t.title.startsWith(title));
  if (!table) throw new Error(`no table ${title}`);
  const r = table.rows.find((r) => r.label === row);
  const c = table.columns.find((c) => c.header_path.join(' › ') === column);
  const cell = x.cells.find((k) => k.table_id === table.table_id && k.row_index === r?.index && k.column_index === c?.index);
  if (!cell) throw new Error(`no cell ${row} × ${column} in ${title}; columns: ${table.columns.map((c) => c.header_path.join(' › ')).join(' | ')}`);
  return { ...cell, table };
}

describe('text tables: ONS November 2020 article', () => {
  const x = load('ons-dav-2020-11.txt');

  it('finds Tables 1 to 4 with their captions, geography line and notes', () => {
    expect(x.tables.map((t) => t.title.slice(0, 8))).toEqual(['Table 1:', 'Table 2:', 'Table 3:', 'Table 4:']);
    const t2 = x.tables[1]!;
    expect(t2.subtitle).toBe('England and Wales');
    expect(t2.locator).toEqual({ kind: 'line', document: 'ons-dav-2020-11.txt', line: 135 });
    expect(t2.notes.map((n) => n.marker)).toEqual(['source', '1', '2']);
  });

  it('reads Table 2 cells with their period columns', () => {
    const c = cellOf(x, 'Table 2', 'Number of cases discussed', 'Year ending March 2020');
    expect(c.figure).toEqual({ raw: '99,447', value: 99447, decimals: 0, unit: 'count' });
    expect(c.locator).toEqual({ kind: 'line', document: 'ons-dav-2020-11.txt', line: 140 });
    expect(c.table.columns[c.column_index]!.period).toBe('YE 2020-03');
    expect(cellOf(x, 'Table 2', 'Percentage of repeat cases', 'Year ending March 2018').figure.unit).toBe('percent');
    expect(cellOf(x, 'Table 2', 'Number of cases discussed per 10,000 adult females', 'Year ending March 2019').figure.unit).toBe('rate');
  });

  it('gives every row of Tables 3 and 4 the geography only their middle row names', () => {
    const t3 = x.tables[2]!;
    expect(t3.rows.map((r) => r.label_path.join(' › '))).toEqual([
      'England › Total referrals',
      'England › % Accepted',
      'England › % Declined',
      'Wales › Total referrals',
      'Wales › % Accepted',
      'Wales › % Declined',
      'Wales › % Support not accepted by client',
    ]);
    const c = x.cells.find((k) => k.table_id === t3.table_id && k.row_path.join(' › ') === 'Wales › Total referrals' && k.column_index === 2)!;
    expect(c.figure.raw).toBe('2,156');
  });

  it('gives Table 1 (FTE practitioners) its unit from the caption', () => {
    expect(cellOf(x, 'Table 1', 'Outreach workers', '2019').figure).toEqual({ raw: '813', value: 813, decimals: 0, unit: 'fte' });
  });
});

describe('text tables: SafeLives Insights 2019-20', () => {
  const x = load('safelives-insights-idva-2019-20.txt');

  it('reads a year block with the base on its own row ("n= 3074 3754", "Count % %")', () => {
    const c = cellOf(x, 'Referral status', 'New client', '2020 › Count');
    expect(c.figure.value).toBe(2196);
    const pct = cellOf(x, 'Referral status', 'New client', '2020 › %');
    expect(pct.figure).toEqual({ raw: '71%', value: 71, decimals: 0, unit: 'percent' });
    expect(pct.table.columns[pct.column_index]!.base?.value).toBe(3074);
    expect(cellOf(x, 'Referral status', 'New client', '2019 › %').table.columns[2]!.base?.value).toBe(3754);
    expect(pct.table.rows.find((r) => r.label === 'Total')!.role).toBe('total');
  });

  it('reads "n= 3000" written inside the percentage column', () => {
    const c = cellOf(x, 'Age of client', '21-30', '2020 › Count');
    expect(c.figure.value).toBe(1022);
    expect(c.table.columns[c.column_index]!.base?.value).toBe(3000);
    expect(c.table.rows.find((r) => r.label === 'Average age')!.role).toBe('statistic');
  });

  it('keeps marked child rows under their parent', () => {
    const table = x.tables.find((t) => t.title === 'Sexual Orientation')!;
    const lbg = table.rows.find((r) => r.label === 'Total LBG')!;
    const children = table.rows.filter((r) => r.parent_index === lbg.index).map((r) => r.label);
    expect(children).toEqual(['Bisexual', 'Gay', 'Lesbian', 'Other']);
    expect(lbg.role).toBe('subtotal');
    expect(table.rows.find((r) => r.label === 'Gay')!.label_path).toEqual(['Total LBG', 'Gay']);
  });

  it('reads a wide matrix with Count/% under each category and one n for the table', () => {
    const c = cellOf(x, 'Level of abuse', 'Physical', '2020 › High › Count');
    expect(c.figure.value).toBe(1588);
    expect(cellOf(x, 'Level of abuse', 'Sexual', "2020 › Don't know › %").figure.raw).toBe('8%');
    expect(c.table.columns.every((col) => col.base?.value === 3074)).toBe(true);
  });

  it('puts a period row shifted by the converter back over its Count/% group', () => {
    const c = cellOf(x, 'Mental health needs', 'Depression', '2020 › %');
    expect(c.figure.raw).toBe('80%');
    expect(c.table.columns[c.column_index]!.base?.value).toBe(1349);
  });

  it('does not take years in the base row for a base ("n= | 2020 | | 2019")', () => {
    const table = x.tables.find((t) => t.title === 'Did the client qualify for legal aid?')!;
    expect(table.columns.map((c) => c.base)).toEqual(table.columns.map(() => null));
    expect(table.columns.map((c) => c.period)).toEqual(['2020', '2020', '2019']);
  });
});

describe('text tables: SafeLives practitioner survey 2019', () => {
  const x = load('safelives-practitioner-survey-2019.txt');

  it('reads regional tables, their total row and the footnote it cites', () => {
    const c = cellOf(x, 'Table 1', 'England and Wales', 'FTE Idvas');
    expect(c.figure).toEqual({ raw: '980', value: 980, decimals: 0, unit: 'fte' });
    const row = c.table.rows[c.row_index]!;
    expect(row.role).toBe('total');
    expect(row.footnotes).toEqual(['11']);
    expect(c.table.notes.find((n) => n.marker === '11')!.text).toMatch(/^The services total is lower than the sum/);
    expect(cellOf(x, 'Table 1', 'London', '% Coverage').figure.raw).toBe('108%');
    expect(cellOf(x, 'Table 3', 'London', 'FTE Idvas in health settings').figure).toEqual({ raw: '23.0', value: 23, decimals: 1, unit: 'fte' });
  });

  it('skips the table of contents', () => {
    expect(x.tables.some((t) => t.rows.some((r) => r.label === 'About SafeLives'))).toBe(false);
  });
});

describe('text tables: numbers as published, with their markers', () => {
  const text = [
    'Table 1: Clients by service',
    '',
    'Service\tClients\tChange',
    'Outreach\t2*\t5',
    'Refuge\t15a\t(3)',
    'Helpline\t1,234†\t2',
    'Court\t12 [note 3]\t1',
    'Advocacy\t(23)\t0',
    'Group work\t-00\t4',
    'Other\t12-15\tsee note',
    '2a\t7\t1',
    'Total\t1,293\t13',
    '',
    'Table 2: Income and expenditure of services, thousands',
    '',
    'Service\tGross\tIncome\tNet',
    'Refuge\t1,200\t(200)\t1,000',
    'Outreach\t£29,242\t(£242)\t£29,000',
    '',
    'Inverness\t900\t(100)\t800',
    '',
    'Table 3: Clients by area',
    '',
    'Area\tLead provider\tClients',
    'North\tSafe Homes\t40',
    'South\tWomen\'s Aid\t35',
  ].join('\n');
  const x = extractText(text, 'markers.txt', 'doc-000000000000');
  const at = (table: number, row: string, column: number) => {
    const t = x.tables[table - 1]!;
    const r = t.rows.find((r) => r.label === row)!;
    const cell = x.cells.find((c) => c.table_id === t.table_id && c.row_index === r.index && c.column_index === column);
    const status = x.statuses.find((s) => s.table_id === t.table_id && s.row_index === r.index && s.column_index === column);
    return cell ? { raw: cell.figure.raw, value: cell.figure.value, unit: cell.figure.unit, marker: cell.marker } : status ? { raw: status.raw, status: status.meaning } : null;
  };

  it('reads a number printed with a footnote or flag, and keeps the flag as the marker', () => {
    expect(at(1, 'Outreach', 0)).toEqual({ raw: '2*', value: 2, unit: 'count', marker: '*' });
    expect(at(1, 'Refuge', 0)).toEqual({ raw: '15a', value: 15, unit: 'count', marker: 'a' });
    expect(at(1, 'Helpline', 0)).toEqual({ raw: '1,234†', value: 1234, unit: 'count', marker: '†' });
    expect(at(1, 'Court', 0)).toEqual({ raw: '12 [note 3]', value: 12, unit: 'count', marker: '3' });
    expect(at(1, 'Group work', 0)).toEqual({ raw: '-00', value: 0, unit: 'count', marker: null });
    expect(at(1, 'Outreach', 1)).toEqual({ raw: '5', value: 5, unit: 'count', marker: null });
  });

  it('reads "(23)" outside an account as 23 shown as an estimate, and does not read it in a column of changes', () => {
    expect(at(1, 'Advocacy', 0)).toEqual({ raw: '(23)', value: 23, unit: 'count', marker: '()' });
    expect(at(1, 'Refuge', 1)).toEqual({ raw: '(3)', status: 'unreadable: not a number the reader understands' });
  });

  it('keeps text a value column cannot read as a status, never dropped', () => {
    expect(at(1, 'Other', 0)).toEqual({ raw: '12-15', status: 'unreadable: not a number the reader understands' });
    expect(at(1, 'Other', 1)).toEqual({ raw: 'see note', status: 'unreadable: not a number the reader understands' });
  });

  it('leaves row labels as labels ("2a" is a row, not a figure)', () => {
    expect(x.tables[0]!.rows.map((r) => r.label)).toContain('2a');
    expect(at(1, '2a', 0)).toEqual({ raw: '7', value: 7, unit: 'count', marker: null });
  });

  it('reads parentheses in an account as a negative amount, and a currency sign as the unit', () => {
    expect(at(2, 'Refuge', 1)).toEqual({ raw: '(200)', value: -200, unit: 'count', marker: null });
    expect(at(2, 'Outreach', 0)).toEqual({ raw: '£29,242', value: 29242, unit: 'currency', marker: null });
    expect(at(2, 'Outreach', 1)).toEqual({ raw: '(£242)', value: -242, unit: 'currency', marker: null });
    // a grid with no title of its own continues the account above it
    expect(x.tables[2]!.title).toBe('Untitled table 3');
    expect(at(3, 'Inverness', 1)).toEqual({ raw: '(100)', value: -100, unit: 'count', marker: null });
  });

  it('makes no status of a column of text (names, not numbers)', () => {
    const t = x.tables[3]!;
    expect(x.statuses.filter((s) => s.table_id === t.table_id)).toEqual([]);
    expect(at(4, 'North', 1)).toEqual({ raw: '40', value: 40, unit: 'count', marker: null });
  });
});

describe('text tables: a header printed over the wrong column goes over the values it heads', () => {
  const grid = (...rows: string[][]) => rows.map((r) => r.join('\t'));
  const x = extractText(
    [
      'Table 1: Labels one place off, a trailing label over no values',
      '',
      ...grid(['', 'n= 150', '', '120', '', '90', ''], ['', 'Safer', '', 'Wellbeing', 'Confident', '', ''], ['', '%', '%', '%', '%', '%', '%'], ['Agree', '60%', '50%', '40%', '', '', ''], ['Disagree', '40%', '50%', '60%', '', '', '']),
      '',
      'Table 2: Two periods over one Count and its %',
      '',
      ...grid(['', '2020', '2019'], ['Question', 'n= 200', '250'], ['', 'Count', '%'], ['Yes', '150', '75%'], ['No', '50', '25%']),
      '',
      'Table 3: A unit row one place right of its values',
      '',
      ...grid(['Question', 'n=', '400', '', 'n=', '100'], ['', '', 'Intake', '', 'Exit', ''], ['', '', 'Count', '%', 'Count', '%'], ['Yes', '100', '25%', '', '30', '30%'], ['No', '300', '75%', '', '70', '70%']),
      '',
      'Table 4: Years over quarters, a year set between two columns',
      '',
      ...grid(['', 'Firings', '', '', '', 'Stuns', '', '', ''], ['', '2009', '', '', '2010', '2009', '', '2010', ''], ['', 'Apr - Jun', 'Jul - Sep', 'Oct - Dec', 'Jan - Mar', 'Apr - Jun', 'Jul - Sep', 'Oct - Dec', 'Jan - Mar'], ['Avon', '1', '2', '3', '4', '5', '6', '7', '8']),
      '',
    ].join('\n'),
    'shifted.txt',
    'doc-000000000000',
  );
  const columns = (i: number) => x.tables[i]!.columns.map((c) => `${c.header_path.join(' › ')} n=${c.base?.raw ?? '-'}`);

  it('puts k labels over k value columns in order when some sit over no values', () => {
    expect(columns(0)).toEqual(['Safer › % n=150', 'Wellbeing › % n=120', 'Confident › % n=90']);
  });

  it('gives a Count and its % one period; a period left over heads nothing', () => {
    expect(columns(1)).toEqual(['2020 › Count n=200', '2020 › % n=200']);
    expect(x.tables[1]!.columns.map((c) => c.period)).toEqual(['2020', '2020']);
  });

  it('puts a unit row, its labels and its bases back over the values', () => {
    expect(columns(2)).toEqual(['Intake › Count n=400', 'Intake › % n=400', 'Exit › Count n=100', 'Exit › % n=100']);
  });

  it('starts a year over its quarters: Oct - Dec before the turn of the year is the earlier year', () => {
    expect(x.tables[3]!.columns.map((c) => c.period)).toEqual(['2009', '2009', '2009', '2010', '2009', '2009', '2009', '2010']);
    expect(columns(3)[6]).toBe('Stuns › 2009 › Oct - Dec n=-');
  });

  it('leaves headers that already sit over their columns where they are', () => {
    const t = load('safelives-insights-idva-2019-20.txt').tables.find((t) => t.title === 'Did the client qualify for legal aid?')!;
    expect(t.columns.map((c) => c.period)).toEqual(['2020', '2020', '2019']);
  });
});
