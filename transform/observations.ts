import { contentId, type Figure } from '../core/index.js';
import type { Cell, DocumentRecord, Extraction, Statement, Table } from '../extract/index.js';
import type { Observation } from './contracts.js';
import { findGeographies, geographyFor, geographyOfLabel } from './geography.js';
import type { MeasureDefinition } from './measures.js';

/** After a prose number: punctuation or a connecting word, i.e. the number names no noun of its own. */
const NO_OWN_NOUN = /^\s*(?:$|[,;:.)]|(?:in|on|at|during|over|for|compared|from|to|and|by|this|which|between|since|the previous)\b)/i;

function unitFits(figure: Figure, def: MeasureDefinition): boolean {
  return figure.unit === def.measure.unit || (def.measure.unit === 'fte' && figure.unit === 'count');
}

function asMeasureFigure(figure: Figure, def: MeasureDefinition): Figure {
  return { ...figure, unit: def.measure.unit };
}

/** The measure a prose number is a figure of, if it is one the catalogue knows. */
export function measureOfStatement(statement: Statement, defs: readonly MeasureDefinition[]): MeasureDefinition | null {
  const { sentence, figure, offset } = statement;
  const after = sentence.slice(offset + figure.raw.length);
  for (const def of defs) {
    if (!unitFits(figure, def) || !def.context.test(sentence)) continue;
    if (def.follows.test(after) && !def.exclude.test(after.slice(0, 60))) return def;
  }
  if (!NO_OWN_NOUN.test(after)) return null;
  // "increased by 122": a difference, not a level of the measure
  if (/\b(?:by|of)\s+$/i.test(sentence.slice(0, offset))) return null;
  for (const def of defs) {
    if (unitFits(figure, def) && def.subject.test(sentence) && !def.exclude.test(sentence)) return def;
  }
  return null;
}

export function measureOfCell(table: Table, cell: Cell, defs: readonly MeasureDefinition[]): MeasureDefinition | null {
  const row = table.rows[cell.row_index]!;
  const headers = cell.column_path;
  const labels = [row.label, ...headers];
  const context = [table.title, table.subtitle ?? '', ...labels].join(' ');
  for (const def of defs) {
    if (!unitFits(cell.figure, def)) continue;
    if (!labels.some((l) => def.label.test(l)) || !def.context.test(context)) continue;
    if (labels.some((l) => def.exclude.test(l))) continue;
    return def;
  }
  return null;
}

/**
 * The geography a whole table reports on: its subtitle, else its title, else the document's title,
 * else the geography most of the document's table titles name (an appendix workbook whose tables
 * are mostly "…, England and Wales").
 */
function tableGeography(table: Table, document: DocumentRecord, tables: readonly Table[]): string | null {
  for (const text of [table.subtitle ?? '', table.title, document.title]) {
    const found = new Set(findGeographies(text).map((g) => g.geography));
    if (found.size === 1) return [...found][0]!;
  }
  const counts = new Map<string, number>();
  for (const t of tables) for (const g of new Set(findGeographies(`${t.title} ${t.subtitle ?? ''}`).map((m) => m.geography))) counts.set(g, (counts.get(g) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const titled = tables.filter((t) => findGeographies(`${t.title} ${t.subtitle ?? ''}`).length > 0).length;
  return ranked[0] && ranked[0][1] * 2 > titled ? ranked[0][0] : null;
}

function documentGeography(document: DocumentRecord): string | null {
  const found = new Set(findGeographies(document.title).map((g) => g.geography));
  return found.size === 1 ? [...found][0]! : null;
}

/** Pure: the observations of known measures in one document's extraction. */
export function observationsOf(extraction: Extraction, defs: readonly MeasureDefinition[]): Observation[] {
  const { document } = extraction;
  const out: Observation[] = [];
  const tablesById = new Map(extraction.tables.map((t) => [t.table_id, t]));
  for (const cell of extraction.cells) {
    const table = tablesById.get(cell.table_id);
    if (!table) continue;
    const def = measureOfCell(table, cell, defs);
    if (!def) continue;
    const column = table.columns[cell.column_index]!;
    const row = table.rows[cell.row_index]!;
    const period = column.period;
    const geography = row.label_path.map((l) => geographyOfLabel(l)).find((g) => g !== null) ?? tableGeography(table, document, extraction.tables);
    if (!period || !geography) continue;
    out.push({
      observation_id: `obs:${contentId({ document: document.document_id, source: cell.cell_id })}`,
      measure_id: def.measure.measure_id,
      period,
      geography,
      figure: asMeasureFigure(cell.figure, def),
      document_id: document.document_id,
      release_date: document.release_date,
      source_kind: 'cell',
      source_id: cell.cell_id,
      excerpt: `${table.title} — ${row.label_path.join(' › ')} × ${cell.column_path.join(' › ')}: ${cell.figure.raw}`,
      locator: cell.locator,
    });
  }
  const defaultGeography = documentGeography(document);
  for (const statement of extraction.statements) {
    const def = measureOfStatement(statement, defs);
    if (!def || !statement.period) continue;
    const end = statement.offset + statement.figure.raw.length;
    const geography = geographyFor(statement.sentence, statement.offset, end) ?? defaultGeography;
    if (!geography) continue;
    out.push({
      observation_id: `obs:${contentId({ document: document.document_id, source: statement.statement_id })}`,
      measure_id: def.measure.measure_id,
      period: statement.period,
      geography,
      figure: asMeasureFigure(statement.figure, def),
      document_id: document.document_id,
      release_date: document.release_date,
      source_kind: 'statement',
      source_id: statement.statement_id,
      excerpt: statement.sentence,
      locator: statement.locator,
    });
  }
  return out;
}
