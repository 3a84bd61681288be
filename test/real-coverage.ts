/**
 * Cell coverage on the real workbooks (test/fixtures/real): every cell holding a number, counted
 * straight from SheetJS (no davs code but parseNumberText), against the numeric cells davs extracts
 * at the same address with the same value. A number not read gets a reason from a small fixed list,
 * decided here from the sheet alone; the label, header and notes reasons are not data, anything
 * else counts against coverage. Shared by extract/workbook/real.test.ts and `npm run bench`;
 * `npx tsx test/real-coverage.ts` rewrites test/reference/real-coverage.json after a deliberate change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from 'xlsx';
import { z } from 'zod';
import { parseNumberText } from '../core/index.js';
import type { Extraction } from '../extract/contracts.js';
import { extractDocument, readCorpus } from '../extract/index.js';

export const COVERAGE_PATH = join(import.meta.dirname, 'reference', 'real-coverage.json');
export const WORKBOOK = /\.(xlsx|xls|ods)$/i;

/** Why a number in a workbook is not read as a cell. The first four are not data. */
export const REASONS = {
  notesSheet: 'number on a notes, cover or contents sheet (a note number, a date)',
  period: 'year or period used as a header or row label',
  rowLabel: 'row label (a code or number at the left of a data row)',
  titleNumber: 'table or note number beside its text',
  uncached: 'formula without a stored value',
  notRead: 'not read',
} as const;
export type Reason = (typeof REASONS)[keyof typeof REASONS];
const NOT_DATA = new Set<Reason>([REASONS.notesSheet, REASONS.period, REASONS.rowLabel, REASONS.titleNumber]);

interface NumericCell {
  sheet: string;
  r: number;
  c: number;
  /** null: a formula the file stores no value for */
  value: number | null;
}

const NOTES_SHEET = /\b(notes?|cover|contents|index|metadata|information|about|glossary|definitions)\b/i;
const isYear = (v: number | null) => v !== null && Number.isInteger(v) && v >= 1900 && v <= 2099;

/** Every cell holding a number (typed numeric, or text parseNumberText reads), with the reason it would have for not being read. */
export function numericCells(bytes: Uint8Array): Array<NumericCell & { reason: Reason }> {
  const wb = XLSX.read(bytes, { type: 'array', dense: true, cellDates: true, cellFormula: true, sheetStubs: true });
  const out: Array<NumericCell & { reason: Reason }> = [];
  for (const sheet of wb.SheetNames) {
    const rows: Array<Array<XLSX.CellObject | undefined> | undefined> = wb.Sheets[sheet]!['!data'] ?? [];
    rows.forEach((row, r) => {
      if (!row) return;
      const filled: Array<{ c: number; value: number | null; text: boolean }> = [];
      row.forEach((cell, c) => {
        if (!cell) return;
        if (cell.t === 'z' && cell.f !== undefined) filled.push({ c, value: null, text: false });
        else if (cell.t === 'n' && Number.isFinite(Number(cell.v))) filled.push({ c, value: Number(cell.v), text: false });
        else if (cell.v !== undefined && String(cell.v).trim() !== '') {
          // a figure with a flag glued to it ("2*", "5**", "1,234†") is a number too
          const parsed = cell.t === 's' ? parseNumberText(String(cell.v).replace(/\s*[*†‡§¶#]+$/u, '')) : null;
          filled.push(parsed ? { c, value: parsed.value, text: false } : { c, value: null, text: /\p{L}/u.test(String(cell.v)) });
        }
      });
      const numbers = filled.filter((f) => !f.text && (f.value !== null || row[f.c]!.t === 'z'));
      const firstText = filled.find((f) => f.text)?.c ?? Infinity;
      const figuresAfterText = numbers.some((f) => f.c > firstText);
      for (const n of numbers) {
        let reason: Reason = REASONS.notRead;
        if (n.value === null) reason = REASONS.uncached;
        else if (NOTES_SHEET.test(sheet)) reason = REASONS.notesSheet;
        else if (isYear(n.value) && (numbers.every((m) => isYear(m.value)) || n.c === filled[0]!.c)) reason = REASONS.period;
        else if ((n.c < firstText && figuresAfterText) || betweenLabels(filled, n.c)) reason = REASONS.rowLabel;
        else if (n.c === filled[0]!.c && numbers.length === 1 && firstText < Infinity) reason = REASONS.titleNumber;
        out.push({ sheet, r, c: n.c, value: n.value, reason });
      }
    });
  }
  return out;
}

export interface UnreadGroup {
  sheet: string;
  reason: Reason;
  count: number;
  /** Address ranges ("A4:A11", "C5:Q5"), in reading order; only the first 20 when `truncated`. */
  cells: string[];
  truncated?: true;
}

export interface Coverage {
  file: string;
  /** Every numeric cell of the workbook. */
  numeric: number;
  /** Numeric cells davs reads as cells, at their address, with their value. */
  read: number;
  /** Numeric cells not read for a reason that says they are not data (labels, headers, notes). */
  notData: number;
  /** read ÷ numeric */
  all: number;
  /** read ÷ (numeric − notData) */
  data: number;
  unread: UnreadGroup[];
  /** Cells davs reads at an address where the workbook has no such number: never expected. */
  misread: string[];
}

/** Coverage of one workbook by its extraction. */
export function measureCoverage(file: string, bytes: Uint8Array, x: Extraction): Coverage {
  const extracted = new Map(x.cells.map((c) => [c.locator.kind === 'cell' ? `${c.locator.sheet}!${c.locator.cell}` : '', c]));
  const cells = numericCells(bytes);
  const byAddress = new Map(cells.map((n) => [`${n.sheet}!${XLSX.utils.encode_cell(n)}`, n]));
  const misread: string[] = [];
  const right = new Set<string>();
  for (const [address, cell] of extracted) {
    const value = byAddress.get(address)?.value ?? null;
    // percent formats show 0.12 as 12%; "#,##0.00,," shows 2,991,237 as 2.99 (under "Total waiting (mil)")
    const near = (scale: number) => value !== null && Math.abs(value * scale - cell.figure.value) <= 0.5 * 10 ** -cell.figure.decimals + 1e-9;
    if (near(1) || (cell.figure.unit === 'percent' && near(100)) || near(1e-3) || near(1e-6)) right.add(address);
    else misread.push(`${address}: read ${cell.figure.raw}, the workbook has ${value ?? 'no number'}`);
  }
  const groups = new Map<string, NumericCell[]>();
  let notData = 0;
  for (const n of cells) {
    if (right.has(`${n.sheet}!${XLSX.utils.encode_cell(n)}`)) continue;
    if (NOT_DATA.has(n.reason)) notData++;
    const key = `${n.sheet}\u0000${n.reason}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(n);
  }
  const unread = [...groups.entries()]
    .map(([key, list]): UnreadGroup => {
      const [sheet, reason] = key.split('\u0000') as [string, Reason];
      const ranges = addressRanges(list);
      return ranges.length > 50 ? { sheet, reason, count: list.length, cells: ranges.slice(0, 20), truncated: true } : { sheet, reason, count: list.length, cells: ranges };
    })
    .sort((a, b) => cmp(a.sheet, b.sheet) || cmp(a.reason, b.reason));
  const read = right.size;
  return { file, numeric: cells.length, read, notData, all: ratio(read, cells.length), data: ratio(read, cells.length - notData), unread, misread: misread.sort() };
}

/** Every real workbook extracted and measured, sorted by file. */
export async function realCoverage(dir = join(import.meta.dirname, 'fixtures', 'real')): Promise<Coverage[]> {
  const workbooks = (await readCorpus(dir)).documents.filter((d) => WORKBOOK.test(d.record.file));
  const out: Coverage[] = [];
  for (const d of workbooks) out.push(measureCoverage(d.record.file, d.bytes, await extractDocument(d.record, d.bytes)));
  return out.sort((a, b) => cmp(a.file, b.file));
}

/** Cells as rectangles: runs down a column, then runs of columns with the same rows ("C5:Q5", "A4:A11"). */
export function addressRanges(cells: ReadonlyArray<{ r: number; c: number }>): string[] {
  const byColumn = new Map<number, number[]>();
  for (const { r, c } of cells) {
    if (!byColumn.has(c)) byColumn.set(c, []);
    byColumn.get(c)!.push(r);
  }
  const runs: Array<{ r0: number; r1: number; c0: number; c1: number }> = [];
  for (const c of [...byColumn.keys()].sort((a, b) => a - b)) {
    for (const r of byColumn.get(c)!.sort((a, b) => a - b)) {
      const last = runs[runs.length - 1];
      if (last && last.c0 === c && last.r1 === r - 1) last.r1 = r;
      else runs.push({ r0: r, r1: r, c0: c, c1: c });
    }
  }
  const open = new Map<string, { r0: number; r1: number; c0: number; c1: number }>();
  const rects: Array<{ r0: number; r1: number; c0: number; c1: number }> = [];
  for (const run of runs) {
    const key = `${run.r0}:${run.r1}`;
    const rect = open.get(key);
    if (rect && rect.c1 === run.c0 - 1) rect.c1 = run.c0;
    else {
      const fresh = { ...run };
      rects.push(fresh);
      open.set(key, fresh);
    }
  }
  return rects
    .sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0)
    .map((x) => {
      const from = XLSX.utils.encode_cell({ r: x.r0, c: x.c0 });
      return x.r0 === x.r1 && x.c0 === x.c1 ? from : `${from}:${XLSX.utils.encode_cell({ r: x.r1, c: x.c1 })}`;
    });
}

/** Every address a range list covers. */
export function expandRanges(ranges: readonly string[]): string[] {
  const out: string[] = [];
  for (const range of ranges) {
    const { s, e } = XLSX.utils.decode_range(range);
    for (let r = s.r; r <= e.r; r++) for (let c = s.c; c <= e.c; c++) out.push(XLSX.utils.encode_cell({ r, c }));
  }
  return out;
}

export const CoverageReference = z.object({
  about: z.string(),
  files: z.array(
    z
      .object({
        file: z.string(),
        numeric: z.number().int(),
        read: z.number().int(),
        notData: z.number().int(),
        all: z.number(),
        data: z.number(),
        unread: z.array(z.object({ sheet: z.string(), reason: z.string(), count: z.number().int(), cells: z.array(z.string()), truncated: z.literal(true).optional() }).strict()),
      })
      .strict(),
  ),
});
export type CoverageReference = z.infer<typeof CoverageReference>;

export function readCoverageReference(path = COVERAGE_PATH): CoverageReference {
  return CoverageReference.parse(JSON.parse(readFileSync(path, 'utf8')));
}

export function coverageReference(coverage: Coverage[]): CoverageReference {
  return {
    about:
      'Numbers in the real workbooks (test/fixtures/real) that davs does not read as cells, per file, sheet and reason, as cell ranges (a long list: its count and first 20 ranges). ' +
      'all = read / every numeric cell; data = read / numeric cells that are data (not labels, headers or notes). Rewritten after a deliberate change by npx tsx test/real-coverage.ts; checked by extract/workbook/real.test.ts.',
    files: coverage.map(({ misread: _, ...c }) => ({ ...c, all: round(c.all), data: round(c.data) })),
  };
}

/**
 * Numbers not read now that the reference does not list as not read (by address, whatever the
 * reason; for a list kept as a count, how many more there are).
 */
export function newlyUnread(now: Coverage, reference: CoverageReference['files'][number] | undefined): string[] {
  const out: string[] = [];
  const listed = new Set<string>();
  const counted = new Map<string, number>();
  for (const g of reference?.unread ?? []) {
    if (g.truncated) counted.set(`${g.sheet}\u0000${g.reason}`, g.count);
    else for (const a of expandRanges(g.cells)) listed.add(`${g.sheet}!${a}`);
  }
  for (const g of now.unread) {
    const before = counted.get(`${g.sheet}\u0000${g.reason}`);
    if (before !== undefined) {
      if (g.count > before) out.push(`${g.sheet}: ${g.count - before} more "${g.reason}" (${g.count}, was ${before}), e.g. ${g.cells.slice(0, 5).join(' ')}`);
      continue;
    }
    const fresh = g.truncated ? [`${g.count} cells, e.g. ${g.cells.slice(0, 5).join(' ')}`] : expandRanges(g.cells).filter((a) => !listed.has(`${g.sheet}!${a}`));
    if (fresh.length > 0) out.push(`${g.sheet}: ${g.reason}: ${fresh.join(' ')}`);
  }
  return out;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reference as committed: one line per file's counts and per group of unread cells. */
export function formatCoverageReference(reference: CoverageReference): string {
  const files = reference.files.map(({ unread, ...counts }) => {
    const groups = unread.length === 0 ? '[]' : `[\n${unread.map((g) => `        ${JSON.stringify(g)}`).join(',\n')}\n      ]`;
    return `    ${JSON.stringify(counts).slice(0, -1)},\n      "unread": ${groups}}`;
  });
  return `{\n  "about": ${JSON.stringify(reference.about)},\n  "files": [\n${files.join(',\n')}\n  ]\n}\n`;
}

/** "ons-pfa….xlsx: 8,729 of 8,759 numeric cells read (99.66%); of the data cells 100.00%" */
export function describeCoverage(c: Pick<Coverage, 'file' | 'numeric' | 'read' | 'notData' | 'all' | 'data'>): string {
  return `${c.file}: ${c.read} of ${c.numeric} numeric cells read (${(100 * c.all).toFixed(2)}%); ${c.read} of ${c.numeric - c.notData} data cells (${(100 * c.data).toFixed(2)}%)`;
}

// `npx tsx test/real-coverage.ts` rewrites the reference after a deliberate change
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = await realCoverage();
  writeFileSync(COVERAGE_PATH, formatCoverageReference(coverageReference(all)));
  for (const c of all) process.stdout.write(`${describeCoverage(c)}${c.misread.length > 0 ? `; ${c.misread.length} misread` : ''}\n`);
}

/** A number between two words at the left of a row of figures ("E06000005 | 841 | Darlington | 100 | 15"): an old code, part of the row's name. */
function betweenLabels(filled: ReadonlyArray<{ c: number; value: number | null; text: boolean }>, c: number): boolean {
  const i = filled.findIndex((f) => f.c === c);
  const right = filled[i + 1];
  return i > 0 && filled[i - 1]!.text && right !== undefined && right.text && filled.slice(i + 2).some((f) => !f.text && f.value !== null);
}
