import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DavsError, sha256, type Stage } from '../core/index.js';
import { CHECKS, CheckPartRecord, evaluateChecks, tableSubjects, type CheckPart } from '../checks/index.js';
import { DocumentRecord, Extraction, Statement, editionCellDigests, extractDocument, type ExtractLimits } from '../extract/index.js';
import { rowsProblem } from '../load/admit.js';
import { documentRows, type DocumentRows } from '../load/rows.js';
import { Observation, transformDocumentChecked } from '../transform/index.js';

/**
 * The work each document needs on its own, whatever else is in the corpus: extract it, hold its
 * records to the warehouse's rules (admission), transform it into observations and its cells'
 * areas, and judge its tables (the checks that read one table at a time). Pure in what it returns
 * (the same bytes, record, limits and code give the same result), which is what lets the pipeline
 * run it in a pool of workers and cache it by content.
 */
export const DocumentResult = z
  .object({
    extraction: Extraction,
    observations: z.array(Observation),
    cell_geographies: z.array(z.object({ cell_id: z.string(), geography_code: z.string().nullable() }).strict()),
    /** The table checks' part (a primary edition's; another edition is not judged). */
    checks: CheckPartRecord.nullable(),
  })
  .strict();
export type DocumentResult = z.infer<typeof DocumentResult>;

/**
 * What the run holds of a document in memory from the extract to the end: its record and sizes.
 * Cells, tables and observations stay in the document's entry (row files the load reads, and the
 * checks that compare documents query once loaded; evidence.jsonl, extract/evidence.ts, read one
 * document at a time for the report's evidence), and so does what its checks read (DocumentJudging).
 */
export const DocumentSummary = z
  .object({
    document: DocumentRecord,
    counts: z.object({ tables: z.number().int(), cells: z.number().int(), statuses: z.number().int(), statements: z.number().int() }).strict(),
  })
  .strict();
export type DocumentSummary = z.infer<typeof DocumentSummary>;

/**
 * What the checks stage reads of a document, from its entry, once the warehouse is loaded: its
 * statements (the sentence checks read them) and its table checks' part. Not held while the corpus is
 * read and loaded: at 1,000 documents it is about 60 MB of JSON, several times that as objects.
 */
export const DocumentJudging = z
  .object({
    statements: z.array(Statement),
    checks: CheckPartRecord.nullable(),
  })
  .strict();
export type DocumentJudging = z.infer<typeof DocumentJudging>;

export function summaryOf(result: DocumentResult): DocumentSummary {
  const x = result.extraction;
  return {
    document: x.document,
    counts: { tables: x.tables.length, cells: x.cells.length, statuses: x.statuses.length, statements: x.statements.length },
  };
}

export function judgingOf(result: DocumentResult): DocumentJudging {
  return { statements: result.extraction.statements, checks: result.checks };
}

/** The checks that read one table at a time: judged per document, in its worker. */
export const TABLE_CHECKS = CHECKS.filter((c) => c.subjects === 'tables');

/** A document's failure, with the stage it failed in (extract, load for admission, transform). */
export class DocumentStageError extends Error {
  constructor(
    readonly stage: Extract<Stage, 'extract' | 'load' | 'transform' | 'checks'>,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'DocumentStageError';
  }
}

/** A document's result with its warehouse rows, built once: the worker writes them as its entry's row files. */
export interface ProcessedDocument {
  result: DocumentResult;
  rows: DocumentRows;
  /** Its cells as another edition of its release is compared with it (extract/editions.ts). */
  editionCells: string[];
}

/**
 * A document's bytes, read by its worker from the file the run described: refused (input-unreadable,
 * extract) when it is gone or changed since (its sha256 is not the record's). The worker reads it, not
 * the pipeline: at 1,000 documents the PDFs' bytes the pipeline read and sent were 26 MB of its
 * memory, kept until its next collection.
 */
export async function readDocumentFile(path: string, record: DocumentRecord): Promise<Uint8Array> {
  // (a Buffer is a Uint8Array: no copy)
  const bytes: Uint8Array = await readFile(path).catch((err: unknown) => {
    throw new DavsError(`cannot be read again (${(err as NodeJS.ErrnoException).code ?? String(err)}): it was there when the run read the corpus`, { code: 'input-unreadable', stage: 'extract', document: record.file, cause: err });
  });
  if (sha256(bytes) !== record.sha256) throw new DavsError('the file changed after the run read it (its sha256 is not the one the run described it by)', { code: 'input-unreadable', stage: 'extract', document: record.file, hint: 'the next run reads it as it is then' });
  return bytes;
}

export async function processDocument(record: DocumentRecord, bytes: Uint8Array, limits: ExtractLimits): Promise<ProcessedDocument> {
  let extraction: Extraction;
  try {
    extraction = await extractDocument(record, bytes, limits);
  } catch (err) {
    throw new DocumentStageError('extract', err);
  }
  let transformed: ReturnType<typeof transformDocumentChecked>;
  try {
    transformed = transformDocumentChecked(extraction);
  } catch (err) {
    throw new DocumentStageError('transform', err);
  }
  // admission, on the rows the warehouse gets: no key twice within the document (each value is
  // checked against its column as the rows are written: writeRowFiles). Keys carry the document id,
  // so across documents only a repeated document id can collide (the pipeline refuses that one)
  let rows: DocumentRows;
  try {
    const { tables, cells, statuses, statements } = extraction;
    rows = documentRows({ tables, cells, statuses, statements, observations: transformed.observations, cell_geographies: transformed.cell_geographies }, record.file);
  } catch (err) {
    throw new DocumentStageError('load', err);
  }
  const refused = rowsProblem(record.file, rows, new Map(), { values: false });
  if (refused) throw new DocumentStageError('load', refused);
  let checks: CheckPart | null = null;
  try {
    // (a check that throws on a table is recorded in the part as crashed; this catches the rest)
    if (extraction.document.edition_of === null) checks = evaluateChecks(TABLE_CHECKS, { tables: tableSubjects(extraction), sentences: [], observations: [] });
  } catch (err) {
    throw new DocumentStageError('checks', err);
  }
  return { result: { extraction, observations: transformed.observations, cell_geographies: transformed.cell_geographies, checks }, rows, editionCells: editionCellDigests(extraction) };
}
