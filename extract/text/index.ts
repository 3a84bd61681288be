import { InputError, lineLocator, type Locator } from '../../core/index.js';
import type { Cell, CellStatus, Statement, Table } from '../contracts.js';
import { sectionsByLine } from './sections.js';
import { extractTextStatements } from './statements.js';
import { extractTextTables } from './tables.js';

export { findPeriods, periodOf } from '../periods.js';
export { splitSentences } from './statements.js';

/** Decode a text release strictly: invalid UTF-8 is an InputError naming the file, not mojibake. */
export function decodeText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  } catch (cause) {
    throw new InputError('is not valid UTF-8 text', { code: 'input-unreadable', stage: 'extract', document: file, cause, hint: 'save it as UTF-8 or list its real format in raw/manifest.json' });
  }
}

export function extractText(text: string, file: string, documentId: string): TablesAndStatements {
  return extractLines(text.split('\n'), documentId, (i) => lineLocator(file, i + 1));
}

/** Tables and statements from lines of text, wherever the lines came from (a text file, a PDF's rebuilt lines). */
export function extractLines(
  lines: readonly string[],
  documentId: string,
  locate: (index: number) => Locator,
  locateCell?: (index: number, column: number) => Locator,
): TablesAndStatements {
  const sections = sectionsByLine(lines);
  const { tables, cells, statuses } = extractTextTables({ lines, documentId, sections, locate, ...(locateCell ? { locateCell } : {}) });
  const statements = extractTextStatements({ lines, documentId, sections, locate });
  return { tables, cells, statuses, statements };
}

export interface TablesAndStatements {
  tables: Table[];
  cells: Cell[];
  statuses: CellStatus[];
  statements: Statement[];
}
