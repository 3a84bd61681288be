import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { canonicalJson, packagePath, sha256 } from '../core/index.js';
import type { DocumentRecord, ExtractLimits } from '../extract/index.js';
import { documentRows } from '../load/rows.js';
import { writeRowFiles, type RowFile } from '../load/row-files.js';
import { TABLE_NAMES } from '../load/schema.js';
import { DocumentResult } from './document-stage.js';
import { sourceHashes } from './fingerprint.js';

/**
 * The document cache: each document's stage result (pipelines/document-stage.ts) kept under
 * <warehouse>/cache/documents/<key>/ (the result, and its rows as the files the load stage reads), where the key is the hash of everything the result
 * depends on and nothing else:
 *   - the document's record (its bytes' sha256, file name, manifest metadata, periods, area);
 *   - the limits that apply to its format;
 *   - the code that reads it: the source of core/, of extract/'s shared modules and text reader
 *     (every format's tables are read by it), of its format's reader (extract/pdf/ or
 *     extract/workbook/), of transform/ with the measure catalogue and geography lookup, of load's
 *     admission rules, and of the document stage itself.
 * A change to the PDF reader invalidates the PDF entries only; a changed catalogue, every entry.
 * Entries a run did not use are removed once it has published, so the cache holds one corpus.
 */
export const CACHE_VERSION = 1;
export const CACHE_DIR = join('cache', 'documents');

const SHARED_CODE = ['core', 'extract/text', 'transform', 'load/admit.ts', 'load/rows.ts', 'load/values.ts', 'load/schema.ts', 'pipelines/document-stage.ts', 'pipelines/document-worker.ts'];
const FORMAT_CODE: Record<DocumentRecord['format'], string[]> = { text: [], pdf: ['extract/pdf'], xlsx: ['extract/workbook'] };

/** Hash of the code each format's documents are read with (see above); computed once per run. */
export async function readerCode(): Promise<Record<DocumentRecord['format'], string>> {
  const topLevel = (await readdir(packagePath('extract'))).filter((n) => /\.(ts|mjs)$/.test(n) && !n.endsWith('.test.ts')).map((n) => `extract/${n}`);
  const shared = await sourceHashes([...SHARED_CODE, ...topLevel]);
  const out = {} as Record<DocumentRecord['format'], string>;
  for (const format of Object.keys(FORMAT_CODE) as Array<DocumentRecord['format']>) {
    out[format] = sha256(canonicalJson({ shared, own: await sourceHashes(FORMAT_CODE[format]) }));
  }
  return out;
}

/** The limits that apply to a document of this format. */
export function limitsOf(format: DocumentRecord['format'], limits: ExtractLimits): unknown {
  return format === 'pdf' ? limits.pdf ?? null : format === 'xlsx' ? limits.workbook ?? null : null;
}

export function cacheKey(record: DocumentRecord, limits: ExtractLimits, code: Record<DocumentRecord['format'], string>): string {
  return sha256(canonicalJson({ version: CACHE_VERSION, record, limits: limitsOf(record.format, limits), code: code[record.format] }));
}

/** The folder of a document's entry: result.json, its row files (<table>.jsonl) and rows.json listing them. */
export function cacheEntryDir(warehouseDir: string, key: string): string {
  return join(warehouseDir, CACHE_DIR, key);
}

const RESULT = 'result.json';
const ROWS = 'rows.json';

/** A row file of an entry, by its name in the entry's folder, with its hash (checked when read). */
const EntryRowFile = z.object({ table: z.enum(TABLE_NAMES), file: z.string().regex(/^[a-z_]+\.jsonl$/), rows: z.number().int().nonnegative(), sha256: z.string() }).strict();

/** A cached document: its stage result and the row files of its warehouse tables. */
export interface CacheEntry {
  result: DocumentResult;
  rowFiles: RowFile[];
}

/**
 * Write a document's entry: its result and its rows as files the load stage reads in bulk. Written
 * in a folder of its own and renamed into place, so a reader never sees half an entry.
 */
export async function writeCacheEntry(dir: string, result: DocumentResult): Promise<CacheEntry> {
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const { extraction, observations, cell_geographies } = result;
  const rows = documentRows({ tables: extraction.tables, cells: extraction.cells, statuses: extraction.statuses, statements: extraction.statements, observations, cell_geographies }, extraction.document.file);
  const written = await writeRowFiles(tmp, rows);
  const listed = await Promise.all(written.map(async (f) => ({ table: f.table, file: basename(f.path), rows: f.rows, sha256: sha256(await readFile(f.path)) })));
  await writeFile(join(tmp, RESULT), JSON.stringify(result));
  await writeFile(join(tmp, ROWS), JSON.stringify(listed));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return { result, rowFiles: listed.map((f) => ({ table: f.table, path: join(dir, f.file), rows: f.rows })) };
}

/**
 * A cached entry, validated (the cache is an input like any other: the result against its
 * contract, each row file against its hash); null when there is none, or it is unreadable or
 * broken (then the document is simply processed again).
 */
export async function readCacheEntry(dir: string): Promise<CacheEntry | null> {
  try {
    const listed = z.array(EntryRowFile).safeParse(JSON.parse(await readFile(join(dir, ROWS), 'utf8')));
    if (!listed.success) return null;
    for (const f of listed.data) if (sha256(await readFile(join(dir, f.file))) !== f.sha256) return null;
    const parsed = DocumentResult.safeParse(JSON.parse(await readFile(join(dir, RESULT), 'utf8')));
    if (!parsed.success) return null;
    return { result: parsed.data, rowFiles: listed.data.map((f) => ({ table: f.table, path: join(dir, f.file), rows: f.rows })) };
  } catch {
    return null;
  }
}

/** Remove every entry (and leftover temporary folder) but the ones kept; returns how many went. */
export async function pruneCache(warehouseDir: string, keep: ReadonlySet<string>): Promise<number> {
  const dir = join(warehouseDir, CACHE_DIR);
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (keep.has(name)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
