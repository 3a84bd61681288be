import { InputError, lineLocator, type Locator } from '../../core/index.js';
import type { Cell, CellStatus, Statement, Table } from '../contracts.js';
import { sectionsByLine } from './sections.js';
import { extractTextStatements } from './statements.js';
import { extractTextTables } from './tables.js';

export { findPeriods, periodOf } from '../periods.js';
export { splitSentences } from './statements.js';

/** Decode a text release strictly: invalid UTF-8 is an InputError naming the file, not mojibake. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const encoding = textEncoding(bytes);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  } catch (cause) {
    throw new InputError(`is not valid ${encoding.toUpperCase()} text`, { code: 'input-unreadable', stage: 'extract', document: file, cause, hint: 'save it as UTF-8 or list its real format in raw/manifest.json' });
  }
}

/**
 * UTF-8 unless the file says otherwise: a UTF-16 byte-order mark (Windows "Unicode" text), or,
 * without one, the NUL high bytes of mostly-ASCII UTF-16 text on every other byte.
 */
export function textEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (sample < 4) return 'utf-8';
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = sample / 2;
  if (oddNul > pairs * 0.6 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul === 0) return 'utf-16be';
  return 'utf-8';
}

export function extractText(text: string, file: string, documentId: string, documentPeriod: string | null = null): TablesAndStatements {
  return extractLines(text.split('\n'), documentId, (i) => lineLocator(file, i + 1), undefined, documentPeriod);
}

/** Tables and statements from lines of text, wherever the lines came from (a text file, a PDF's rebuilt lines). */
export function extractLines(
  lines: readonly string[],
  documentId: string,
  locate: (index: number) => Locator,
  locateCell?: (index: number, column: number) => Locator,
  /** The period the document reports on (DocumentRecord.period_covered): what "this year" and "last year" are relative to. */
  documentPeriod: string | null = null,
): TablesAndStatements {
  const sections = sectionsByLine(lines);
  const { tables, cells, statuses } = extractTextTables({ lines, documentId, sections, locate, ...(locateCell ? { locateCell } : {}) });
  const statements = extractTextStatements({ lines, documentId, sections, locate, documentPeriod });
  return { tables, cells, statuses, statements };
}

export interface TablesAndStatements {
  tables: Table[];
  cells: Cell[];
  statuses: CellStatus[];
  statements: Statement[];
}
