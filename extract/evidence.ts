import type { Figure, Locator } from '../core/index.js';
import type { Cell, CellStatus, Extraction, Note, Statement, Table, TableColumn, TableRow } from './contracts.js';

/**
 * The parts of a document's extraction a report shows as evidence (checks/report/sources.ts
 * documentEvidence): its tables as printed (titles, headers, row labels, notes), each cell's place and
 * printed text, and the sentences of its prose numbers. A document's cache entry keeps this, not the
 * whole extraction (whose cells repeat their row and column labels): the report reads one per
 * document with evidence, and at 1,000 documents reading them was a tenth of the report's time.
 */
export interface EvidenceExtraction {
  document: { file: string };
  tables: Array<
    Pick<Table, 'table_id' | 'title' | 'subtitle' | 'locator'> & {
      columns: Array<Pick<TableColumn, 'index' | 'header_path'> & { base: Pick<Figure, 'raw'> | null }>;
      rows: Array<Pick<TableRow, 'index' | 'label_path' | 'role' | 'locator'>>;
      notes: Array<Pick<Note, 'marker' | 'text'>>;
    }
  >;
  cells: Array<Pick<Cell, 'cell_id' | 'table_id' | 'row_index' | 'column_index'> & { figure: Pick<Figure, 'raw'>; locator: Locator }>;
  statuses: Array<Pick<CellStatus, 'table_id' | 'row_index' | 'column_index' | 'raw' | 'locator'>>;
  statements: Array<Pick<Statement, 'statement_id' | 'sentence_id' | 'sentence' | 'offset' | 'locator'> & { figure: Pick<Figure, 'raw'> }>;
}

/** Pure: what of an extraction a report's evidence reads (EvidenceExtraction), in the extraction's order. */
export function evidenceOf(x: Extraction): EvidenceExtraction {
  return {
    document: { file: x.document.file },
    tables: x.tables.map((t) => ({
      table_id: t.table_id,
      title: t.title,
      subtitle: t.subtitle,
      locator: t.locator,
      columns: t.columns.map((c) => ({ index: c.index, header_path: c.header_path, base: c.base === null ? null : { raw: c.base.raw } })),
      rows: t.rows.map((r) => ({ index: r.index, label_path: r.label_path, role: r.role, locator: r.locator })),
      notes: t.notes.map((n) => ({ marker: n.marker, text: n.text })),
    })),
    cells: x.cells.map((c) => ({ cell_id: c.cell_id, table_id: c.table_id, row_index: c.row_index, column_index: c.column_index, figure: { raw: c.figure.raw }, locator: c.locator })),
    statuses: x.statuses.map((s) => ({ table_id: s.table_id, row_index: s.row_index, column_index: s.column_index, raw: s.raw, locator: s.locator })),
    statements: x.statements.map((s) => ({ statement_id: s.statement_id, sentence_id: s.sentence_id, sentence: s.sentence, offset: s.offset, figure: { raw: s.figure.raw }, locator: s.locator })),
  };
}
