import { z } from 'zod';
import type { Figure } from '../../core/index.js';
import type { Cell, TableRow } from '../../extract/index.js';
import { defineCheck, type EvidenceDraft, type Outcome } from '../define.js';
import { contains, formatNumber, formatTolerance, intervalOf } from '../rounding.js';
import { TableView } from '../table-shape.js';

/**
 * A count over its base n rounds to the percentage stated beside it: 11 of 3,074 is 0.36%, shown
 * as "0%". The stated percentage stands for an interval (half a unit in its last place); the
 * computed one must fall inside it.
 *
 * When most of a column misses, the percentages were worked out on another base (the note under
 * some matrices says so): that is one warning for the column, with the base the figures imply,
 * not an error per cell.
 */
export const check = defineCheck({
  id: 'count-percent-base',
  title: 'Count over base rounds to the stated percentage',
  severity: 'error',
  describe: 'Each percentage equals its count divided by the base n, within the rounding of the percentage.',
  subjects: 'tables',
  params: z.object({
    majority: z.number().min(0).max(1).default(0.5).describe('Share of failing cells above which the base, not the cells, is taken to differ'),
  }),
  evaluate: (subject, params) => {
    const view = TableView.of(subject);
    const outcomes: Outcome[] = [];
    for (const column of view.table.columns) {
      const countColumn = view.pairedCountColumn(column.index);
      const base = view.baseOf(column.index);
      if (countColumn === null || !base || base.value <= 0) continue;
      const pairs: Array<{ row: TableRow; count: Cell; percent: Cell; computed: number }> = [];
      for (const { row, cell } of view.columnCells(column.index)) {
        if (cell.figure.unit !== 'percent' || row.role === 'statistic') continue;
        const count = view.cell(row.index, countColumn);
        if (!count || count.figure.unit !== 'count') continue;
        pairs.push({ row, count, percent: cell, computed: (count.figure.value / base.value) * 100 });
      }
      const failing = pairs.filter((p) => !contains(intervalOf(p.percent.figure), p.computed));
      for (let i = failing.length; i < pairs.length; i++) outcomes.push({ status: 'pass' }); // one per pair that fits
      if (failing.length === 0) continue;
      if (failing.length >= 2 && failing.length > params.majority * pairs.length) {
        const implied = median(failing.filter((p) => p.percent.figure.value > 0).map((p) => (p.count.figure.value / p.percent.figure.value) * 100));
        outcomes.push({
          status: 'fail',
          severity: 'warning',
          message: `${view.table.title}, column "${view.columnName(column.index)}": ${failing.length} of ${pairs.length} percentages do not follow from n = ${formatNumber(base.value, 0)}${implied ? `; they fit a base near ${formatNumber(implied, 0)}` : ''}. The percentages may use another base than the one stated`,
          expected: `count ÷ ${formatNumber(base.value, 0)}`,
          actual: `${failing.length} of ${pairs.length} cells differ`,
          tolerance: 'half a unit of each stated percentage',
          evidence: [...failing.map(({ row, percent }) => cellEvidence(view, row, percent, 'percent')), baseEvidence(view, base, `column "${view.columnName(column.index)}"`)],
          subject: { table: view.table.table_id, column: column.index, n: base.value, kind: 'column-base' },
        });
        continue;
      }
      for (const p of failing) {
        const d = Math.max(1, p.percent.figure.decimals + 1);
        outcomes.push({
          status: 'fail',
          message: `${view.table.title}, row "${p.row.label}", column "${view.columnName(column.index)}": ${p.count.figure.raw} of n = ${formatNumber(base.value, 0)} is ${formatNumber(p.computed, d)}%, not ${p.percent.figure.raw}${p.percent.figure.value > 0 ? `; ${p.percent.figure.raw} would fit a base near ${formatNumber((p.count.figure.value / p.percent.figure.value) * 100, 0)}` : ''}`,
          expected: `${formatNumber(p.computed, d)}%`,
          actual: p.percent.figure.raw,
          tolerance: formatTolerance(0.5 * 10 ** -p.percent.figure.decimals, p.percent.figure.decimals),
          evidence: [cellEvidence(view, p.row, p.count, 'count'), cellEvidence(view, p.row, p.percent, 'percent'), baseEvidence(view, base, `column "${view.columnName(column.index)}"`)],
          subject: { table: view.table.table_id, cells: [p.count.cell_id, p.percent.cell_id] },
        });
      }
    }
    return outcomes;
  },
});

/** Evidence of a table cell, with its cell_id and what it is to the check ('part', 'total', 'count', 'percent'…). */
export function cellEvidence(view: TableView, row: TableRow, cell: Cell, role: string): EvidenceDraft {
  return { ...view.evidence(row, cell), sourceKind: 'cell', sourceId: cell.cell_id, role };
}

/**
 * Evidence of the base n a table prints for a column ("n= 3074" in its header): not a cell, so no
 * source id; at the table's place, role 'base'.
 */
export function baseEvidence(view: TableView, base: Figure, where: string): EvidenceDraft {
  return { document: view.subject.document.document_id, locator: view.table.locator, excerpt: `${view.table.title} — ${where}: n = ${base.raw}`, value: base, role: 'base' };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
