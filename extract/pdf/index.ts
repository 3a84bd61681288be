import { extractLines, type TablesAndStatements } from '../text/index.js';
import { pageLocator, rebuildLines } from './layout.js';
import { readPdfItems, type PdfLimits } from './read.js';

export { rebuildLines, linesOfPage } from './layout.js';
export { readPdfItems, DEFAULT_PDF_LIMITS, type PdfLimits } from './read.js';
export type { PdfItems, PdfPage, PdfItem } from './contracts.js';

/** A PDF release: its text items (read in a child process), rebuilt into lines, read like a text release. */
export async function extractPdf(bytes: Uint8Array, file: string, documentId: string, limits?: PdfLimits, documentPeriod: string | null = null): Promise<TablesAndStatements> {
  const { pages } = await readPdfItems(bytes, file, limits);
  const lines = rebuildLines(pages);
  return extractLines(
    lines.map((l) => l.text),
    documentId,
    (i) => pageLocator(file, lines[Math.min(i, lines.length - 1)]!),
    undefined,
    documentPeriod,
  );
}
