import { z } from 'zod';
import type { Cell, TableRow } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { contains, errorOf, formatNumber, intervalOf, withinRounding } from '../rounding.js';
import { TableView } from '../table-shape.js';
import { cellEvidence } from './count-percent-base.js';

/**
 * GRIM, generalised: where a table gives counts and their percentages but prints no base n, each
 * (count, %) pair still bounds n. A percentage p shown to a unit u stands for [p − u/2, p + u/2], so
 * count ÷ n × 100 falls in it only for whole n from ⌈count × 100 ÷ (p + u/2)⌉ to
 * ⌊count × 100 ÷ (p − u/2)⌋ (no upper bound when p − u/2 ≤ 0; a count the table rounds widens the
 * interval by its rounding). Pairs that share one base must have an n in common: when their
 * intervals have none, the table cannot be right (counts 900, 240, 30 shown as 75%, 20%, 5%: 75%
 * needs n in 1,193–1,208, 5% needs n in 546–666).
 *
 * Which pairs share a base: a count column and the percentage column beside it with the same
 * heading but for the unit word (TableView.pairedCountColumn, as count-percent-base pairs them),
 * read down a run of category rows, and only when the run's percentages make 100% within their
 * rounding — a distribution of one whole. A total row shown as 100% joins its run. Percentage
 * changes, rates and columns whose percentages do not make 100% (multi-response questions, each
 * row's share of its own total) may not share a base: undecided, never a finding; so is a column where
 * a child row (└ …) allows no base its parent allows, which shows the rows use bases of their own. Columns with a
 * printed base are count-percent-base's.
 */
export const check = defineCheck({
  id: 'inferred-base',
  title: 'Counts and percentages allow a common base',
  severity: 'error',
  describe: 'Where no base n is printed, the bases each (count, rounded percentage) pair allows have an n in common for pairs of one distribution.',
  subjects: 'tables',
  params: z.object({ minPairs: z.number().int().min(2).default(2).describe('Fewest pairs that make a comparison') }),
  evaluate: (subject, params) => {
    const view = TableView.of(subject);
    const outcomes: Outcome[] = [];
    const notShares = (text: string) => /\bchange|growth|increase|decrease|difference|rate\b|\bof all\b|\bper\b/i.test(text);
    for (const column of view.table.columns) {
      if (view.columnUnit(column.index) !== 'percent') continue;
      const countColumn = view.pairedCountColumn(column.index);
      if (countColumn === null || view.baseOf(column.index)) continue;
      if (notShares(column.header_path.join(' ')) || notShares(view.table.columns[countColumn]!.header_path.join(' '))) {
        outcomes.push({ status: 'undecided', reason: 'the percentages are changes or rates, not shares of one base' });
        continue;
      }
      const rounding = view.countRounding(countColumn);
      const runs = view.runsDown(column.index, 'percent').filter((run) => run.length >= params.minPairs);
      const totals = view
        .totalRows()
        .map((row) => ({ row, cell: view.cell(row.index, column.index) }))
        .filter((t): t is { row: TableRow; cell: Cell } => t.cell !== undefined && t.cell.figure.unit === 'percent' && contains(intervalOf(t.cell.figure), 100));
      for (const run of runs) {
        const shares = run.map((p) => p.cell.figure);
        if (!withinRounding(100 - shares.reduce((s, f) => s + f.value, 0), shares.map((f) => errorOf(f, { nonNegative: true })))) {
          outcomes.push({ status: 'undecided', reason: 'the percentages do not make 100%: they may not share one base (multi-response, or shares of each row)' });
          continue;
        }
        const members = runs.length === 1 && totals.length === 1 ? [...run, totals[0]!] : run;
        const pairs = members.flatMap(({ row, cell }) => {
          const count = view.cell(row.index, countColumn);
          return count && count.figure.unit === 'count' ? [{ row, count, percent: cell, bases: basesAllowed(count.figure.value, rounding, cell) }] : [];
        });
        if (pairs.length < params.minPairs) continue;
        // a child row whose percentage allows no base its parent allows shows the column's rows are
        // shares of different bases (each row of its own group): then nothing here shares one base
        const runRows = new Set(run.map((p) => p.row.index));
        const mixed = view.table.rows.some((child) => {
          if (child.parent_index === null || !runRows.has(child.parent_index)) return false;
          const own = pairOf(view, child, column.index, countColumn, rounding);
          const parent = pairOf(view, view.table.rows.find((r) => r.index === child.parent_index)!, column.index, countColumn, rounding);
          return own !== null && parent !== null && (own.low > parent.high || parent.low > own.high);
        });
        if (mixed) {
          outcomes.push({ status: 'undecided', reason: 'a child row’s percentage is of another base than its parent’s: the rows are shares of different bases' });
          continue;
        }
        const low = Math.max(...pairs.map((p) => p.bases.low));
        const high = Math.min(...pairs.map((p) => p.bases.high));
        if (low <= high) {
          outcomes.push({ status: 'pass' });
          continue;
        }
        const narrowest = [...pairs].sort((a, b) => a.bases.high - b.bases.high)[0]!;
        const widest = [...pairs].sort((a, b) => b.bases.low - a.bases.low)[0]!;
        const show = (p: (typeof pairs)[number]) => `${p.count.figure.raw} (${p.percent.figure.raw}) needs n in ${formatBases(p.bases)}`;
        outcomes.push({
          status: 'fail',
          message:
            `${view.table.title}, column "${view.columnName(column.index)}": no base n is printed, and no n gives every count its percentage: ` +
            `${show(widest)}, but ${show(narrowest)}. Every pair: ${pairs.map((p) => `"${p.row.label}" ${formatBases(p.bases)}`).join('; ')}`,
          expected: 'one n within every pair’s interval',
          actual: `n ≥ ${formatNumber(low, 0)} and n ≤ ${formatNumber(high, 0)}`,
          tolerance: `half a unit of each stated percentage${rounding > 0 ? ` and ± ${rounding} of each count` : ''}`,
          evidence: pairs.flatMap(({ row, count, percent }) => [cellEvidence(view, row, count, 'count'), cellEvidence(view, row, percent, 'percent')]),
          subject: { table: view.table.table_id, cells: pairs.flatMap((p) => [p.count.cell_id, p.percent.cell_id]).sort() },
        });
      }
    }
    return outcomes;
  },
});

function pairOf(view: TableView, row: TableRow, column: number, countColumn: number, rounding: number): { low: number; high: number } | null {
  const percent = view.cell(row.index, column);
  const count = view.cell(row.index, countColumn);
  if (!percent || !count || percent.figure.unit !== 'percent' || count.figure.unit !== 'count') return null;
  return basesAllowed(count.figure.value, rounding, percent);
}

/** Whole bases n for which count ÷ n × 100 rounds to the percentage shown. */
export function basesAllowed(count: number, countRounding: number, percent: Cell): { low: number; high: number } {
  const { low: pLow, high: pHigh } = intervalOf(percent.figure);
  const cLow = Math.max(0, count - countRounding);
  const cHigh = count + countRounding;
  const low = pHigh <= 0 ? 1 : Math.max(1, Math.ceil((cLow * 100) / pHigh - 1e-9));
  const high = pLow <= 0 ? Number.POSITIVE_INFINITY : Math.floor((cHigh * 100) / pLow + 1e-9);
  return { low, high };
}

function formatBases({ low, high }: { low: number; high: number }): string {
  if (high === Number.POSITIVE_INFINITY) return `${formatNumber(low, 0)} or more`;
  if (high < low) return 'none';
  return `${formatNumber(low, 0)}–${formatNumber(high, 0)}`;
}
