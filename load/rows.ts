/**
 * Pure: the validated warehouse input as rows, one array of values per table in its column
 * order (see schema.ts), sorted by primary key (or natural key) with a code-point comparator.
 */
import { sortBy } from '../core/sort.js';
import { decisionStatuses } from '../checks/decisions.js';
import { ContractError } from '../core/errors.js';
import { formatLocator, type Locator } from '../core/locator.js';
import type { Note, Table, TableColumn } from '../extract/contracts.js';
import { typePeriod } from '../extract/periods.js';
import { geographyCode, geographyOfLabel } from '../transform/geography.js';
import type { Observation } from '../transform/contracts.js';
import type { WarehouseInput } from './contracts.js';
import type { Finding } from '../checks/contracts.js';
import { TABLES, tableSpec, type TableName, type TableSpec } from './schema.js';

/**
 * One value to append. Which appender call it becomes is decided by the column's type:
 * string for VARCHAR, DATE ('YYYY-MM-DD') and TIMESTAMP (ISO 8601); number for DOUBLE, INTEGER,
 * BIGINT; string[] for VARCHAR[]; null for NULL.
 */
export type SqlValue = string | number | readonly string[] | null;
export type Row = readonly SqlValue[];
export type TableRows = Record<TableName, Row[]>;

interface LocatorParts {
  locator: string;
  kind: Locator['kind'];
  line: number | null;
  page: number | null;
  sheet: string | null;
  cell_ref: string | null;
}

export function locatorParts(loc: Locator): LocatorParts {
  const locator = formatLocator(loc);
  switch (loc.kind) {
    case 'line':
      return { locator, kind: loc.kind, line: loc.line, page: null, sheet: null, cell_ref: null };
    case 'page':
      return { locator, kind: loc.kind, line: loc.line, page: loc.page, sheet: null, cell_ref: null };
    case 'cell':
      return { locator, kind: loc.kind, line: null, page: null, sheet: loc.sheet, cell_ref: loc.cell };
  }
}

/** "marker: text" per note (just "text" when unmarked), one per line. */
export function formatNotes(notes: readonly Note[]): string {
  return notes.map((n) => (n.marker === null ? n.text : `${n.marker}: ${n.text}`)).join('\n');
}

function columnIndex(tables: readonly Table[]): Map<string, Map<number, TableColumn>> {
  return new Map(tables.map((t) => [t.table_id, new Map(t.columns.map((c) => [c.index, c]))]));
}

/** The records one or more documents' extraction gives, as rows of the tables they fill. */
export type RecordTable = 'tables' | 'table_columns' | 'table_rows' | 'cells' | 'cell_statuses' | 'statements';
export const RECORD_TABLES: readonly RecordTable[] = ['tables', 'table_columns', 'table_rows', 'cells', 'cell_statuses', 'statements'];

/** Rows of the tables an extraction fills (unsorted). Throws a ContractError when a cell names a column no table has. */
export function recordRows(input: Pick<WarehouseInput, 'tables' | 'cells' | 'statuses' | 'statements'> & { cell_geographies?: WarehouseInput['cell_geographies'] }, path: string | undefined): Record<RecordTable, Row[]> {
  const resolvedGeography = new Map((input.cell_geographies ?? []).map((g) => [g.cell_id, g.geography_code]));
  const columns = columnIndex(input.tables);
  return {
    tables: input.tables.map((t) => [
      t.table_id,
      t.document_id,
      t.ordinal,
      t.title,
      t.subtitle,
      t.section,
      formatLocator(t.locator),
      t.rows.length,
      t.columns.length,
      formatNotes(t.notes),
    ]),
    table_columns: input.tables.flatMap((t) =>
      t.columns.map((c) => [t.table_id, c.index, c.header_path, c.unit, c.period, c.base?.value ?? null]),
    ),
    table_rows: input.tables.flatMap((t) =>
      t.rows.map((r) => [t.table_id, r.index, r.label, r.label_path, r.depth, r.parent_index, r.role, r.footnotes, formatLocator(r.locator)]),
    ),
    cells: input.cells.map((c) => {
      const column = columns.get(c.table_id)?.get(c.column_index);
      if (!column) {
        throw new ContractError(`cell ${c.cell_id} refers to column ${c.column_index} of table ${c.table_id}, which the input does not have`, {
          code: 'contract-violation',
          stage: 'load',
          document: path,
        });
      }
      const loc = locatorParts(c.locator);
      return [
        c.cell_id,
        c.table_id,
        c.document_id,
        c.row_index,
        c.column_index,
        c.row_path,
        resolvedGeography.has(c.cell_id) ? resolvedGeography.get(c.cell_id)! : rowGeographyCode(c.row_path),
        c.column_path,
        c.figure.raw,
        c.figure.value,
        c.figure.decimals,
        c.figure.unit,
        c.marker,
        column.base?.value ?? null,
        column.period,
        loc.locator,
        loc.kind,
        loc.line,
        loc.page,
        loc.sheet,
        loc.cell_ref,
      ];
    }),
    cell_statuses: input.statuses.map((c) => [c.table_id, c.document_id, c.row_index, c.column_index, c.row_path, c.column_path, c.raw, c.meaning, locatorParts(c.locator).locator]),
    statements: input.statements.map((s) => {
      const loc = locatorParts(s.locator);
      return [
        s.statement_id,
        s.document_id,
        s.sentence_id,
        s.section,
        s.sentence,
        s.figure.raw,
        s.figure.value,
        s.figure.decimals,
        s.figure.unit,
        s.period,
        loc.locator,
        loc.line,
        loc.page,
      ];
    }),
  };
}

/** An observation as its row of `observations`: the one place that mapping lives. */
export function observationRow(o: Observation): Row {
  const period = typePeriod(o.period);
  return [
    o.observation_id,
    o.measure_id,
    o.period,
    period?.type ?? null,
    period?.start ?? null,
    period?.end ?? null,
    o.geography,
    o.geography_code,
    o.breakdown,
    o.figure.raw,
    o.figure.value,
    o.figure.decimals,
    o.figure.unit,
    o.document_id,
    o.release_date,
    o.source_kind,
    o.source_id,
    o.excerpt,
    formatLocator(o.locator),
  ];
}

/** The tables whose rows come from one document's extraction and transform: everything a worker can write on its own. */
export type DocumentTable = RecordTable | 'observations';
export const DOCUMENT_TABLES: readonly DocumentTable[] = [...RECORD_TABLES, 'observations'];
export type DocumentRows = Record<DocumentTable, Row[]>;

/** One document's records, with the transform's areas of its cells and its observations. */
export type DocumentInput = Pick<WarehouseInput, 'tables' | 'cells' | 'statuses' | 'statements' | 'observations'> & {
  cell_geographies?: WarehouseInput['cell_geographies'];
};

/**
 * Pure: one document's rows of every table it fills, in column order and sorted by primary key,
 * exactly as buildRows gives them for a warehouse of that document alone. `path` only names the
 * document in errors. Throws a ContractError when a cell names a column no table has.
 */
export function documentRows(input: DocumentInput, path?: string): DocumentRows {
  const unsorted: DocumentRows = { ...recordRows(input, path), observations: input.observations.map(observationRow) };
  const out = {} as DocumentRows;
  for (const table of DOCUMENT_TABLES) out[table] = checkedSortedRows(tableSpec(table), unsorted[table]);
  return out;
}

/** Build the rows of every table (unsorted). Throws a ContractError when a cell names a column no table has. */
function buildUnsorted(input: WarehouseInput, path: string | undefined, findingsApart: boolean): TableRows {
  const run = input.run;
  return {
    runs: [
      [
        run.run_id,
        run.started_at,
        run.finished_at,
        run.davs_version,
        run.raw_dir,
        run.corpus_sha256,
        run.documents,
        run.failed_documents,
        run.findings,
        run.errors,
        run.warnings,
        run.document_problems,
        run.cells,
        run.code_revision,
        run.lockfile_sha256,
        run.node_version,
        run.duckdb_version,
      ],
    ],
    documents: input.documents.map((d) => [
      d.document_id,
      d.file,
      d.format,
      d.publisher,
      d.title,
      d.release_date,
      d.release_date_precision,
      d.period_covered,
      d.sha256,
      d.bytes,
      d.metadata_source,
      d.edition_of,
      d.release,
      d.reference_period,
      JSON.stringify(d.period_labels),
      d.geography,
    ]),
    document_problems: input.problems.map((p) => [p.file, p.kind, p.severity, p.stage, p.code, p.message]),
    ...recordRows(input, path),
    measures: input.measures.map((m) => [m.measure_id, m.title, m.unit, m.description]),
    observations: input.observations.map(observationRow),
    // the findings' own tables made apart, a batch at a time (load/index.ts commit); their decisions here
    findings: findingsApart ? [] : input.findings.map(findingRow),
    finding_evidence: findingsApart ? [] : input.findings.flatMap(findingEvidenceRows),
    check_summaries: input.summaries.map((s) => [s.check, s.title, s.severity, s.evaluated, s.passed, s.failed, s.undecided, s.crashed]),
    finding_decisions: decisionStatuses(input.decisions ?? [], input.findings).map((d) => [d.finding_id, d.verdict, d.note, d.by, d.decided_on, d.status, d.applies_to]),
  };
}

/** A finding's row of the findings table. */
export function findingRow(f: Finding): Row {
  return [f.id, f.check, f.severity, f.message, f.expected, f.actual, f.tolerance, f.evidence.length, f.merged_ids ?? [f.id]];
}

/** A finding's rows of finding_evidence, in their order (the table's key is the finding and the ordinal). */
export function findingEvidenceRows(f: Finding): Row[] {
  return f.evidence.map((e, i) => [f.id, i + 1, e.document, formatLocator(e.locator), e.excerpt, e.value, e.source_kind, e.source_id, e.role]);
}

/** Columns a table's rows are sorted by: its primary key, or else every column (a natural key). */
export function sortColumns(spec: TableSpec): number[] {
  const names = spec.primaryKey.length > 0 ? spec.primaryKey : spec.columns.map((c) => c.name);
  return names.map((name) => {
    const i = spec.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`table ${spec.name}: key column ${name} is not a column`);
    return i;
  });
}

function keyPart(value: SqlValue | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  return value.join('\u0000');
}

export function sortRows(spec: TableSpec, rows: readonly Row[]): Row[] {
  const key = sortColumns(spec);
  return sortBy(rows, (row) => key.map((i) => keyPart(row[i])));
}

/** Every table's rows, in column order, sorted deterministically. `path` only names the warehouse in errors. */
export function buildRows(input: WarehouseInput, path?: string, options: { findingsApart?: boolean } = {}): TableRows {
  const unsorted = buildUnsorted(input, path, options.findingsApart ?? false);
  const out = {} as TableRows;
  for (const spec of TABLES) out[spec.name] = checkedSortedRows(spec, unsorted[spec.name]);
  return out;
}

function checkedSortedRows(spec: TableSpec, rows: readonly Row[]): Row[] {
  for (const row of rows) {
    if (row.length !== spec.columns.length) throw new Error(`table ${spec.name}: row has ${row.length} values for ${spec.columns.length} columns`);
  }
  return sortRows(spec, rows);
}

/** GSS code of the first of a cell's row labels that names a geography of the lookup (as observations read them); null when none does. */
function rowGeographyCode(rowPath: readonly string[]): string | null {
  for (const label of rowPath) {
    const name = geographyOfLabel(label);
    if (name !== null) return geographyCode(name);
  }
  return null;
}
