import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { ACCESSIBLE_FILE, OLD_STYLE_FILE, buildAccessible, buildOldStyle } from './build.js';
import { ARTICLE_FILE, NOTES, accessibleWorkbook, figureCells, oldStyleWorkbook, type Figure } from './layout.js';

const root = resolve(import.meta.dirname, '../..');
const articleLines = readFileSync(resolve(root, ARTICLE_FILE), 'utf8').split('\n');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const read = (bytes: Uint8Array) => XLSX.read(bytes, { cellStyles: true });

function sheet(wb: XLSX.WorkBook, name: string): XLSX.WorkSheet {
  const ws = wb.Sheets[name];
  expect(ws, `sheet ${name}`).toBeDefined();
  return ws!;
}

function cell(wb: XLSX.WorkBook, name: string, address: string): XLSX.CellObject {
  const c = sheet(wb, name)[address] as XLSX.CellObject | undefined;
  expect(c, `${name}!${address}`).toBeDefined();
  return c!;
}

/** Every cell of every sheet. */
function allCells(wb: XLSX.WorkBook): Array<{ sheet: string; address: string; cell: XLSX.CellObject }> {
  const out: Array<{ sheet: string; address: string; cell: XLSX.CellObject }> = [];
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    for (const address of Object.keys(ws)) if (!address.startsWith('!')) out.push({ sheet: name, address, cell: ws[address] as XLSX.CellObject });
  }
  return out;
}

const oldBytes = buildOldStyle();
const accessibleBytes = buildAccessible();
const oldWb = read(oldBytes);
const accWb = read(accessibleBytes);

describe('reproducible builds', () => {
  it('gives the same bytes on every build', () => {
    expect(sha256(buildOldStyle())).toBe(sha256(oldBytes));
    expect(sha256(buildAccessible())).toBe(sha256(accessibleBytes));
  });

  it('pins the document dates', () => {
    for (const wb of [oldWb, accWb]) {
      expect(wb.Props?.CreatedDate?.toISOString()).toBe('2020-11-25T00:00:00.000Z');
      expect(wb.Props?.ModifiedDate?.toISOString()).toBe('2020-11-25T00:00:00.000Z');
    }
  });

  it('matches the committed files in raw/', () => {
    for (const [file, bytes] of [
      [OLD_STYLE_FILE, oldBytes],
      [ACCESSIBLE_FILE, accessibleBytes],
    ] as const) {
      const path = resolve(root, file);
      expect(existsSync(path), `${file} exists (npm run build:workbooks)`).toBe(true);
      expect(sha256(readFileSync(path)), `${file} is stale: run npm run build:workbooks`).toBe(sha256(bytes));
    }
  });
});

describe('figures and their article lines', () => {
  const words: Record<number, string> = { 5: 'five' };
  /** The figure as the article writes it: "99,447", "34.1", "five". */
  function onLine(f: Figure): boolean {
    const line = articleLines[f.line - 1] ?? '';
    const shown = Number.isInteger(f.value) ? f.value.toLocaleString('en-GB') : String(f.value);
    const token = new RegExp(`(^|[^\\d,.])${shown.replace(/[.,]/g, '\\$&')}(?![\\d]|[.,]\\d)`);
    return token.test(line) || (words[f.value] !== undefined && new RegExp(`\\b${words[f.value]}\\b`).test(line));
  }

  it('reads every figure from the article line it cites', () => {
    for (const spec of [oldStyleWorkbook(), accessibleWorkbook()])
      for (const { sheet: name, figure } of figureCells(spec)) expect(onLine(figure), `${name}: ${figure.value} on line ${figure.line}: ${articleLines[figure.line - 1]}`).toBe(true);
    for (const n of NOTES.filter((x) => x.line > 0)) expect(articleLines[n.line - 1]!.length, `note ${n.n} line ${n.line}`).toBeGreaterThan(0);
  });

  it('uses the same figures in both workbooks', () => {
    const key = (f: Figure) => `${f.value}@${f.line}`;
    const set = (figs: Figure[]) => [...new Set(figs.map(key))].sort();
    expect(set(figureCells(accessibleWorkbook()).map((x) => x.figure))).toEqual(set(figureCells(oldStyleWorkbook()).map((x) => x.figure)));
  });
});

describe('old-style workbook', () => {
  it('has one table per sheet, a hidden Lookup sheet and the sheets asked for', () => {
    expect(oldWb.SheetNames).toEqual(['Contents', 'Table 1', 'Table 2', 'Table 2a', 'Table 3', 'Table 4', 'Table 7', 'Table 8', 'Table 15a', 'Table 29', 'Lookup']);
    const hidden = (oldWb.Workbook?.Sheets ?? []).filter((s) => s.Hidden === 1).map((s) => s.name);
    expect(hidden).toEqual(['Lookup']);
  });

  it('reproduces the article Table 2 exactly, under a title with a glued footnote marker and merged headers', () => {
    expect(cell(oldWb, 'Table 2', 'A1').v).toBe('Table 2: Cases discussed at multi-agency risk assessment conferences (MARACs), year ending March 2018 to year ending March 2020¹');
    expect(sheet(oldWb, 'Table 2')['A2']).toBeUndefined();
    const merges = (sheet(oldWb, 'Table 2')['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m));
    expect(merges).toContain('B3:D3');
    expect(cell(oldWb, 'Table 2', 'B3').v).toBe('Year ending March');
    // article lines 139-144: label TAB 2018 TAB 2019 TAB 2020
    const article = articleLines.slice(138, 144).map((l) => l.split('\t'));
    article.forEach((fields, i) => {
      const r = 5 + i;
      expect(String(cell(oldWb, 'Table 2', `A${r}`).v).replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, '')).toBe(fields[0]);
      ['B', 'C', 'D'].forEach((col, k) => {
        const c = cell(oldWb, 'Table 2', `${col}${r}`);
        expect(c.t).toBe('n');
        expect(c.v).toBe(Number(fields[k + 1]!.replace(/,/g, '')));
        expect(c.w).toBe(fields[k + 1]);
      });
    });
    expect(cell(oldWb, 'Table 2', 'D6').v).toBe(99_447);
    expect(cell(oldWb, 'Table 2', 'A11').v).toBe('Source: SafeLives');
    expect(cell(oldWb, 'Table 2', 'A12').v).toBe('Notes:');
    expect(cell(oldWb, 'Table 2', 'A13').v).toBe('1. Data from SafeLives are not classified as official statistics.');
  });

  it('hides one note row', () => {
    const rows = sheet(oldWb, 'Table 2')['!rows'] ?? [];
    const hidden = rows.map((r, i) => (r?.hidden ? i : -1)).filter((i) => i >= 0);
    expect(hidden).toEqual([14]);
    expect(cell(oldWb, 'Table 2', 'A15').v).toBe('3. The population data are from the 2011 Census.');
    const elsewhere = oldWb.SheetNames.filter((n) => n !== 'Table 2').filter((n) => (sheet(oldWb, n)['!rows'] ?? []).some((r) => r?.hidden));
    expect(elsewhere).toEqual([]);
  });

  it('keeps a SUM formula with its cached value for the England and Wales total row', () => {
    expect(cell(oldWb, 'Table 8', 'A7').v).toBe('England and Wales⁶');
    const services = cell(oldWb, 'Table 8', 'E7');
    expect(services).toMatchObject({ t: 'n', f: 'SUM(E5:E6)', v: 295 });
    expect(cell(oldWb, 'Table 8', 'E5').v! as number + (cell(oldWb, 'Table 8', 'E6').v as number)).toBe(295);
    expect(cell(oldWb, 'Table 8', 'I7')).toMatchObject({ t: 'n', f: 'SUM(I5:I6)', v: 4_207 });
    const merges = (sheet(oldWb, 'Table 8')['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m));
    expect(merges).toEqual(expect.arrayContaining(['A3:A4', 'B3:E3', 'F3:I3', 'J3:K3']));
  });

  it('stores a few numbers as text', () => {
    expect(cell(oldWb, 'Table 3', 'C4')).toMatchObject({ t: 's', v: '35,143' });
    expect(cell(oldWb, 'Table 2a', 'C7')).toMatchObject({ t: 's', v: '1,059' });
    expect(cell(oldWb, 'Table 15a', 'F5')).toMatchObject({ t: 's', v: '31%' });
    expect(cell(oldWb, 'Table 15a', 'C5')).toMatchObject({ t: 'n', v: 99_447, w: '99,447' });
  });

  it('uses the old symbols and titles', () => {
    expect(cell(oldWb, 'Table 7', 'D6').v).toBe('..');
    expect(cell(oldWb, 'Table 2a', 'D5').v).toBe('n/a');
    expect(cell(oldWb, 'Table 4', 'A1').v).toMatch(/March 2019 1$/);
    expect(cell(oldWb, 'Contents', 'A2').v).toMatch(/Reconstruction built by davs/);
  });
});

describe('accessible workbook', () => {
  it('has Cover, Contents, Notes and one sheet per table', () => {
    expect(accWb.SheetNames).toEqual(['Cover', 'Contents', 'Notes', 'Table_1', 'Table_2', 'Table_2a', 'Table_3', 'Table_4', 'Table_7', 'Table_8', 'Table_15a', 'Table_29']);
    expect((accWb.Workbook?.Sheets ?? []).every((s) => !s.Hidden)).toBe(true);
    const cover = allCells(accWb).filter((c) => c.sheet === 'Cover').map((c) => String(c.cell.v));
    expect(cover).toContain('25 November 2020');
    expect(cover.some((v) => /reconstruction built by davs/.test(v))).toBe(true);
    expect(cover).toContain('crimestatistics@ons.gov.uk');
    expect(cell(accWb, 'Notes', 'A4').v).toBe('[note 1]');
    expect(cell(accWb, 'Notes', 'B4').v).toBe('Data from SafeLives are not classified as official statistics.');
  });

  it('starts every table in A1 and says how many tables the sheet holds', () => {
    for (const name of accWb.SheetNames.filter((n) => n.startsWith('Table_'))) {
      expect(cell(accWb, name, 'A1').v).toMatch(/^Table \w+: /);
      expect(cell(accWb, name, 'A2').v).toBe(name === 'Table_3' ? 'This worksheet contains two tables.' : 'This worksheet contains one table.');
    }
    expect(cell(accWb, 'Table_3', 'A5').v).toMatch(/^Table 3a: /);
    expect(cell(accWb, 'Table_3', 'A11').v).toMatch(/^Table 3b: /);
  });

  it('has no merged cells, and note markers in header text', () => {
    for (const name of accWb.SheetNames) expect(sheet(accWb, name)['!merges'] ?? [], name).toEqual([]);
    expect(cell(accWb, 'Table_2', 'D5').v).toBe('Year ending March 2020 [note 6]');
  });

  it('uses [x] and [z] shorthand where figures are missing', () => {
    expect(cell(accWb, 'Table_7', 'D7')).toMatchObject({ t: 's', v: '[x]' }); // Wales 2019 helpline services
    expect(cell(accWb, 'Table_7', 'A7').v).toBe('Wales [note 18]');
    expect(cell(accWb, 'Table_2a', 'D6')).toMatchObject({ t: 's', v: '[z]' }); // 2018: the survey did not run
    const shorthand = allCells(accWb).filter((c) => c.cell.t === 's' && /^\[[a-z]\]$/.test(String(c.cell.v)));
    expect(new Set(shorthand.map((c) => c.cell.v))).toEqual(new Set(['[x]', '[z]']));
  });

  it('stores every figure as a number, 99,447 and the helpline figures among them', () => {
    const numbers = allCells(accWb).filter((c) => c.sheet !== 'Cover' && c.sheet !== 'Contents' && c.sheet !== 'Notes');
    // header years ("2017") are text; no figure is
    expect(numbers.filter((c) => c.cell.t === 's' && /^[\d,.%]+$/.test(String(c.cell.v)) && !/^20\d\d$/.test(String(c.cell.v)))).toEqual([]);
    expect(cell(accWb, 'Table_2', 'D7')).toMatchObject({ t: 'n', v: 99_447, w: '99,447' });
    expect(cell(accWb, 'Table_15a', 'C6')).toMatchObject({ t: 'n', v: 99_447 });
    expect(cell(accWb, 'Table_29', 'B6').v).toBe(47_770);
    expect(cell(accWb, 'Table_29', 'C6').v).toBe(40_859);
    expect(cell(accWb, 'Table_29', 'B7').v).toBe(33_853);
    expect(cell(accWb, 'Table_29', 'C7').v).toBe(29_166);
    expect(allCells(accWb).filter((c) => c.cell.f)).toEqual([]);
  });

  it('holds no figure the old-style workbook lacks (and the discrepant 99,467 in neither)', () => {
    const values = (wb: XLSX.WorkBook) => new Set(allCells(wb).filter((c) => c.cell.t === 'n').map((c) => c.cell.v));
    const old = values(oldWb);
    // the old style stores 35,143, 1,059 and 31% as text (31 is also in its Table 2)
    for (const v of values(accWb)) if (v !== 35_143 && v !== 1_059) expect(old.has(v), String(v)).toBe(true);
    expect(old.has(99_467) || values(accWb).has(99_467)).toBe(false);
  });
});
