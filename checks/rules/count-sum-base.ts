import { z } from 'zod';
import type { Cell, TableRow } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { formatNumber } from '../rounding.js';
import { TableView } from '../table-shape.js';

/**
 * The counts of a question's categories add up to its stated base n ("n= 3074"). Counts are exact,
 * so any gap is real; what it means depends on its direction:
 * - more than n by exactly one row's count: that row overlaps the others (an attribute such as
 *   "Total BME" or a sub-group, not a category) — a warning naming the row;
 * - more than n otherwise: a multi-response question, where answers overlap by design — undecided;
 * - less than n: an error only when the percentages beside the counts make 100% and the missing
 *   share is more than their rounding could hide (so the categories shown are complete and a count
 *   is wrong); otherwise undecided, since tables often leave out "Missing" or "Don't know".
 * Read down a count column, or across sibling count columns of one row ("High | Moderate | …").
 */
export const check = defineCheck({
  id: 'count-sum-base',
  title: 'Counts add up to the stated base n',
  severity: 'error',
  describe: 'The counts of the categories of a question add up to the base n stated for it.',
  subjects: 'tables',
  params: z.object({}),
  evaluate: (subject) => {
    const view = TableView.of(subject);
    const outcomes: Outcome[] = [];
    const handled = new Set<number>();
    for (const columns of view.siblingColumns('count')) {
      const base = view.baseOf(columns[0]!);
      if (!base) continue;
      const across = (row: TableRow) => columns.map((c) => view.cell(row.index, c));
      const components = new Set(view.componentRows().map((r) => r.index));
      const orientation = view.orientation(
        columns,
        (row) => {
          const cells = across(row);
          return !components.has(row.index) || cells.some((c) => !c) ? null : cells.reduce((s, c) => s + c!.figure.value, 0) === base.value;
        },
        (column) => view.runsDown(column, 'count').filter((run) => run.length >= 2).map((run) => run.reduce((s, p) => s + p.cell.figure.value, 0) === (view.baseOf(column)?.value ?? base.value)),
      );
      if (orientation === 'columns') continue;
      columns.forEach((c) => handled.add(c));
      if (orientation === null) {
        outcomes.push({ status: 'undecided', reason: 'neither the rows nor the columns of these counts add up to n' });
        continue;
      }
      for (const row of view.componentRows()) {
        const parts = across(row);
        if (parts.some((p) => !p || p.figure.unit !== 'count')) continue;
        const percents = columns.map((c) => (view.pairedCountColumn(c + 1) === c ? view.cell(row.index, c + 1) : undefined));
        outcomes.push(judge(view, parts.map((cell) => ({ row, cell: cell! })), base.value, percents, `row "${row.label}"`));
      }
    }
    for (const column of view.table.columns) {
      if (handled.has(column.index) || view.columnUnit(column.index) !== 'count') continue;
      const base = view.baseOf(column.index);
      if (!base) continue;
      // the percentage column paired with this count column: only the one to its right can be
      const next = view.table.columns[column.index + 1];
      const percentColumn = next && view.pairedCountColumn(next.index) === column.index ? next : undefined;
      for (const parts of view.runsDown(column.index, 'count')) {
        if (parts.length < 2) continue;
        const percents = parts.map(({ row }) => (percentColumn ? view.cell(row.index, percentColumn.index) : undefined));
        outcomes.push(judge(view, parts, base.value, percents, `column "${view.columnName(column.index)}"`));
      }
    }
    return outcomes;
  },
});

function judge(view: TableView, parts: Array<{ row: TableRow; cell: Cell }>, n: number, percents: Array<Cell | undefined>, where: string): Outcome {
  const sum = parts.reduce((s, p) => s + p.cell.figure.value, 0);
  if (sum === n) return { status: 'pass' };
  const evidence = parts.map(({ row, cell }) => view.evidence(row, cell));
  const subject = { table: view.table.table_id, cells: parts.map((p) => p.cell.cell_id).sort(), n };
  const common = { expected: `n = ${formatNumber(n, 0)}`, actual: formatNumber(sum, 0), tolerance: 'exact (counts are not rounded)', evidence, subject };
  if (sum > n) {
    const overlap = parts.filter((p) => p.cell.figure.value === sum - n);
    if (overlap.length !== 1) return { status: 'undecided', reason: 'counts exceed n: a multi-response question' };
    return {
      status: 'fail',
      severity: 'warning',
      message: `${view.table.title}, ${where}: the counts add up to ${formatNumber(sum, 0)}, ${formatNumber(sum - n, 0)} more than n = ${formatNumber(n, 0)}: exactly the count of "${overlap[0]!.row.label}" (${overlap[0]!.cell.figure.raw}). That row looks like an overlapping attribute rather than a category, or is counted twice`,
      ...common,
    };
  }
  // A shortfall is only a discrepancy when the percentages prove the categories shown are complete:
  // they make 100% and the missing share is larger than their rounding could hide.
  const percentSum = percents.every((p) => p && p.figure.unit === 'percent') ? percents.reduce((s, p) => s + p!.figure.value, 0) : null;
  const slack = percents.reduce((s, p) => s + (p ? 0.5 * 10 ** -p.figure.decimals : 0), 0);
  const gapPercent = ((n - sum) / n) * 100;
  if (percentSum === null || Math.abs(percentSum - 100) > slack || gapPercent <= slack) {
    return { status: 'undecided', reason: 'counts fall short of n: a category may not be shown' };
  }
  return {
    status: 'fail',
    message: `${view.table.title}, ${where}: the counts add up to ${formatNumber(sum, 0)}, ${formatNumber(n - sum, 0)} short of n = ${formatNumber(n, 0)} (${formatNumber(gapPercent, 1)}% of n), yet their percentages make ${formatNumber(percentSum, 0)}%`,
    ...common,
  };
}
