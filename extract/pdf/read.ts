import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { z } from 'zod';
import { InputError } from '../../core/index.js';
import { PdfItems } from './contracts.js';

export interface PdfLimits {
  /** Wall-clock limit for parsing one PDF. */
  timeoutMs: number;
  /** Largest JSON the child may print (bytes). */
  maxOutputBytes: number;
  /** Heap limit of the child (MiB). */
  maxHeapMb: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 * 1024, maxHeapMb: 1024 };

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/**
 * The positioned text items of a PDF, parsed in a child process with a time and memory limit.
 * A timeout, a crash or unreadable output becomes an InputError naming the file.
 */
export async function readPdfItems(bytes: Uint8Array, file: string, limits: PdfLimits = DEFAULT_PDF_LIMITS): Promise<PdfItems> {
  const result = await execa(process.execPath, [`--max-old-space-size=${limits.maxHeapMb}`, WORKER], {
    input: bytes,
    timeout: limits.timeoutMs,
    maxBuffer: limits.maxOutputBytes,
    reject: false,
    stripFinalNewline: false,
  });
  if (result.failed) {
    const why = result.timedOut ? `took longer than ${limits.timeoutMs} ms` : result.isMaxBuffer ? 'produced more text than allowed' : (result.stderr.trim().split('\n').pop() ?? result.shortMessage);
    throw new InputError(`could not be read as PDF: ${why}`, { code: 'input-unreadable', stage: 'extract', document: file, hint: 'check the file opens in a PDF viewer; a scanned PDF has no text to read' });
  }
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (cause) {
    throw new InputError('PDF reader returned unreadable output', { code: 'input-invalid', stage: 'extract', document: file, cause });
  }
  const parsed = PdfItems.safeParse(json);
  if (!parsed.success) throw new InputError(`PDF reader output breaks its contract: ${z.prettifyError(parsed.error)}`, { code: 'input-invalid', stage: 'extract', document: file });
  return parsed.data;
}
