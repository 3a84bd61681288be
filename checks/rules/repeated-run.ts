import { z } from 'zod';
import type { Cell, TableRow } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { TableView } from '../table-shape.js';

/**
 * A run of values in a column that repeats, value for value, further down the same column: the
 * mark of a copy-paste slip. The Insights 2019-20 report's "Abuse experienced in the past 12 months"
 * gives 27%, 66%, 79% for Sexual, Harassment and Jealous behaviour, and again for Forced marriage,
 * 'Honour'-based violence and FGM (whose own table says 1%, 4%, 1%).
 * A run counts only if it is unlikely to repeat by chance: at least `minRun` rows, at least two
 * different values, at least `minRun` informative values (two or more digits, not a year, found at
 * most twice in the column: single-digit shares and common splits recur by chance; on the bundled
 * corpus and the real workbooks anything weaker flagged chance repeats), and rows with other labels.
 */
export const check = defineCheck({
  id: 'repeated-run',
  title: 'A run of values is repeated in a column',
  severity: 'warning',
  describe: 'No run of three or more varied values in a column repeats, value for value, in other rows of the same column (a copy-paste slip).',
  subjects: 'tables',
  params: z.object({ minRun: z.number().int().min(2).default(3).describe('Fewest consecutive rows that make a run') }),
  evaluate: (subject, params) => {
    const view = TableView.of(subject);
    const outcomes: Outcome[] = [];
    for (const column of view.table.columns) {
      const cells = view.columnCells(column.index).filter(({ row }) => row.role !== 'statistic' && row.role !== 'heading');
      if (cells.length < 2 * params.minRun) continue;
      const found = repeatedRun(cells, params.minRun);
      if (!found) {
        outcomes.push({ status: 'pass' });
        continue;
      }
      const [a, b] = found;
      const values = a.map((p) => p.cell.figure.raw).join(', ');
      outcomes.push({
        status: 'fail',
        message: `${view.table.title}, column "${view.columnName(column.index)}": the values ${values} of ${labels(a)} appear again, in the same order, for ${labels(b)}; one of the two runs may have been copied in error`,
        expected: `values of ${labels(b)} of their own`,
        actual: values,
        tolerance: 'exact (the same printed values)',
        evidence: [...a, ...b].map(({ row, cell }) => view.evidence(row, cell)),
        subject: { table: view.table.table_id, column: column.index, cells: [...a, ...b].map((p) => p.cell.cell_id).sort() },
      });
    }
    return outcomes;
  },
});

type Entry = { row: TableRow; cell: Cell };

function labels(run: Entry[]): string {
  return `"${run[0]!.row.label}" to "${run[run.length - 1]!.row.label}"`;
}

/**
 * The longest run of at least `min` consecutive values that occurs twice without overlapping: of all
 * pairs of starts i < j (j at least `min` further on), the one whose run (the values equal from i and
 * from j, stopping where the first copy would reach j) is longest and passes the tests below; on a tie,
 * the first pair in (i, j) order.
 *
 * In linear time (up to a map of the values): comparing every pair of starts is quadratic, and with
 * long runs of one value (0% all down a column) cubic. A run passes only if it holds `min` informative
 * values, and an informative value is found at most twice in the column, so it is found exactly at
 * its place in the first copy and its place in the second, j − i further on. So only the offsets
 * j − i between the two places of an informative value can give a run, and at such an offset only
 * the stretch of equal values around those places: the stretches are read once each, and they
 * cannot run past another informative value (whose copy lies at another offset), so they add up to
 * no more than about twice the column.
 */
export function repeatedRun(cells: Entry[], min: number): [Entry[], Entry[]] | null {
  // (a run of fewer than one informative value could hold none, and the reading below needs one)
  if (!(min >= 1)) throw new RangeError(`a run is at least 1 row long, not ${min}`);
  const n = cells.length;
  const raw = cells.map((c) => c.cell.figure.raw);
  const value = cells.map((c) => c.cell.figure.value);
  const occurrences = new Map<number, number>();
  for (const v of value) occurrences.set(v, (occurrences.get(v) ?? 0) + 1);
  // a value is informative when it has two or more digits, is not a year, and is rare in the column
  // (at most once besides its copy); 80%, 80%, 84% in a column of 80/20 splits repeats by nature
  const informative = value.map((v, x) => Math.abs(v) >= 10 && !/^(19|20)\d\d$/.test(raw[x]!) && occurrences.get(v)! <= 2);
  const informativeBefore = new Int32Array(n + 1);
  for (let x = 0; x < n; x++) informativeBefore[x + 1] = informativeBefore[x]! + (informative[x] ? 1 : 0);
  // the first place after x holding another value: [i, i + k) holds two values or more when it is before i + k
  const nextOther = new Int32Array(n);
  for (let x = n - 1; x >= 0; x--) nextOther[x] = x + 1 >= n ? n : value[x + 1] !== value[x] ? x + 1 : nextOther[x + 1]!;
  // the first place of each informative value, by offset to its second place (printed the same)
  const firstPlace = new Map<number, number>();
  const byOffset = new Map<number, number[]>();
  for (let x = 0; x < n; x++) {
    if (!informative[x]) continue;
    const p = firstPlace.get(value[x]!);
    if (p === undefined) firstPlace.set(value[x]!, x);
    else if (raw[p] === raw[x]) {
      const list = byOffset.get(x - p);
      if (list) list.push(p);
      else byOffset.set(x - p, [p]);
    }
  }

  let best: { i: number; j: number; k: number } | null = null;
  const better = (i: number, j: number, k: number) => best === null || k > best.k || (k === best.k && (i < best.i || (i === best.i && j < best.j)));
  for (const [d, places] of byOffset) {
    if (d < min) continue;
    let covered = -1;
    for (const p of places) {
      if (p < covered) continue; // inside the stretch of the place before
      // the stretch [s, e) around p where each value equals the value d further on
      let s = p;
      while (s > 0 && raw[s - 1] === raw[s - 1 + d]) s--;
      let e = p;
      while (e + d < n && raw[e] === raw[e + d]) e++;
      covered = e;
      // rows whose label differs from the row d further on, counted from s
      const otherLabels = new Int32Array(e - s + 1);
      for (let x = s; x < e; x++) otherLabels[x - s + 1] = otherLabels[x - s]! + (cells[x]!.row.label !== cells[x + d]!.row.label ? 1 : 0);
      // the run from i is min(d, e − i) long: the first start that passes gives this stretch's longest
      for (let i = s; i < e; i++) {
        const k = Math.min(d, e - i);
        if (k < min || (best !== null && k < best.k)) break;
        if (informativeBefore[i + k]! - informativeBefore[i]! < min) continue;
        if (nextOther[i]! >= i + k) continue; // one value only
        if (otherLabels[i + k - s]! - otherLabels[i - s]! === 0) continue; // the same labels: a block repeated on purpose
        if (better(i, i + d, k)) best = { i, j: i + d, k };
        break;
      }
    }
  }
  if (best === null) return null;
  const { i, j, k } = best;
  return [cells.slice(i, i + k), cells.slice(j, j + k)];
}
