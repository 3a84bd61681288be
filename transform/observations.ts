import { contentId, type Figure, type Locator } from '../core/index.js';
import { findPeriods, findRelativePeriods, isPeriodText, periodOf } from '../extract/index.js';
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
  private noPeriod: boolean | undefined;

  /** `surroundings`: what else says what the sentence is about, for a measure's context only: the facts of the document's title, shared by its sentences. */
  constructor(
    readonly sentence: string,
    private readonly defs: readonly MeasureDefinition[],
    private readonly surroundings: SentenceFacts | null = null,
  ) {}

  hasContext(i: number): boolean {
    return (this.context[i] ??= this.defs[i]!.context.test(this.sentence) || (this.surroundings?.hasContext(i) ?? false));
  }

  /** The sentence names measure i as its subject and says nothing that excludes it. */
  namesSubject(i: number): boolean {
    return (this.subject[i] ??= this.defs[i]!.subject.test(this.sentence) && !this.defs[i]!.exclude.test(this.sentence));
  }

  namesNoPeriod(): boolean {
    return (this.noPeriod ??= findPeriods(this.sentence).length === 0 && findRelativePeriods(this.sentence).length === 0);
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

/** Column headers that say only how a value is expressed, never which part of a breakdown it is. */
const UNIT_HEADER = /^(?:count|number|n|no\.?|%|percentage|per ?cent)$/i;

export function measureOfCell(table: Table, cell: Cell, defs: readonly MeasureDefinition[], documentTitle = ''): MeasureDefinition | null {
  const row = table.rows[cell.row_index]!;
  const headers = cell.column_path;
  const labels = [row.label, ...headers];
  const context = [documentTitle, table.title, table.subtitle ?? '', ...labels].join(' ');
  // a measure named by a label wins over one named only by the table title
  for (const byTitle of [false, true]) {
    for (const def of defs) {
      if (!unitFits(cell.figure, def)) continue;
      if (byTitle ? !def.title.test(table.title) : !labels.some((l) => def.label.test(l))) continue;
      if (!def.context.test(context)) continue;
      if (labels.some((l) => def.exclude.test(l))) continue;
      return def;
    }
  }
  return null;
}

/**
 * The geography a whole table reports on: its subtitle, else its title, else the document's title,
 * else the geography most of the document's table titles name (an appendix workbook whose tables
 * are mostly "…, England and Wales"), else the one the document's record gives.
 */
function tableGeography(table: Table, document: DocumentRecord, mostTitled: () => string | null): string | null {
  for (const text of [table.subtitle ?? '', table.title, document.title]) {
    const found = new Set(findGeographies(text).map((g) => g.geography));
    if (found.size === 1) return [...found][0]!;
  }
  return mostTitled() ?? recordGeography(document);
}

/** The geography a document's record (manifest `geography`) gives, as a canonical name; null when none or unknown. */
function recordGeography(document: DocumentRecord): string | null {
  return document.geography === null ? null : geographyOfLabel(document.geography);
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
  return found.size === 1 ? [...found][0]! : recordGeography(document);
}

/** Indexes of the rows whose label path another row of the same table also has. */
function repeatedRows(table: Table): Set<number> {
  const first = new Map<string, number>();
  const out = new Set<number>();
  for (const row of table.rows) {
    const key = JSON.stringify(row.label_path);
    const other = first.get(key);
    if (other === undefined) first.set(key, row.index);
    else out.add(other).add(row.index);
  }
  return out;
}

/** The single period a table's title and subtitle name ("…, year ending March 2020"), or null. */
function tablePeriod(table: Table): string | null {
  return periodOf(`${table.title} ${table.subtitle ?? ''}`);
}

/**
 * What davs makes of one cell or prose number: the measure it is a value of, the period and the
 * geography it is for, and for a breakdown measure the category. Any part may be null (unresolved);
 * an observation needs all of them.
 */
export interface Resolution {
  source_kind: 'cell' | 'statement';
  source_id: string;
  measure: MeasureDefinition | null;
  period: string | null;
  geography: string | null;
  breakdown: string;
  /** For a cell: its table's ordinal in the document, which tells apart two tables of one title. */
  table_ordinal: number | null;
  figure: Figure;
  excerpt: string;
  locator: Locator;
}

/** What holds for every cell of a table, and (filled as cells are met) of each of its rows and columns. */
interface TableFacts {
  geography: string | null;
  period: string | null;
  repeated: Set<number>;
  rows: Array<{ period: string | null; geography: string | null } | undefined>;
  columns: Array<{ geography: string | null } | undefined>;
  /** The parts of a breakdown category (breakdownOf) that the title, each row and each column give: made once each. */
  titleParts?: string[];
  rowParts: Array<string[] | undefined>;
  columnParts: Array<string[] | undefined>;
}

/**
 * Pure: the resolution of every cell and prose number of one document, cells first, in extraction
 * order; with `cellsOnly`, of its cells only.
 */
export function resolveExtraction(extraction: Extraction, defs: readonly MeasureDefinition[], { cellsOnly = false }: { cellsOnly?: boolean } = {}): Resolution[] {
  const { document } = extraction;
  const out: Resolution[] = [];
  const tablesById = new Map(extraction.tables.map((t) => [t.table_id, t]));
  // a table's geography and period are the same for all its cells: once per table; a row's and a
  // column's, once per row and column; the document's (read from every table title) once per document
  const perTable = new Map<Table, TableFacts>();
  let mostTitled: { geography: string | null } | undefined;
  const documentFallback = () => (mostTitled ??= { geography: mostTitledGeography(extraction.tables) }).geography;
  const ofTable = (table: Table) => {
    let facts = perTable.get(table);
    if (!facts) perTable.set(table, (facts = { geography: tableGeography(table, document, documentFallback), period: tablePeriod(table), repeated: repeatedRows(table), rows: [], columns: [], rowParts: [], columnParts: [] }));
    return facts;
  };
  for (const cell of extraction.cells) {
    const table = tablesById.get(cell.table_id);
    if (!table) continue;
    const def = measureOfCell(table, cell, defs, document.title);
    const column = table.columns[cell.column_index]!;
    const row = table.rows[cell.row_index]!;
    const facts = ofTable(table);
    const ofRow = (facts.rows[cell.row_index] ??= {
      period: row.label_path.map((l) => (isPeriodText(l) ? periodOf(l) : null)).find((p) => p !== null) ?? null,
      geography: row.label_path.map((l) => geographyOfLabel(l)).find((g) => g !== null) ?? null,
    });
    const columnGeography = (facts.columns[cell.column_index] ??= { geography: column.header_path.map((h) => geographyOfLabel(h)).find((g) => g !== null) ?? null }).geography;
    const period = column.period ?? ofRow.period ?? facts.period ?? document.reference_period;
    // a row whose labels another row of the table repeats ("Total referrals" for England, then for
    // Wales, under an area column davs does not read) is not the table's area: only its own labels say
    const geography = ofRow.geography ?? columnGeography ?? (facts.repeated.has(row.index) ? null : facts.geography);
    out.push({
      source_kind: 'cell',
      source_id: cell.cell_id,
      measure: def,
      period,
      geography,
      breakdown: def?.byLabels ? breakdownOf(table, facts, cell.row_index, cell.column_index) : '',
      table_ordinal: table.ordinal,
      figure: cell.figure,
      excerpt: `${table.title} — ${row.label_path.join(' › ')} × ${cell.column_path.join(' › ')}: ${cell.figure.raw}`,
      locator: cell.locator,
    });
  }
  if (cellsOnly) return out;
  const defaultGeography = documentGeography(document);
  const sentences = new Map<string, SentenceFacts>();
  // the title is the same for every sentence: its facts are shared, so each measure's context is
  // tested against it once per document (a file with no manifest entry takes its first line as its
  // title; tested per sentence, a long one made the transform quadratic in its sentences)
  const surroundings = document.title === '' ? null : new SentenceFacts(document.title, defs);
  for (const statement of extraction.statements) {
    let facts = sentences.get(statement.sentence_id);
    if (!facts) {
      facts = new SentenceFacts(statement.sentence, defs, surroundings);
      sentences.set(statement.sentence_id, facts);
    }
    const def = measureOfStatement(statement, defs, facts);
    const end = statement.offset + statement.figure.raw.length;
    out.push({
      source_kind: 'statement',
      source_id: statement.statement_id,
      measure: def,
      // a figure whose sentence names no period at all (no date, no "last year") is for the document's reference period
      period: statement.period ?? (facts.namesNoPeriod() ? document.reference_period : null),
      geography: geographyFor(statement.sentence, statement.offset, end, facts.geographies()) ?? defaultGeography,
      // a prose share names its category in words, not as a table does: no breakdown to key it by
      breakdown: '',
      table_ordinal: null,
      figure: statement.figure,
      excerpt: statement.sentence,
      locator: statement.locator,
    });
  }
  return out;
}

/** A breakdown category as its table names it: title (and subtitle), row labels and column headers other than periods, units and areas. */
function breakdownOf(table: Table, facts: TableFacts, rowAt: number, columnAt: number): string {
  const title = (facts.titleParts ??= shownParts([table.title, ...(table.subtitle ? [table.subtitle] : [])]));
  const row = (facts.rowParts[rowAt] ??= shownParts(table.rows[rowAt]!.label_path.filter(namesCategory)));
  const column = (facts.columnParts[columnAt] ??= shownParts(table.columns[columnAt]!.header_path.filter(namesCategory)));
  return [...title, ...row, ...column].join(' › ');
}

/** A label that is part of a breakdown category: not a period, a unit or an area (a row 'North East' is the observation's geography, not a category). */
function namesCategory(label: string): boolean {
  return !isPeriodText(label) && !UNIT_HEADER.test(label.trim()) && geographyOfLabel(label) === null;
}

/** Labels as a category shows them: spaces collapsed, empty ones left out. */
function shownParts(labels: readonly string[]): string[] {
  return labels.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
}

/**
 * A breakdown category names one value: where two cells of a document would share a key (tables of one
 * title, "What outcomes were achieved in this support area?", one per support area named in a heading
 * davs does not read), each is told apart by its table, "… (table 97) › Other"; where that is not
 * enough (one label twice in a table) the category is ambiguous and is not observed ('' breakdown).
 */
function distinctBreakdowns(resolutions: readonly Resolution[]): Resolution[] {
  // (each part with its length: no two lists of parts give one key; null as -1)
  const part = (text: string | null) => (text === null ? '-1:' : `${text.length}:${text}`);
  const keyOf = (r: Resolution, breakdown: string) => part(r.measure!.measure.measure_id) + part(r.period) + part(r.geography) + part(breakdown);
  const tally = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  // each key is made once per resolution (and once more where a table's ordinal tells it apart): a
  // document of thousands of cells made each several times, most of this function's time
  const keyed = resolutions.map((r) => (r.measure?.byLabels && r.breakdown !== '' ? keyOf(r, r.breakdown) : null));
  const first = new Map<string, number>();
  for (const key of keyed) if (key !== null) tally(first, key);
  const withTable = resolutions.map((r, i) => (keyed[i] !== null && first.get(keyed[i]!)! > 1 ? withOrdinal(r.breakdown, r.table_ordinal) : r.breakdown));
  for (let i = 0; i < resolutions.length; i++) if (keyed[i] !== null && withTable[i] !== resolutions[i]!.breakdown) keyed[i] = keyOf(resolutions[i]!, withTable[i]!);
  const second = new Map<string, number>();
  for (const key of keyed) if (key !== null) tally(second, key);
  return resolutions.map((r, i) => {
    if (keyed[i] === null) return r;
    const breakdown = second.get(keyed[i]!)! > 1 ? '' : withTable[i]!;
    return breakdown === r.breakdown ? r : { ...r, breakdown };
  });
}

/** "Title › Row" as "Title (table 97) › Row". */
function withOrdinal(breakdown: string, ordinal: number | null): string {
  if (ordinal === null) return breakdown;
  const at = breakdown.indexOf(' › ');
  return at < 0 ? `${breakdown} (table ${ordinal})` : `${breakdown.slice(0, at)} (table ${ordinal})${breakdown.slice(at)}`;
}

/** The GSS code of the area a cell is for, as the transform resolves it. */
export interface CellGeography {
  cell_id: string;
  geography_code: string | null;
}

/** Pure: the area of each cell among resolutions (its row labels, else its table's and document's area); null where none or no code. */
export function cellGeographiesFrom(resolutions: readonly Resolution[]): CellGeography[] {
  return resolutions.filter((r) => r.source_kind === 'cell').map((r) => ({ cell_id: r.source_id, geography_code: r.geography === null ? null : geographyCode(r.geography) }));
}

/** Pure: the observations of known measures in one document's extraction. */
export function observationsOf(extraction: Extraction, defs: readonly MeasureDefinition[]): Observation[] {
  return observationsFrom(extraction, resolveExtraction(extraction, defs));
}

/** Pure: the observations among one document's resolutions (resolveExtraction of that document). */
export function observationsFrom(extraction: Extraction, resolved: readonly Resolution[]): Observation[] {
  const { document } = extraction;
  const out: Observation[] = [];
  const resolutions = distinctBreakdowns(resolved);
  for (const r of resolutions) {
    const def = r.measure;
    if (!def || !r.period || !r.geography) continue;
    if (def.byLabels && r.breakdown === '') continue;
    out.push({
      observation_id: `obs:${contentId({ document: document.document_id, source: r.source_id })}`,
      measure_id: def.measure.measure_id,
      period: r.period,
      geography: r.geography,
      geography_code: geographyCode(r.geography),
      breakdown: r.breakdown,
      figure: asMeasureFigure(r.figure, def),
      document_id: document.document_id,
      release_date: document.release_date,
      source_kind: r.source_kind,
      source_id: r.source_id,
      excerpt: r.excerpt,
      locator: r.locator,
    });
  }
  return out;
}
