import { z } from 'zod';
import type { Figure } from '../../core/index.js';
import { isPeriodText, type Cell, type TableRow } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { IMPROBABLE_ROUNDING, contains, decimalsOf, errorOf, errorRange, formatNumber, formatTolerance, gapProbability, intervalOf, roundingNote, sumInterval, sumValues, withinRounding } from '../rounding.js';
import { CATCH_ALL, TableView } from '../table-shape.js';
import { baseEvidence, cellEvidence } from './count-percent-base.js';

/**
 * The parts of a single-response percentage distribution add up to 100, allowing for rounding:
 * k parts shown to d decimals may miss by k × half a unit in the last place.
 *
 * A distribution is read down a percentage column (a run of category rows) or across sibling
 * percentage columns of one row ("High | Moderate | Standard | None"); which of the two, the data
 * decides (TableView.orientation). What the parts are decides what a miss means:
 * - the paired counts add up to the base n: single-response, so a miss is an error;
 * - the counts add up to more than n: a multi-response question ("Details of physical abuse"), not judged;
 * - the counts fall short of n: categories are left out, not judged;
 * - no counts: over 100 is undecided (multi-response or error, nothing tells); under 100 is a warning
 *   when the parts include a catch-all answer (Other, Missing, Don't know…) or most other
 *   distributions in the table close, and undecided otherwise (a list of attributes, not a
 *   distribution); under 50 is undecided (each category's own rate, not a share of one whole).
 * A column whose total row is not 100% holds rates (each region's share), not a distribution.
 */
export const check = defineCheck({
  id: 'percent-sum-100',
  title: 'Percentage distribution sums to 100',
  severity: 'error',
  describe: 'The parts of a single-response percentage distribution add up to 100%, within the rounding of the parts.',
  subjects: 'tables',
  params: z.object({ minParts: z.number().int().min(2).default(2).describe('Fewest parts that make a distribution') }),
  evaluate: (subject, params) => {
    const view = TableView.of(subject);
    const groups: Group[] = [];
    const outcomes: Outcome[] = [];
    const handled = new Set<number>();

    // percentage changes, growth and differences are not shares of a whole
    // ...nor are rates: each category's own share of itself ("Percentage of adults who were victims
    // once or more", "prevalence"), one per row, not shares of one whole
    const notShares = (text: string) => /\bchange|growth|increase|decrease|difference|rate\b|prevalence|\b(percentage|proportion|%) of (?:[a-z]+ ){0,3}?(who|that|victims?)\b|victims? once or more/i.test(text);
    // ...and so are percentages under a title that says "percentage change" whose columns name only a period
    const changeTable = notShares(`${view.table.title} ${view.table.subtitle ?? ''}`);
    for (const column of view.table.columns) {
      if (notShares(column.header_path.join(' ')) || (changeTable && column.header_path.length > 0 && column.header_path.every((p) => isPeriodText(p)))) handled.add(column.index);
    }
    for (const columns of view.siblingColumns('percent').map((g) => g.filter((c) => !handled.has(c))).filter((g) => g.length >= 2)) {
      const across = (row: TableRow) => columns.map((c) => view.cell(row.index, c));
      const orientation = view.orientation(
        columns,
        (row) => {
          const cells = across(row);
          return row.role === 'statistic' || cells.some((c) => !c || c.figure.unit !== 'percent') ? null : closes(cells.map((c) => c!.figure));
        },
        (column) => view.runsDown(column, 'percent').filter((run) => run.length >= params.minParts).map((run) => closes(run.map((p) => p.cell.figure))),
      );
      if (orientation === 'columns') continue;
      columns.forEach((c) => handled.add(c));
      if (orientation === null) {
        outcomes.push({ status: 'undecided', reason: 'neither the rows nor the columns of these percentages add up to 100%: not a distribution' });
        continue;
      }
      const countColumns = columns.map((c) => view.pairedCountColumn(c));
      for (const row of view.table.rows) {
        if (row.role === 'statistic' || row.role === 'heading') continue;
        const cells = across(row);
        if (cells.some((c) => !c || c.figure.unit !== 'percent') || cells.length < params.minParts) continue;
        const counts = countColumns.map((c) => (c === null ? undefined : view.cell(row.index, c)));
        groups.push({
          parts: cells.map((cell) => ({ row, cell: cell! })),
          labels: columns.map((c) => view.table.columns[c]!.header_path.join(' ')),
          shape: shapeFromCounts(counts, view.baseOf(columns[0]!)),
          counts,
          base: view.baseOf(columns[0]!),
          where: `row "${row.label}"`,
        });
      }
    }

    for (const column of view.table.columns) {
      if (handled.has(column.index)) continue;
      const total = view.totalRows().map((row) => view.cell(row.index, column.index)).find((cell) => cell?.figure.unit === 'percent');
      if (total && !contains(intervalOf(total.figure), 100)) continue; // a column of rates, not shares
      const countColumn = view.pairedCountColumn(column.index);
      for (const run of view.runsDown(column.index, 'percent')) {
        if (run.length < params.minParts) continue;
        if (view.besideWithheld(run, column.index)) {
          outcomes.push({ status: 'undecided', reason: 'a percentage of this column is withheld or unreadable ([c], [x], ..): the parts shown are not all of them' });
          continue;
        }
        const counts = countColumn === null ? [undefined] : run.map(({ row }) => view.cell(row.index, countColumn));
        groups.push({ parts: run, labels: run.map((p) => p.row.label), shape: shapeFromCounts(counts, view.baseOf(column.index)), counts, base: view.baseOf(column.index), where: `column "${view.columnName(column.index)}"` });
      }
    }

    // The same categories for another period share the shape their counts showed (2019 has no counts, 2020 does):
    // the shape of the first group over the same rows whose counts fall short of n or exceed it. (A group given
    // a shape here takes that same first group's, so it is the one shape every such group of those rows takes.)
    const rowsKey = (g: Group) => g.parts.map((p) => p.row.index).join(',');
    const shapeOfRows = new Map<string, Shape>();
    for (const g of groups) if ((g.shape === 'multi' || g.shape === 'incomplete') && !shapeOfRows.has(rowsKey(g))) shapeOfRows.set(rowsKey(g), g.shape);
    for (const group of groups) {
      if (group.shape !== 'unknown') continue;
      const known = shapeOfRows.get(rowsKey(group));
      if (known) group.shape = known;
    }
    const closing = groups.filter((g) => closes(g.parts.map((p) => p.cell.figure))).length;
    for (const group of groups) {
      const peersClose = groups.length > 1 && closing / groups.length >= 0.5;
      outcomes.push(judge(view, group, peersClose));
    }
    return outcomes;
  },
});

type Shape = 'single' | 'multi' | 'incomplete' | 'unknown';

interface Group {
  parts: Array<{ row: TableRow; cell: Cell }>;
  /** The category names of the parts (row labels, or column headers across a row). */
  labels: string[];
  shape: Shape;
  /** The counts beside the parts, where the table gives them, and the base n stated for them. */
  counts: Array<Cell | undefined>;
  base: Figure | null;
  where: string;
}


function closes(figures: Figure[]): boolean {
  return contains(sumInterval(figures), 100);
}

/** What the counts beside the percentages say about the distribution. */
function shapeFromCounts(counts: Array<Cell | undefined>, base: Figure | null): Shape {
  if (!base || counts.length === 0 || counts.some((c) => !c || c.figure.unit !== 'count')) return 'unknown';
  const sum = counts.reduce((s, c) => s + c!.figure.value, 0);
  if (sum === base.value) return 'single';
  return sum > base.value ? 'multi' : 'incomplete';
}

function followsFromCounts(group: Group): boolean {
  const counts = group.counts;
  if (counts.length !== group.parts.length || counts.some((c) => !c || c.figure.unit !== 'count')) return false;
  const fits = (base: number) => base > 0 && group.parts.every((p, i) => contains(intervalOf(p.cell.figure), (counts[i]!.figure.value / base) * 100));
  return fits(counts.reduce((s, c) => s + c!.figure.value, 0)) || (group.base !== null && fits(group.base.value));
}

function judge(view: TableView, group: Group, peersClose: boolean): Outcome {
  const { parts, shape } = group;
  if (shape === 'multi') return { status: 'undecided', reason: 'counts exceed n: a multi-response question' };
  // a share of a whole cannot be negative: these are changes or differences, not a distribution
  if (parts.some((p) => p.cell.figure.value < 0)) return { status: 'undecided', reason: 'a negative percentage: changes or differences, not shares of a whole' };
  const figures = parts.map((p) => p.cell.figure);
  // shares cannot be negative: a part shown as 0% stands for [0, ½ unit); 100% itself is exact
  const errors = figures.map((f) => errorOf(f, { nonNegative: true }));
  const gap = 100 - figures.reduce((s, f) => s + f.value, 0);
  const inside = withinRounding(gap, errors);
  const probability = gapProbability(gap, errors);
  if (inside && probability >= IMPROBABLE_ROUNDING) return { status: 'pass' };
  // an improbable gap is still rounding's when every percentage follows from its count (over n, or
  // over the counts' sum): what is known beats what is likely
  if (inside && followsFromCounts(group)) return { status: 'pass' };
  if (shape === 'incomplete') return { status: 'undecided', reason: 'counts fall short of n: not every category is shown' };
  if (shape === 'unknown' && gap < 0 && !inside) return { status: 'undecided', reason: 'parts exceed 100% and no counts show whether respondents could give several answers' };
  // parts adding to less than half of 100% with no counts to say otherwise are each category's own
  // rate ("% victims once or more": 1.2% of men, 3.4% of women), not shares of one whole
  if (shape === 'unknown' && gap > 50) return { status: 'undecided', reason: 'the percentages add up to less than half of 100%: rates of each category, not shares of one whole' };
  if (shape === 'unknown' && !peersClose && !group.labels.some((l) => CATCH_ALL.test(l))) {
    return { status: 'undecided', reason: `parts ${gap < 0 ? 'exceed' : 'fall short of'} 100% but nothing shows they are meant to cover every answer` };
  }
  const total = sumValues(figures);
  const d = decimalsOf(figures);
  const range = errorRange(errors);
  const halfWidth = (range.high - range.low) / 2;
  const note = roundingNote(gap, errors, d);
  return {
    status: 'fail',
    severity: shape === 'single' && !inside ? 'error' : 'warning',
    message: inside
      ? `${view.table.title}, ${group.where}: the ${parts.length} percentages add up to ${formatNumber(total, d)}%, inside what rounding could do at worst but not what it plausibly does: ${note} (below ${IMPROBABLE_ROUNDING}); a value may be wrong`
      : shape === 'single'
        ? `${view.table.title}, ${group.where}: the ${parts.length} percentages add up to ${formatNumber(total, d)}%, but their counts add up to n, so they should make 100%; ${note}`
        : `${view.table.title}, ${group.where}: the ${parts.length} percentages add up to ${formatNumber(total, d)}%, short of 100% by more than rounding allows; ${note}; a category may be missing or a value is wrong`,
    expected: '100%',
    actual: `${formatNumber(total, d)}%`,
    tolerance: formatTolerance(halfWidth, d),
    evidence: [...parts.map(({ row, cell }) => cellEvidence(view, row, cell, 'part')), ...(group.base ? [baseEvidence(view, group.base, group.where)] : [])],
    subject: { table: view.table.table_id, cells: parts.map((p) => p.cell.cell_id).sort() },
  };
}
