import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check, repeatedRun } from './repeated-run.js';

describe('repeated-run', () => {
  it('passes a column whose values do not repeat as a run', async () => {
    const r = await runFixture(check, 'repeated-run', 'pass');
    expect(r.summary.passed).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('flags 27%, 66%, 79% given again for three other rows, with both runs as evidence', async () => {
    const r = await runFixture(check, 'repeated-run', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.actual).toBe('27%, 66%, 79%');
    expect(r.findings[0]!.evidence.map((e) => e.where)).toEqual(['abuse.txt:L8', 'abuse.txt:L9', 'abuse.txt:L10', 'abuse.txt:L11', 'abuse.txt:L12', 'abuse.txt:L13']);
  });

  it('finds the run the pairwise definition finds (reference: every pair of starts compared), on random columns', () => {
    type Entry = Parameters<typeof repeatedRun>[0][number];
    // the definition, quadratic and worse: kept here as the oracle for the linear reading
    const reference = (cells: Entry[], min: number): [Entry[], Entry[]] | null => {
      let best: [Entry[], Entry[]] | null = null;
      for (let i = 0; i < cells.length; i++) {
        for (let j = i + min; j < cells.length; j++) {
          let k = 0;
          while (j + k < cells.length && i + k < j && cells[i + k]!.cell.figure.raw === cells[j + k]!.cell.figure.raw) k++;
          if (k < min || (best && k <= best[0].length)) continue;
          const run = cells.slice(i, i + k);
          const other = cells.slice(j, j + k);
          const occurrences = (v: number) => cells.filter((c) => c.cell.figure.value === v).length;
          const informative = run.filter((r) => Math.abs(r.cell.figure.value) >= 10 && !/^(19|20)\d\d$/.test(r.cell.figure.raw) && occurrences(r.cell.figure.value) <= 2).length;
          if (new Set(run.map((r) => r.cell.figure.value)).size < 2 || informative < min || run.every((r, x) => r.row.label === other[x]!.row.label)) continue;
          best = [run, other];
        }
      }
      return best;
    };
    let state = 7;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let found = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const n = Math.floor(next() * 40);
      const values = Array.from({ length: n }, () => Math.floor(next() * (1 + Math.floor(next() * 30))) * 7 + (next() < 0.05 ? 2000 : 0));
      if (n > 8 && next() < 0.7) {
        const len = 2 + Math.floor(next() * 6);
        const from = Math.floor(next() * (n - len));
        const to = Math.floor(next() * (n - len));
        for (let t = 0; t < len; t++) values[to + t] = values[from + t]!;
      }
      const cells = values.map((v, i) => ({
        row: { index: i, label: `row ${Math.floor(next() * 4)}` },
        cell: { cell_id: `c${i}`, figure: { raw: next() < 0.03 ? `${v}.0` : String(v), value: v } },
      })) as unknown as Entry[];
      const min = 2 + Math.floor(next() * 3);
      const ids = (r: [Entry[], Entry[]] | null) => r && r.map((run) => run.map((e) => e.cell.cell_id));
      const expected = reference(cells, min);
      if (expected) found++;
      expect(ids(repeatedRun(cells, min))).toEqual(ids(expected));
    }
    expect(found).toBeGreaterThan(100);
  });

  it('reads a column of 100,000 values, most of them alike, in one pass', () => {
    type Entry = Parameters<typeof repeatedRun>[0][number];
    const raws = Array.from({ length: 100000 }, (_, i) => (i % 1000 === 17 ? String(100000 + i) : i % 3 ? '0.0%' : '0.1%'));
    // the same three values at 50,000 and 90,000, each copy between values found nowhere else
    raws.splice(49999, 5, '999991', '111', '222', '333', '999992');
    raws.splice(89999, 5, '999993', '111', '222', '333', '999994');
    const cells = raws.map((raw, i) => ({ row: { index: i, label: `r${i}` }, cell: { cell_id: `c${i}`, figure: { raw, value: Number.parseFloat(raw) } } })) as unknown as Entry[];
    const found = repeatedRun(cells, 3);
    expect(found?.map((run) => run.map((e) => e.cell.figure.raw))).toEqual([['111', '222', '333'], ['111', '222', '333']]);
  });
});
