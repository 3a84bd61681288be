import { z } from 'zod';
import type { Figure } from '../../core/index.js';
import type { Cell, TableRow } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { IMPROBABLE_ROUNDING, weighable, contains, errorOf, formatNumber, gapProbability, intervalOf, roundingNote, withinRounding } from '../rounding.js';
import { TableView } from '../table-shape.js';
import { baseEvidence, cellEvidence } from './count-percent-base.js';

/**
 * The counts of a question's categories add up to its stated base n ("n= 3074"). Counts are exact,
 * so any gap is real; what it means depends on its direction:
 * - more than n by exactly one row's count: that row overlaps the others (an attribute such as
 *   "Total BME" or a sub-group, not a category) — a warning naming the row;
 * - more than n otherwise: a multi-response question, where answers overlap by design — undecided;
 * - percentages beside the counts that make 100% within their rounding (nonnegative shares: a 0%
 *   stands for [0, 0.5)) say the question is single-response, its categories exhaustive and
 *   exclusive: then any gap, over or under, is an error (n = 1,200, 50/30/20%, counts 602/360/240);
 *   unless the percentages are shares of the answers (count ÷ Σ counts) rather than of n, which is
 *   a multi-response question whose n counts respondents — undecided;
 * - otherwise less than n: undecided, since tables often leave out "Missing" or "Don't know";
 * - counts the table gives rounded (to 100, in thousands): a gap inside what rounding could do at
 *   worst passes, unless rounding alone makes one that large with probability below
 *   IMPROBABLE_ROUNDING (a warning); beyond it, undecided (a category may be left out).
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
        outcomes.push(judge(view, parts.map((cell) => ({ row, cell: cell! })), base, percents, `row "${row.label}"`));
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
        if (view.besideWithheld(parts, column.index)) {
          outcomes.push({ status: 'undecided', reason: 'a count of this column is withheld or unreadable ([c], "<5", ..): the counts shown are not all of them' });
          continue;
        }
        const percents = parts.map(({ row }) => (percentColumn ? view.cell(row.index, percentColumn.index) : undefined));
        outcomes.push(judge(view, parts, base, percents, `column "${view.columnName(column.index)}"`));
      }
    }
    return outcomes;
  },
});

function judge(view: TableView, parts: Array<{ row: TableRow; cell: Cell }>, base: Figure, percents: Array<Cell | undefined>, where: string): Outcome {
  const n = base.value;
  const sum = parts.reduce((s, p) => s + p.cell.figure.value, 0);
  if (sum === n) return { status: 'pass' };
  const evidence = [...parts.map(({ row, cell }) => cellEvidence(view, row, cell, 'part')), baseEvidence(view, base, where)];
  const subject = { table: view.table.table_id, cells: parts.map((p) => p.cell.cell_id).sort(), n };
  // counts the table gives rounded (to 100, in thousands, as estimates) carry that rounding, and so does n
  const rounding = parts.reduce((most, p) => Math.max(most, view.countRounding(p.cell.column_index)), 0);
  if (rounding > 0) {
    const errors = [...parts.map((p) => errorOf(p.cell.figure, { extra: rounding })), { low: -rounding, high: rounding }];
    const gap = n - sum;
    if (withinRounding(gap, errors)) {
      if (gapProbability(gap, errors) >= IMPROBABLE_ROUNDING || !weighable(parts.map((p) => p.cell.figure), rounding) || n < 20 * rounding) return { status: 'pass' };
      return {
        status: 'fail',
        severity: 'warning',
        message: `${view.table.title}, ${where}: the counts (rounded to ${formatNumber(2 * rounding, 0)}) add up to ${formatNumber(sum, 0)} against n = ${formatNumber(n, 0)}; ${roundingNote(gap, errors, 0)} (below ${IMPROBABLE_ROUNDING})`,
        expected: `n = ${formatNumber(n, 0)}`,
        actual: formatNumber(sum, 0),
        tolerance: `± ${formatNumber((parts.length + 1) * rounding, 0)} (counts rounded: ± ${rounding} each)`,
        evidence,
        subject,
      };
    }
    return { status: 'undecided', reason: 'rounded counts miss n by more than their rounding: a category may be left out or answers overlap' };
  }
  const common = { expected: `n = ${formatNumber(n, 0)}`, actual: formatNumber(sum, 0), tolerance: 'exact (counts are not rounded)', evidence, subject };
  // more than n by exactly one row's count: that row overlaps the others (an attribute, not a category)
  const overlap = sum > n ? parts.filter((p) => p.cell.figure.value === sum - n) : [];
  if (overlap.length === 1) {
    return {
      status: 'fail',
      severity: 'warning',
      message: `${view.table.title}, ${where}: the counts add up to ${formatNumber(sum, 0)}, ${formatNumber(sum - n, 0)} more than n = ${formatNumber(n, 0)}: exactly the count of "${overlap[0]!.row.label}" (${overlap[0]!.cell.figure.raw}). That row looks like an overlapping attribute rather than a category, or is counted twice`,
      ...common,
    };
  }
  // Percentages that make 100% within their rounding (and not improbably: a miss rounding alone makes
  // with probability below IMPROBABLE_ROUNDING is no proof) say the categories are exhaustive and
  // exclusive (single-response): the counts must then make n exactly, over or under. Unless the
  // percentages are shares of the answers (count ÷ their sum), not of n: then n counts respondents.
  const shown = percents.every((p) => p && p.figure.unit === 'percent') ? percents.map((p) => p!.figure) : null;
  const percentSum = shown ? shown.reduce((s, f) => s + f.value, 0) : null;
  const percentErrors = shown?.map((f) => errorOf(f, { nonNegative: true })) ?? [];
  const single = shown !== null && withinRounding(100 - percentSum!, percentErrors) && gapProbability(100 - percentSum!, percentErrors) >= IMPROBABLE_ROUNDING;
  if (single) {
    const fits = (base: number) => shown!.every((f, i) => contains(intervalOf(f), (parts[i]!.cell.figure.value / base) * 100));
    if (!fits(n) && fits(sum)) return { status: 'undecided', reason: 'the percentages are shares of the answers given, not of n: respondents may give several' };
    // percentages nearer what the counts make of n (103.2% for 806 of 781) than to 100% (102%, not
    // 100%) are what a question with a few overlapping answers prints: they do not prove it single-response
    if (sum > n && Math.abs(percentSum! - (sum / n) * 100) < Math.abs(percentSum! - 100)) {
      return { status: 'undecided', reason: 'the percentages add up nearer to what the counts make of n than to 100%: answers may overlap' };
    }
    const gap = sum - n;
    return {
      status: 'fail',
      message:
        `${view.table.title}, ${where}: the counts add up to ${formatNumber(sum, 0)}, ${formatNumber(Math.abs(gap), 0)} ${gap > 0 ? 'more than' : 'short of'} n = ${formatNumber(n, 0)} (${formatNumber((Math.abs(gap) / n) * 100, (Math.abs(gap) / n) * 100 < 0.1 ? 2 : 1)}% of n), ` +
        `yet their percentages make ${formatNumber(percentSum!, shown!.reduce((most, f) => Math.max(most, f.decimals), 0))}%: the categories are exhaustive and exclusive (single-response), so their counts must make n exactly`,
      ...common,
    };
  }
  if (sum > n) return { status: 'undecided', reason: 'counts exceed n: a multi-response question' };
  return { status: 'undecided', reason: 'counts fall short of n and no percentages making 100% show the categories are complete: a category may not be shown' };
}
