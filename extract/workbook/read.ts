import yauzl from 'yauzl';
import { z } from 'zod';
import { InputError, packagePath } from '../../core/index.js';
import { DEFAULT_WORKBOOK_LIMITS, WorkbookRead, type WorkbookLimits } from './contracts.js';
import { readerModule, readingInThisProcess } from '../readers.js';

const WORKER = packagePath('extract', 'workbook', 'worker.mjs');
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function refuse(file: string, what: string, hint?: string, cause?: unknown): InputError {
  return new InputError(what, { code: 'input-unreadable', stage: 'extract', document: file, hint, cause });
}

/**
 * What a workbook would cost to open, measured before SheetJS sees it (SheetJS inflates whatever it
 * is given): entries counted, declared sizes summed, and every entry inflated as a stream with a
 * running count, so a zip that lies about its sizes is stopped at the limit too.
 */
export async function inspectZip(bytes: Uint8Array, file: string, limits: WorkbookLimits): Promise<{ entries: number; inflatedBytes: number }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err || !z ? reject(err) : resolve(z))),
  ).catch((cause: unknown) => {
    throw refuse(file, `is not a readable zip: ${cause instanceof Error ? cause.message : String(cause)}`, 'the file may be truncated or not a workbook; download it again');
  });
  let entries = 0;
  let inflated = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++entries > limits.maxEntries) return reject(refuse(file, `has more than ${limits.maxEntries} zip entries`));
        if (inflated + entry.uncompressedSize > limits.maxInflatedBytes) {
          return reject(refuse(file, `would inflate to more than ${limits.maxInflatedBytes} bytes (${entry.fileName} alone declares ${entry.uncompressedSize}): refused as a possible zip bomb`, 'raise limits.workbook.maxInflatedBytes in davs.config.json if the file is genuine'));
        }
        if (/\/$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limits.maxInflatedBytes) {
              stream.destroy();
              reject(refuse(file, `inflates to more than ${limits.maxInflatedBytes} bytes: refused as a possible zip bomb`));
            }
          });
          stream.on('error', reject);
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    throw refuse(file, `is a damaged zip: ${cause instanceof Error ? cause.message : String(cause)}`, 'the file may be truncated; download it again', cause);
  } finally {
    zip.close();
  }
  return { entries, inflatedBytes: inflated };
}

/**
 * The cells of a workbook (.xlsx, .xls, .ods), read by SheetJS in a child process with a time and
 * memory limit, after the file's size and (for zip formats) inflated size have been checked.
 */
export async function readWorkbook(bytes: Uint8Array, file: string, limits: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): Promise<WorkbookRead> {
  if (bytes.byteLength > limits.maxBytes) throw refuse(file, `is ${bytes.byteLength} bytes, over the ${limits.maxBytes}-byte limit for workbooks`);
  if (startsWith(bytes, ZIP)) await inspectZip(bytes, file, limits);
  else if (!startsWith(bytes, OLE)) throw refuse(file, 'is not a spreadsheet: it is neither a zip (xlsx, ods) nor an OLE file (xls)', 'check the file and its extension');
  if (readingInThisProcess()) return readWorkbookHere(bytes, file, limits);
  // loaded here: a pipeline worker reads in its own process and never needs it (a sixth of its start)
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [`--max-old-space-size=${limits.maxHeapMb}`, WORKER, JSON.stringify({ maxRows: limits.maxRows, maxCells: limits.maxCells })], {
    input: bytes,
    timeout: limits.timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
    reject: false,
    stripFinalNewline: false,
  });
  if (result.failed) {
    if (result.timedOut) throw refuse(file, `took longer than ${limits.timeoutMs} ms to parse`);
    throw readerRefusal(file, result.stderr.trim().split('\n').pop() || (result.shortMessage ?? 'the reader failed'), result.exitCode === 3);
  }
  return checkedRead(JSON.parse(result.stdout), file);
}

/** What the reader said of a workbook it could not read, as the refusal naming the file (`overLimit`: it is over davs's limits). */
function readerRefusal(file: string, said: string, overLimit: boolean): InputError {
  if (/password|encrypt/i.test(said)) return refuse(file, 'is password-protected (encrypted)', 'save an unprotected copy');
  return refuse(file, `could not be read as a workbook: ${said}`, overLimit ? 'raise the limit in davs.config.json if the file is genuine' : undefined);
}

/** The reader's output, held to its contract (WorkbookRead). */
function checkedRead(json: unknown, file: string): WorkbookRead {
  const parsed = WorkbookRead.safeParse(json);
  if (!parsed.success) throw new InputError(`workbook reader output breaks its contract: ${z.prettifyError(parsed.error)}`, { code: 'input-invalid', stage: 'extract', document: file });
  return parsed.data;
}

interface CellsModule {
  workbookCells: (data: Buffer, limits: { maxRows: number; maxCells: number }) => unknown;
  WorkbookLimitError: new (message: string) => Error;
}

/** In a pipeline document worker: the cells read in this process (the pool enforces the time and heap limits). */
async function readWorkbookHere(bytes: Uint8Array, file: string, limits: WorkbookLimits): Promise<WorkbookRead> {
  const { workbookCells, WorkbookLimitError } = await readerModule<CellsModule>('extract', 'workbook', 'cells.mjs');
  let read: unknown;
  try {
    read = workbookCells(Buffer.from(bytes), { maxRows: limits.maxRows, maxCells: limits.maxCells });
  } catch (err) {
    throw readerRefusal(file, err instanceof Error ? err.message : String(err), err instanceof WorkbookLimitError);
  }
  return checkedRead(read, file);
}
