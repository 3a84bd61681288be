import { parseContract } from '../core/index.js';
import { EXTRACT_SCHEMA_VERSION, Extraction, type DocumentRecord } from './contracts.js';
import { extractPdf, type PdfLimits } from './pdf/index.js';
import { extractWorkbook, type WorkbookLimits } from './workbook/index.js';

/** Limits on what one document may cost to read (davs.config.json `limits`). */
export interface ExtractLimits {
  workbook?: WorkbookLimits;
  pdf?: PdfLimits;
}
import { decodeText, extractText } from './text/index.js';

export * from './contracts.js';
export { compareEditionDigests, compareEditions, editionCellDigests, type EditionAgreement } from './editions.js';
export { evidenceLines, evidenceOf, readEvidence, tableOfCell, type EvidenceExtraction } from './evidence.js';
export { scoreAgainstReference, ReferenceTables, type Score } from './score.js';
export { WorkbookLimits, DEFAULT_WORKBOOK_LIMITS, readWorkbook } from './workbook/index.js';
export { readCorpus, readCorpusRecords, parseManifest, describeDocument, inferMetadata, documentId, type CorpusWarning, type RawDocument } from './manifest.js';
export { findPeriods, findRelativePeriods, periodOf, isPeriodText } from './periods.js';
export { totalSubject, labelNames, LabelIndex } from './text/labels.js';
export { readInThisProcess } from './readers.js';

/**
 * A document's own definition of the periods it prints wins over the calendar reading: a report whose
 * '2020' is April 2019 to March 2020 (DocumentRecord.period_labels {'2020': 'YE 2020-03'}) has its
 * columns and sentences given that period. Pure; returns the input when there is nothing to apply.
 */
export function withDocumentPeriods<T extends Pick<Extraction, 'tables' | 'statements'>>(read: T, labels: Readonly<Record<string, string>>): T {
  if (Object.keys(labels).length === 0) return read;
  const mapped = (period: string | null) => (period !== null && Object.hasOwn(labels, period) ? labels[period]! : period);
  return {
    ...read,
    tables: read.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, period: mapped(c.period) })) })),
    statements: read.statements.map((s) => ({ ...s, period: mapped(s.period) })),
  };
}

/**
 * One document's bytes to its tables, cells and statements, validated against the contract.
 * Text is read in-process; a PDF in a child process with a time limit (extract/pdf/read.ts).
 * Throws InputError for input it cannot read; the pipeline records it and goes on.
 */
export async function extractDocument(document: DocumentRecord, bytes: Uint8Array, limits?: ExtractLimits): Promise<Extraction> {
  let read;
  if (document.format === 'text') read = extractText(decodeText(bytes, document.file), document.file, document.document_id, document.period_covered);
  else if (document.format === 'pdf') read = await extractPdf(bytes, document.file, document.document_id, limits?.pdf, document.period_covered);
  else read = await extractWorkbook(bytes, document.file, document.document_id, limits?.workbook);
  const { tables, cells, statuses, statements } = withDocumentPeriods(read, document.period_labels);
  return parseContract(Extraction, { schema_version: EXTRACT_SCHEMA_VERSION, document, tables, cells, statuses, statements }, { stage: 'extract', document: document.file, what: 'extraction' });
}
