import { z } from 'zod';
import { LabelIndex, totalSubject, type Cell, type TableRow } from '../../extract/index.js';
import { clipAtWord } from '../text.js';
import { defineCheck, type Outcome } from '../define.js';
import { IMPROBABLE_ROUNDING, weighable, decimalsOf, errorOf, errorRange, formatNumber, formatTolerance, gapProbability, intervalOf, overlaps, roundingNote, sumInterval, sumValues, withinRounding } from '../rounding.js';
import { ADDITIVE_UNITS, CATCH_ALL, TableView } from '../table-shape.js';
import { cellEvidence } from './count-percent-base.js';

/**
 * A total equals the sum of its components: a table's total row ("Total", "England and Wales")
 * against its category rows, and a total-labelled parent ("Total LBG") against its marked child
 * rows, a "Total X" row against the rows that name X ("Total Agree" = "Strongly agree" + "Agree"),
 * a single total column ("Total Used") against the other columns of its row, and subtotals the
 * layout does not mark (regions above their police forces), found by TableView.implicitSubtotals.
 * Only additive units (counts, FTE, money): a total percentage or rate is not a sum.
 * Exact for counts; for rounded figures (FTE shown to whole numbers) each part and the total may
 * be off by half a unit. When the total row cites a footnote that explains the difference
 * ("lower than the sum … as some services worked across regions"), the finding is a warning quoting it.
 */
export const check = defineCheck({
  id: 'total-equals-sum',
  title: 'Total equals the sum of its components',
  severity: 'error',
  describe: 'A total row, or a total-labelled parent row, equals the sum of the rows it totals, within rounding.',
  subjects: 'tables',
  params: z.object({ minParts: z.number().int().min(2).default(2).describe('Fewest components that make a sum') }),
  evaluate: (subject, params) => {
    const view = TableView.of(subject);
    const outcomes: Outcome[] = [];
    const components = view.componentRows();
    // subtotals the layout does not mark: each is judged against its own parts, and a grand total
    // against the top-level rows only (rows inside another's span are not its components)
    const implicit = view.implicitSubtotals();
    const inside = new Set(implicit.flatMap((s) => s.parts.map((p) => p.index)));
    const implicitTotals = new Set(implicit.map((s) => s.row.index));
    // the components naming a "Total X" row's X, found through an index of their labels (not by
    // testing every component for every such row)
    const componentLabels = new LabelIndex(components.map((r) => r.label));
    const naming = (total: TableRow) => componentLabels.naming(totalSubject(total.label)!).map((i) => components[i]!).filter((r) => r.index !== total.index);
    const targets: Array<{ total: TableRow; parts: readonly TableRow[]; implicit?: boolean }> = [
      ...implicit.map(({ row, parts }) => ({ total: row, parts, implicit: true })),
      ...view
        .totalRows()
        .filter((total) => !implicitTotals.has(total.index))
        .map((total) => ({ total, parts: components.filter((r) => r.index !== total.index && !inside.has(r.index)) })),
      ...view.table.rows.filter((r) => r.role === 'subtotal' && view.children(r).length > 0).map((total) => ({ total, parts: view.children(total) })),
      ...view.table.rows
        .filter((r) => r.role === 'subtotal' && view.children(r).length === 0 && totalSubject(r.label) !== null)
        .map((total) => ({ total, parts: naming(total) })),
    ];
    // a total column ("Total Used") against the other columns of the same unit, row by row
    const totalColumns = view.table.columns.filter((c) => { const last = c.header_path[c.header_path.length - 1]; return last !== undefined && /^totals?\b/i.test(last); });
    if (totalColumns.length === 1) {
      const totalColumn = totalColumns[0]!;
      const others = view.table.columns.filter((c) => c.index !== totalColumn.index && c.period === totalColumn.period);
      const rows: Array<{ row: TableRow; totalCell: Cell; partCells: Array<{ row: TableRow; cell: Cell }> }> = [];
      for (const row of view.table.rows) {
        if (row.role === 'statistic' || row.role === 'heading') continue;
        const totalCell = view.cell(row.index, totalColumn.index);
        if (!totalCell || !ADDITIVE_UNITS.has(totalCell.figure.unit)) continue;
        const partCells = others.flatMap((c) => {
          const cell = view.cell(row.index, c.index);
          return cell && cell.figure.unit === totalCell.figure.unit ? [{ row, cell }] : [];
        });
        // a part shown as shorthand ([c], [x]) has a value the table does not give: the sum cannot be checked
        if (others.some((c) => view.withheld(row.index, c.index))) {
          outcomes.push({ status: 'undecided', reason: 'a part of this row is withheld ([c], [x], ..)' });
          continue;
        }
        if (partCells.length >= params.minParts) rows.push({ row, totalCell, partCells });
      }
      // "Total Income" beside "Gross" and "Net" is a measure, not the total of its neighbours: the
      // other columns are taken as its parts only if they add up to it in at least half the rows
      // (as rows are for a total row), and the rows where they do not are then the findings
      // (rows of zeros say nothing either way)
      const telling = rows.filter(({ totalCell, partCells }) => totalCell.figure.value !== 0 || partCells.some((p) => p.cell.figure.value !== 0));
      const closes = telling.filter(({ totalCell, partCells }) => overlaps(sumInterval(partCells.map((p) => p.cell.figure)), intervalOf(totalCell.figure))).length;
      if (telling.length >= 3 && closes < telling.length / 2) rows.forEach(() => outcomes.push({ status: 'undecided', reason: 'the other columns do not add up to this total column in most rows: they are not (all) its parts' }));
      else for (const { row, totalCell, partCells } of rows) outcomes.push(judge(view, row, totalCell, partCells, `row "${row.label}"`));
    }
    // a parent that is not labelled as a total ("Yes" over "┆ Yes, DA by the same partner", …): its
    // children may overlap, so they are only recognised: equal is a pass, anything else undecided
    for (const parent of view.table.rows.filter((r) => r.role === 'category' && view.children(r).length > 0)) {
      for (const column of view.table.columns) {
        const parentCell = view.cell(parent.index, column.index);
        if (!parentCell || !ADDITIVE_UNITS.has(parentCell.figure.unit)) continue;
        const sum = view.children(parent).reduce((s, r) => s + (view.cell(r.index, column.index)?.figure.value ?? 0), 0);
        outcomes.push(
          sum === parentCell.figure.value
            ? { status: 'pass' }
            : { status: 'undecided', reason: sum > parentCell.figure.value ? 'children overlap (a client can be in several)' : 'children do not cover the parent' },
        );
      }
    }
    for (const { total, parts: listed, implicit: inferred } of targets) {
      const parts = sameLevel(view, listed);
      const sums: Array<{ totalCell: Cell; partCells: Array<{ row: TableRow; cell: Cell }>; withheld: boolean }> = [];
      for (const column of view.table.columns) {
        const totalCell = view.cell(total.index, column.index);
        if (!totalCell || !ADDITIVE_UNITS.has(totalCell.figure.unit)) continue;
        const partCells = parts.flatMap((row) => {
          const cell = view.cell(row.index, column.index);
          return cell && cell.figure.unit === totalCell.figure.unit ? [{ row, cell }] : [];
        });
        if (partCells.length >= params.minParts) sums.push({ totalCell, partCells, withheld: parts.some((row) => view.withheld(row.index, column.index)) });
      }
      // Whether the other rows really are this total's components cannot always be read off the
      // layout (country, regions and forces nest without markers; a "TOTAL" row may close a block).
      // With three or more columns, the rows are taken as components only if they add up to the
      // total in at least half of them, and the columns that do not are the findings. With fewer,
      // rows adding up to half as much again as the total in most columns are taken to nest.
      const closes = sums.filter(({ totalCell, partCells }) => overlaps(sumInterval(partCells.map((p) => p.cell.figure)), intervalOf(totalCell.figure))).length;
      const nested = sums.filter(({ totalCell, partCells }) => totalCell.figure.value > 0 && partCells.reduce((s, p) => s + p.cell.figure.value, 0) >= 1.5 * totalCell.figure.value).length;
      if ((sums.length >= 3 && closes < sums.length / 2) || (sums.length > 0 && sums.length < 3 && nested > sums.length / 2)) {
        sums.forEach(() => outcomes.push({ status: 'undecided', reason: 'the other rows do not add up to this total in most columns: they are not (all) its components' }));
        continue;
      }
      // a part shown as shorthand ([c], [x]) has a value the table does not give: that column's sum cannot be checked
      for (const { totalCell, partCells, withheld } of sums) {
        outcomes.push(withheld ? { status: 'undecided', reason: 'a part of this column is withheld ([c], [x], ..)' } : judge(view, total, totalCell, partCells, `column "${view.columnName(totalCell.column_index)}"`, inferred === true));
      }
    }
    return outcomes;
  },
});

/**
 * Parts listed at two levels without markers ("No identified SEN | Total with SEN | with statements |
 * SEN support", the last two being the items of "Total with SEN") are summed at one level: a part
 * labelled "Total X" or "All X" that equals the sum of the parts right after it, in most of the
 * additive columns where it has a figure, stands for them, and they are left out.
 */
function sameLevel(view: TableView, parts: readonly TableRow[]): readonly TableRow[] {
  const columns = view.table.columns.map((c) => c.index);
  const kept: TableRow[] = [];
  for (let i = 0; i < parts.length; i++) {
    const head = parts[i]!;
    kept.push(head);
    if (totalSubject(head.label) === null) continue;
    const own = columns.filter((c) => view.additiveFigure(head, c) !== null);
    if (own.length === 0) continue;
    // the sum of the parts after the head so far, each column as an interval (kept running: one pass)
    const sums = new Map(own.map((c) => [c, { low: 0, high: 0, parts: 0 }]));
    for (let j = i + 1; j < parts.length && totalSubject(parts[j]!.label) === null; j++) {
      for (const c of own) {
        const f = view.additiveFigure(parts[j]!, c);
        if (!f) continue;
        const sum = sums.get(c)!;
        const interval = intervalOf(f);
        sum.low += interval.low;
        sum.high += interval.high;
        sum.parts++;
      }
      if (j === i + 1) continue;
      const agree = own.filter((c) => sums.get(c)!.parts >= 2 && overlaps(sums.get(c)!, intervalOf(view.additiveFigure(head, c)!))).length;
      if (agree > own.length / 2) {
        i = j; // the items of "Total X": summed through it
        break;
      }
    }
  }
  return kept;
}

function judge(view: TableView, total: TableRow, totalCell: Cell, parts: Array<{ row: TableRow; cell: Cell }>, where: string, implicit = false): Outcome {
  const figures = parts.map((p) => p.cell.figure);
  // counts the table gives as estimates, in thousands or rounded to 100 carry that rounding
  const rounding = view.countRounding(totalCell.column_index);
  // the gap stated − Σ shown equals Σ (parts' errors) − (total's error); counts and FTE cannot be negative
  const totalError = errorOf(totalCell.figure, { extra: rounding });
  const errors = [...figures.map((f) => errorOf(f, { extra: rounding })), { low: -totalError.high, high: -totalError.low }];
  const d = decimalsOf([...figures, totalCell.figure]);
  const sumValue = sumValues(figures);
  const gap = totalCell.figure.value - figures.reduce((s, f) => s + f.value, 0);
  const rounded = errors.some((e) => e.high - e.low > 0);
  const inside = withinRounding(gap, errors);
  const probability = gapProbability(gap, errors);
  if (inside && (!rounded || probability >= IMPROBABLE_ROUNDING || !weighable([...figures, totalCell.figure], rounding))) return { status: 'pass' };
  const explanation = view.citedNotes(total).find((n) => /\bsum\b|\btotals?\b|round|differ/i.test(n));
  // parts short of their total, where no part catches the rest (Other, Not stated, Unknown…), are the
  // usual categories a table leaves out: a warning that says so, never an error
  const across = parts.every((p) => p.row.index === total.index);
  const partNames = parts.map((p) => (across ? view.columnName(p.cell.column_index) : p.row.label));
  const shortOfTotal = gap > 0 && !inside && !partNames.some((name) => CATCH_ALL.test(name));
  const range = errorRange(errors);
  const halfWidth = (range.high - range.low) / 2;
  return {
    status: 'fail',
    ...(explanation || implicit || inside || shortOfTotal ? { severity: 'warning' as const } : {}),
    message:
      `${view.table.title}, ${where}: the total ${totalCell.figure.raw} ("${total.label}" × "${view.columnName(totalCell.column_index)}") differs from the sum of its ${parts.length} components, ${formatNumber(sumValue, d)}` +
      (rounded ? `; ${weighable([...figures, totalCell.figure], rounding) ? roundingNote(gap, errors, d) : `rounding alone gives at worst ${formatTolerance(halfWidth, d)}, so cannot explain it`}` : '') +
      (inside ? ` (inside the worst case, but improbable: below ${IMPROBABLE_ROUNDING})` : '') +
      (explanation ? `; the table's note explains: “${clipAtWord(explanation, 160)}”` : '') +
      (shortOfTotal && !explanation ? `; the parts fall ${formatNumber(gap, d)} short and none of them is a catch-all (Other, Not stated, Unknown), so the total may include a category the table does not show` : '') +
      (implicit ? ` (the rows it totals are not marked: they were read as its components because they add up to it in most columns)` : ''),
    expected: formatNumber(sumValue, d),
    actual: totalCell.figure.raw,
    tolerance: rounding > 0 ? `${formatTolerance(halfWidth, d)} (counts rounded: ± ${rounding} each)` : formatTolerance(halfWidth, d),
    evidence: [cellEvidence(view, total, totalCell, 'total'), ...parts.map(({ row, cell }) => cellEvidence(view, row, cell, 'part'))],
    subject: { table: view.table.table_id, total: totalCell.cell_id, parts: parts.map((p) => p.cell.cell_id).sort() },
  };
}
