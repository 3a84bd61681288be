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
export { compareEditions, type EditionAgreement } from './editions.js';
export { scoreAgainstReference, ReferenceTables, type Score } from './score.js';
export { WorkbookLimits, DEFAULT_WORKBOOK_LIMITS, readWorkbook } from './workbook/index.js';
export { readCorpus, parseManifest, describeDocument, inferMetadata, documentId, type CorpusWarning, type RawDocument } from './manifest.js';
export { findPeriods, periodOf, isPeriodText } from './periods.js';
export { totalSubject, labelNames, LabelIndex } from './text/labels.js';

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
  const { tables, cells, statuses, statements } = read;
  return parseContract(Extraction, { schema_version: EXTRACT_SCHEMA_VERSION, document, tables, cells, statuses, statements }, { stage: 'extract', document: document.file, what: 'extraction' });
}
