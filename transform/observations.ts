import { contentId, type Figure } from '../core/index.js';
import type { Cell, DocumentRecord, Extraction, Statement, Table } from '../extract/index.js';
import type { Observation } from './contracts.js';
import { findGeographies, geographyCode, geographyFor, geographyOfLabel, type GeographyMention } from './geography.js';
import type { MeasureDefinition } from './measures.js';

/** After a prose number: punctuation or a connecting word, i.e. the number names no noun of its own. */
const NO_OWN_NOUN = /^\s*(?:$|[,;:.)]|(?:in|on|at|during|over|for|compared|from|to|and|by|this|which|between|since|the previous)\b)/i;

function unitFits(figure: Figure, def: MeasureDefinition): boolean {
  return figure.unit === def.measure.unit || (def.measure.unit === 'fte' && figure.unit === 'count');
}

function asMeasureFigure(figure: Figure, def: MeasureDefinition): Figure {
  return { ...figure, unit: def.measure.unit };
}

/**
 * What a sentence says about each measure (its context, subject and exclude patterns, tested on the
 * whole sentence) and the geographies it names: worked out once per sentence and kept, since a
 * sentence with many figures would otherwise be searched once per figure.
 */
export class SentenceFacts {
  private readonly context: Array<boolean | undefined> = [];
  private readonly subject: Array<boolean | undefined> = [];
  private mentions: GeographyMention[] | undefined;

  constructor(
    readonly sentence: string,
    private readonly defs: readonly MeasureDefinition[],
  ) {}

  hasContext(i: number): boolean {
    return (this.context[i] ??= this.defs[i]!.context.test(this.sentence));
  }

  /** The sentence names measure i as its subject and says nothing that excludes it. */
  namesSubject(i: number): boolean {
    return (this.subject[i] ??= this.defs[i]!.subject.test(this.sentence) && !this.defs[i]!.exclude.test(this.sentence));
  }

  geographies(): GeographyMention[] {
    return (this.mentions ??= findGeographies(this.sentence));
  }
}

/** The measure a prose number is a figure of, if it is one the catalogue knows. */
export function measureOfStatement(statement: Statement, defs: readonly MeasureDefinition[], facts: SentenceFacts = new SentenceFacts(statement.sentence, defs)): MeasureDefinition | null {
  const { sentence, figure, offset } = statement;
  const after = sentence.slice(offset + figure.raw.length);
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    if (!unitFits(figure, def) || !facts.hasContext(i)) continue;
    if (def.follows.test(after) && !def.exclude.test(after.slice(0, 60))) return def;
  }
  if (!NO_OWN_NOUN.test(after)) return null;
  // "increased by 122": a difference, not a level of the measure (/\b(?:by|of)\s+$/i on the text before it)
  if (byOrOfBefore(sentence, offset)) return null;
  for (let i = 0; i < defs.length; i++) {
    if (unitFits(figure, defs[i]!) && facts.namesSubject(i)) return defs[i]!;
  }
  return null;
}

/** /\b(?:by|of)\s+$/i.test(text.slice(0, at)), from the characters before `at` only. */
function byOrOfBefore(text: string, at: number): boolean {
  let p = at;
  while (p > 0 && /\s/.test(text[p - 1]!)) p--;
  if (p === at || p < 2) return false;
  const word = text.slice(p - 2, p).replace(/[A-Z]/g, (c) => c.toLowerCase());
  return (word === 'by' || word === 'of') && (p === 2 || !/\w/.test(text[p - 3]!));
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
function tableGeography(table: Table, document: DocumentRecord, mostTitled: () => string | null): string | null {
  for (const text of [table.subtitle ?? '', table.title, document.title]) {
    const found = new Set(findGeographies(text).map((g) => g.geography));
    if (found.size === 1) return [...found][0]!;
  }
  return mostTitled();
}

/** The geography most of the document's table titles name (more than half of those naming one), or null. */
function mostTitledGeography(tables: readonly Table[]): string | null {
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
  // a table's geography is the same for all its cells: once per table; the document's (read from
  // every table title) once per document
  const geographies = new Map<Table, string | null>();
  let mostTitled: { geography: string | null } | undefined;
  const documentFallback = () => (mostTitled ??= { geography: mostTitledGeography(extraction.tables) }).geography;
  const geographyOfTable = (table: Table) => {
    if (!geographies.has(table)) geographies.set(table, tableGeography(table, document, documentFallback));
    return geographies.get(table)!;
  };
  for (const cell of extraction.cells) {
    const table = tablesById.get(cell.table_id);
    if (!table) continue;
    const def = measureOfCell(table, cell, defs);
    if (!def) continue;
    const column = table.columns[cell.column_index]!;
    const row = table.rows[cell.row_index]!;
    const period = column.period;
    const geography = row.label_path.map((l) => geographyOfLabel(l)).find((g) => g !== null) ?? geographyOfTable(table);
    if (!period || !geography) continue;
    out.push({
      observation_id: `obs:${contentId({ document: document.document_id, source: cell.cell_id })}`,
      measure_id: def.measure.measure_id,
      period,
      geography,
      geography_code: geographyCode(geography),
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
  const sentences = new Map<string, SentenceFacts>();
  for (const statement of extraction.statements) {
    let facts = sentences.get(statement.sentence);
    if (!facts) {
      facts = new SentenceFacts(statement.sentence, defs);
      sentences.set(statement.sentence, facts);
    }
    const def = measureOfStatement(statement, defs, facts);
    if (!def || !statement.period) continue;
    const end = statement.offset + statement.figure.raw.length;
    const geography = geographyFor(statement.sentence, statement.offset, end, facts.geographies()) ?? defaultGeography;
    if (!geography) continue;
    out.push({
      observation_id: `obs:${contentId({ document: document.document_id, source: statement.statement_id })}`,
      measure_id: def.measure.measure_id,
      period: statement.period,
      geography,
      geography_code: geographyCode(geography),
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
