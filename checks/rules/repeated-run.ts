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
    const view = new TableView(subject);
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

/** The longest run of at least `min` consecutive values that occurs twice without overlapping. */
export function repeatedRun(cells: Entry[], min: number): [Entry[], Entry[]] | null {
  let best: [Entry[], Entry[]] | null = null;
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + min; j < cells.length; j++) {
      let k = 0;
      while (j + k < cells.length && i + k < j && cells[i + k]!.cell.figure.raw === cells[j + k]!.cell.figure.raw) k++;
      if (k < min || (best && k <= best[0].length)) continue;
      const run = cells.slice(i, i + k);
      const distinct = new Set(run.map((r) => r.cell.figure.value));
      const other = cells.slice(j, j + k);
      // a value is informative when it has two or more digits, is not a year, and is rare in the column
      // (at most once besides its copy); 80%, 80%, 84% in a column of 80/20 splits repeats by nature
      const occurrences = (v: number) => cells.filter((c) => c.cell.figure.value === v).length;
      const informative = run.filter((r) => Math.abs(r.cell.figure.value) >= 10 && !/^(19|20)\d\d$/.test(r.cell.figure.raw) && occurrences(r.cell.figure.value) <= 2).length;
      // the same labels in both runs: a block of the table repeated on purpose (a sub-table), not a slip
      const sameLabels = run.every((r, x) => r.row.label === other[x]!.row.label);
      if (distinct.size < 2 || informative < min || sameLabels) continue;
      best = [run, cells.slice(j, j + k)];
    }
  }
  return best;
}
