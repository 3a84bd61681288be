import { InputError, parseContract } from '../core/index.js';
import { EXTRACT_SCHEMA_VERSION, Extraction, type DocumentRecord } from './contracts.js';
import { decodeText, extractText } from './text/index.js';

export * from './contracts.js';
export { readCorpus, parseManifest, describeDocument, inferMetadata, documentId, type CorpusWarning, type RawDocument } from './manifest.js';
export { findPeriods, periodOf, isPeriodText } from './periods.js';
export { totalSubject, labelNames } from './text/labels.js';

/**
 * Pure: one document's bytes to its tables, cells and statements, validated against the contract.
 * Throws InputError for input it cannot read; the pipeline records it and goes on.
 */
export function extractDocument(document: DocumentRecord, bytes: Uint8Array): Extraction {
  if (document.format !== 'text') {
    throw new InputError(`${document.format} releases are not read yet`, { code: 'input-invalid', stage: 'extract', document: document.file, hint: 'convert to text or wait for the PDF/workbook extractors' });
  }
  const text = decodeText(bytes, document.file);
  const { tables, cells, statements } = extractText(text, document.file, document.document_id);
  return parseContract(Extraction, { schema_version: EXTRACT_SCHEMA_VERSION, document, tables, cells, statements }, { stage: 'extract', document: document.file, what: 'extraction' });
}
