import { groupBy, pushAll } from '../core/collections.js';
import type { Figure, Locator } from '../core/index.js';
import type { Cell, CellStatus, Extraction, Note, Statement, Table, TableColumn, TableRow } from './contracts.js';

/**
 * The parts of a document's extraction a report shows as evidence (checks/report/sources.ts
 * documentEvidenceByGroup): its tables as printed (titles, headers, row labels, notes), each cell's place and
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

type EvidenceTable = EvidenceExtraction['tables'][number];

/** One table's line of a document's evidence file: the table, then its cells and statuses. */
interface EvidenceTableLine {
  table: EvidenceTable;
  cells: EvidenceExtraction['cells'];
  statuses: EvidenceExtraction['statuses'];
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * A document's evidence (evidenceOf) as the lines of its evidence file: the first is the document
 * and its statements, then one line per table, in the extraction's order, each the table's id as a
 * JSON string, a tab, and the table with its cells and statuses as JSON (a JSON string holds no raw
 * tab, so the first tab of a line ends the id). A report reads the id of each line and parses only
 * the tables its findings name (readEvidence). Cells and statuses are each under their table.
 */
export function evidenceLines(x: EvidenceExtraction): string[] {
  const cellsOf = groupBy(x.cells, (c) => c.table_id);
  const statusesOf = groupBy(x.statuses, (c) => c.table_id);
  return [
    JSON.stringify({ document: x.document, statements: x.statements }),
    ...x.tables.map((t) => `${JSON.stringify(t.table_id)}\t${JSON.stringify({ table: t, cells: cellsOf.get(t.table_id) ?? [], statuses: statusesOf.get(t.table_id) ?? [] } satisfies EvidenceTableLine)}`),
  ];
}

/**
 * A document's evidence from the bytes of its evidence file (evidenceLines, joined by newlines),
 * with only the `tables` named (and their cells and statuses), or every table: the lines of the
 * others are passed over by their id, not decoded.
 */
export function readEvidence(bytes: Uint8Array, tables: ReadonlySet<string> | 'all'): EvidenceExtraction {
  const text = new TextDecoder();
  const lineEnd = (from: number) => {
    const at = bytes.indexOf(NEWLINE, from);
    return at < 0 ? bytes.length : at;
  };
  const firstEnd = lineEnd(0);
  const head = JSON.parse(text.decode(bytes.subarray(0, firstEnd))) as Pick<EvidenceExtraction, 'document' | 'statements'>;
  const out: EvidenceExtraction = { document: head.document, tables: [], cells: [], statuses: [], statements: head.statements };
  for (let start = firstEnd + 1; start < bytes.length; ) {
    const end = lineEnd(start);
    const tab = bytes.indexOf(TAB, start);
    if (tab < 0 || tab > end) throw new Error('an evidence line has no table id');
    if (tables === 'all' || tables.has(JSON.parse(text.decode(bytes.subarray(start, tab))) as string)) {
      const line = JSON.parse(text.decode(bytes.subarray(tab + 1, end))) as EvidenceTableLine;
      out.tables.push(line.table);
      pushAll(out.cells, line.cells);
      pushAll(out.statuses, line.statuses);
    }
    start = end + 1;
  }
  return out;
}

/**
 * The table a cell id names: the id up to its last colon, as the table reader makes cell ids
 * ("<table id>:r<row>c<column>", extract/text/tables.ts). A reader of evidence that goes by it
 * checks that the cells it wanted were there (a cell id made otherwise reads every table).
 */
export function tableOfCell(cellId: string): string {
  const at = cellId.lastIndexOf(':');
  return at < 0 ? cellId : cellId.slice(0, at);
}
