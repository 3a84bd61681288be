import { writeFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DavsError, canonicalJson, packagePath, sha256 } from '../core/index.js';
import { evidenceLines, evidenceOf, readEvidence, type DocumentRecord, type EvidenceExtraction, type ExtractLimits } from '../extract/index.js';
import { writeRowFiles, type RowFile } from '../load/row-files.js';
import { TABLE_NAMES } from '../load/schema.js';
import { judgingOf, summaryOf, type DocumentJudging, type DocumentSummary, type ProcessedDocument } from './document-stage.js';
import { sourceHashes } from './fingerprint.js';

/**
 * The document cache: each document's stage result (pipelines/document-stage.ts) kept under
 * <warehouse>/cache/documents/<key>/ (the result, its cells' digests the editions are compared by, and its rows as the files the load stage reads), where the key is the hash of everything the result
 * depends on and nothing else:
 *   - the document's record (its bytes' sha256, file name, manifest metadata, periods, area);
 *   - the limits that apply to its format;
 *   - the code that reads it: the source of core/, of extract/'s shared modules and text reader
 *     (every format's tables are read by it), of its format's reader (extract/pdf/ or
 *     extract/workbook/), of transform/ with the measure catalogue and geography lookup, of load's
 *     admission rules and row files, of the table checks (checks/rules and checks' own modules; not
 *     the report), and of the document stage itself.
 * A change to the PDF reader invalidates the PDF entries only; a changed catalogue, every entry.
 * Entries a run did not use are removed once it has published, so the cache holds one corpus.
 */
export const CACHE_VERSION = 6;
export const CACHE_DIR = join('cache', 'documents');

const SHARED_CODE = ['core', 'extract/text', 'transform', 'checks/rules', 'load/admit.ts', 'load/rows.ts', 'load/row-files.ts', 'load/values.ts', 'load/schema.ts', 'pipelines/document-stage.ts', 'pipelines/document-worker.ts'];
const FORMAT_CODE: Record<DocumentRecord['format'], string[]> = { text: [], pdf: ['extract/pdf'], xlsx: ['extract/workbook'] };

/** Hash of the code each format's documents are read with (see above); computed once per run. */
export async function readerCode(): Promise<Record<DocumentRecord['format'], string>> {
  const topLevel = async (folder: string) => (await readdir(packagePath(folder))).filter((n) => /\.(ts|mjs)$/.test(n) && !n.endsWith('.test.ts')).map((n) => `${folder}/${n}`);
  const shared = await sourceHashes([...SHARED_CODE, ...(await topLevel('extract')), ...(await topLevel('checks'))]);
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

/** The folder of a document's entry: evidence.jsonl (a primary edition's, extract/evidence.ts evidenceLines), summary.json, judging.json (what its checks read), edition_cells.json, its row files (<table>.jsonl) and entry.json listing them with their hashes. */
export function cacheEntryDir(warehouseDir: string, key: string): string {
  return join(warehouseDir, CACHE_DIR, key);
}

const EVIDENCE = 'evidence.jsonl';
const SUMMARY = 'summary.json';
const JUDGING = 'judging.json';
const EDITION_CELLS = 'edition_cells.json';
const MANIFEST = 'entry.json';

/** An entry's manifest: its row files (by table) and the hash of every file in it, checked when read. */
const EntryManifest = z
  .object({
    rows: z.array(z.object({ table: z.enum(TABLE_NAMES), file: z.string().regex(/^[a-z_]+\.jsonl$/), rows: z.number().int().nonnegative() }).strict()),
    sha256: z.record(z.string().regex(/^[a-z_]+\.(jsonl|json)$/), z.string()),
  })
  .strict();

/** A document's entry as the run holds it: what it keeps in memory, its row files, and its folder (for the rest: readEntryJudging, readEntryEvidence). */
export interface CacheEntry {
  dir: string;
  summary: DocumentSummary;
  rowFiles: RowFile[];
  /** sha256 of its judging.json as the entry recorded it (checked when the checks read it). */
  judgingSha256: string;
}

/**
 * Write a document's entry: what the report shows of it as evidence, its summary (what the run
 * keeps in memory: its record and sizes), what its checks read (statements, the table checks'
 * part), its cells' edition digests, and its rows as
 * the files the load stage reads in bulk. Written in a folder of its own and renamed into
 * place, so a reader never sees half an entry.
 */
export async function writeCacheEntry(dir: string, { result, rows, editionCells }: ProcessedDocument): Promise<CacheEntry> {
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  // each file hashed from the bytes written, as it is written
  const written = await writeRowFiles(tmp, rows);
  const hashes: Record<string, string> = {};
  for (const f of written) hashes[basename(f.path)] = f.sha256;
  const summary = summaryOf(result);
  const files: Array<[string, string]> = [
    // the report shows a primary edition's evidence only (another edition of its release, its PDF, is not judged)
    ...(result.extraction.document.edition_of === null ? [[EVIDENCE, evidenceLines(evidenceOf(result.extraction)).join('\n')] as [string, string]] : []),
    [SUMMARY, JSON.stringify(summary)],
    [JUDGING, JSON.stringify(judgingOf(result))],
    [EDITION_CELLS, JSON.stringify(editionCells)],
  ];
  for (const [file, text] of files) {
    const bytes = Buffer.from(text, 'utf8');
    writeFileSync(join(tmp, file), bytes);
    hashes[file] = sha256(bytes);
  }
  const manifest: z.infer<typeof EntryManifest> = { rows: written.map((f) => ({ table: f.table, file: basename(f.path), rows: f.rows })), sha256: hashes };
  writeFileSync(join(tmp, MANIFEST), JSON.stringify(manifest));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return entryOf(dir, manifest, summary);
}

function entryOf(dir: string, manifest: z.infer<typeof EntryManifest>, summary: DocumentSummary): CacheEntry {
  return { dir, summary, rowFiles: manifest.rows.map((f) => ({ table: f.table, path: join(dir, f.file), rows: f.rows })), judgingSha256: manifest.sha256[JUDGING]! };
}

/**
 * A cached entry, or null when there is none or it is unreadable or not as written (then the
 * document is simply processed again): every file is checked against the hash the entry recorded
 * when it was written. Its content was validated against its contracts when it was made (by the
 * code its key names), so it is not parsed against them again.
 */
export async function readCacheEntry(dir: string): Promise<CacheEntry | null> {
  try {
    const manifest = EntryManifest.safeParse(JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')));
    if (!manifest.success || [SUMMARY, JUDGING, EDITION_CELLS].some((f) => !Object.hasOwn(manifest.data.sha256, f))) return null;
    let summaryText = '';
    for (const [file, hash] of Object.entries(manifest.data.sha256)) {
      const bytes = await readFile(join(dir, file));
      if (sha256(bytes) !== hash) return null;
      if (file === SUMMARY) summaryText = bytes.toString('utf8');
    }
    if (manifest.data.rows.some((f) => !Object.hasOwn(manifest.data.sha256, f.file))) return null;
    const summary = JSON.parse(summaryText) as DocumentSummary;
    if (summary.document.edition_of === null && !Object.hasOwn(manifest.data.sha256, EVIDENCE)) return null;
    return entryOf(dir, manifest.data, summary);
  } catch {
    return null;
  }
}

/**
 * What the report shows as evidence of an entry's document (extract/evidence.ts; a primary edition's
 * entry has it), with only the `tables` named or every table, from an entry this run read or wrote
 * (hash-checked then): read one document at a time.
 */
export async function readEntryEvidence(entry: Pick<CacheEntry, 'dir'>, tables: ReadonlySet<string> | 'all'): Promise<EvidenceExtraction> {
  return readEvidence(await readFile(join(entry.dir, EVIDENCE)), tables);
}

/**
 * What the checks read of an entry's document (its statements, its table checks' part), checked
 * against the hash its entry recorded: an entry changed since this run read or wrote it is an error
 * that names it, not a silently different judgement.
 */
export async function readEntryJudging(entry: Pick<CacheEntry, 'dir' | 'judgingSha256'>): Promise<DocumentJudging> {
  const path = join(entry.dir, JUDGING);
  const bytes = await readFile(path);
  if (sha256(bytes) !== entry.judgingSha256) {
    throw new DavsError('this cache entry changed while the run was using it', { code: 'input-unreadable', stage: 'checks', document: path, hint: 'run again (the entry is then read anew, or rebuilt); do not edit the cache while davs runs' });
  }
  return JSON.parse(bytes.toString('utf8')) as DocumentJudging;
}

/** The digests of an entry's cells that editions are compared by (extract/editions.ts), from an entry this run read or wrote. */
export async function readEntryEditionCells(entry: CacheEntry): Promise<string[]> {
  return JSON.parse(await readFile(join(entry.dir, EDITION_CELLS), 'utf8')) as string[];
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
