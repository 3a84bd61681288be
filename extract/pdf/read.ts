import { z } from 'zod';
import { InputError, packagePath } from '../../core/index.js';
import { PdfItems } from './contracts.js';
import { readerModule, readingInThisProcess } from '../readers.js';

export interface PdfLimits {
  /** Wall-clock limit for parsing one PDF. */
  timeoutMs: number;
  /** Largest JSON the child may print (bytes). */
  maxOutputBytes: number;
  /** Heap limit of the child (MiB). */
  maxHeapMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 * 1024, maxHeapMb: 1024 };

const WORKER = packagePath('extract', 'pdf', 'worker.mjs');

/**
 * The positioned text items of a PDF, parsed in a child process with a time and memory limit.
 * A timeout, a crash or unreadable output becomes an InputError naming the file.
 */
export async function readPdfItems(bytes: Uint8Array, file: string, limits: PdfLimits = DEFAULT_PDF_LIMITS): Promise<PdfItems> {
  if (readingInThisProcess()) return readPdfItemsHere(bytes, file, limits);
  // loaded here: a pipeline worker reads in its own process and never needs it (a sixth of its start)
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [`--max-old-space-size=${limits.maxHeapMb}`, WORKER], {
    input: bytes,
    timeout: limits.timeoutMs,
    maxBuffer: limits.maxOutputBytes,
    reject: false,
    stripFinalNewline: false,
  });
  if (result.failed) {
    throw unreadable(file, result.timedOut ? `took longer than ${limits.timeoutMs} ms` : result.isMaxBuffer ? TOO_MUCH_TEXT : String(result.stderr.trim().split('\n').pop() ?? result.shortMessage));
  }
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (cause) {
    throw new InputError('PDF reader returned unreadable output', { code: 'input-invalid', stage: 'extract', document: file, cause });
  }
  return checkedItems(json, file);
}

const TOO_MUCH_TEXT = 'produced more text than allowed';

function unreadable(file: string, why: string): InputError {
  return new InputError(`could not be read as PDF: ${why}`, { code: 'input-unreadable', stage: 'extract', document: file, hint: 'check the file opens in a PDF viewer; a scanned PDF has no text to read' });
}

/** The reader's output, held to its contract (PdfItems). */
function checkedItems(json: unknown, file: string): PdfItems {
  const parsed = PdfItems.safeParse(json);
  if (!parsed.success) throw new InputError(`PDF reader output breaks its contract: ${z.prettifyError(parsed.error)}`, { code: 'input-invalid', stage: 'extract', document: file });
  return parsed.data;
}

/**
 * In a pipeline document worker: the items read in this process (the pool enforces the time and
 * heap limits by killing the worker); the output limit is applied to the items' JSON size.
 */
async function readPdfItemsHere(bytes: Uint8Array, file: string, limits: PdfLimits): Promise<PdfItems> {
  const { pdfItems } = await readerModule<{ pdfItems: (data: Uint8Array) => Promise<unknown> }>('extract', 'pdf', 'items.mjs');
  let items: unknown;
  try {
    // pdfjs takes ownership of the buffer it is given: a copy, so the caller's bytes stay readable
    items = await pdfItems(new Uint8Array(bytes));
  } catch (err) {
    throw unreadable(file, err instanceof Error ? err.message : String(err));
  }
  if (JSON.stringify(items).length > limits.maxOutputBytes) throw unreadable(file, TOO_MUCH_TEXT);
  return checkedItems(items, file);
}
