import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { ContractError, InputError, compareCodePoints, sha256, wholeFileReader } from '../core/index.js';
import type { DocumentRecord } from './contracts.js';
import { decodeText } from './text/index.js';
import { isPeriodText, periodOf } from './periods.js';
import { DocumentFormat } from './contracts.js';

/** raw/manifest.json: what the stewards know about each release. */
export const ManifestEntry = z
  .object({
    file: z.string().min(1),
    publisher: z.string().min(1),
    title: z.string().min(1),
    release_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    release_date_precision: z.enum(['day', 'month', 'year']).default('day'),
    period_covered: z.string().nullable().default(null),
    format: DocumentFormat,
    original_format: z.string().optional(),
    licence: z.string().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    /** This file is another edition (e.g. the PDF) of the release in that file: one document in two formats. */
    edition_of: z.string().min(1).optional(),
    /** Documents published together (an article and its appendix tables) name one release. */
    release: z.string().min(1).optional(),
    /**
     * The period a figure is for when neither its table nor its sentence names one, as one period phrase
     * ('2019', 'year ending March 2020'). Defaults to period_covered when that is one period phrase.
     */
    reference_period: z.string().min(1).optional(),
    /** The area the document reports on when its text names none (a name of transform/geographies.jsonl). */
    geography: z.string().min(1).optional(),
    /**
     * The document's own definition of the period labels it prints: {"2020": "April 2019 to March 2020"}
     * (a report whose '2020' columns are its 2019-20 reporting year). Each value is one period phrase.
     */
    period_labels: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const onePeriod = (text: string, path: Array<string>) => {
      if (!isPeriodText(text)) ctx.addIssue({ code: 'custom', path, message: `'${text}' is not one period phrase davs reads ('2019', 'year ending March 2020', 'April 2019 to March 2020')` });
    };
    if (e.reference_period !== undefined) onePeriod(e.reference_period, ['reference_period']);
    for (const [label, phrase] of Object.entries(e.period_labels ?? {})) {
      onePeriod(phrase, ['period_labels', label]);
      if (!isPeriodText(label)) ctx.addIssue({ code: 'custom', path: ['period_labels', label], message: `'${label}' is not a period label as printed ('2020', '2019/20')` });
    }
  });
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z.object({ schema_version: z.literal(1), documents: z.array(ManifestEntry) }).strict();
export type Manifest = z.infer<typeof Manifest>;

export const MANIFEST_FILE = 'manifest.json';
const NOT_RELEASES = new Set([MANIFEST_FILE, 'README.md']);
const FORMAT_BY_EXTENSION: Record<string, z.infer<typeof DocumentFormat>> = {
  '.txt': 'text',
  '.md': 'text',
  '.pdf': 'pdf',
  '.xlsx': 'xlsx',
  '.xls': 'xlsx',
  '.ods': 'xlsx',
};

/** What listing raw/ found wrong with one file: a kind davs records as a document problem. */
export interface CorpusWarning {
  file: string;
  kind: 'missing' | 'changed' | 'skipped' | 'unlisted' | 'failed';
  message: string;
}

export interface RawDocument {
  record: DocumentRecord;
  bytes: Uint8Array;
}

export function parseManifest(text: string, path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ContractError('is not valid JSON', { code: 'manifest-invalid', stage: 'extract', document: path, cause, hint: 'fix the file or remove it to infer metadata' });
  }
  const result = Manifest.safeParse(json);
  if (!result.success) {
    throw new ContractError(`does not match the manifest schema:\n${z.prettifyError(result.error)}`, { code: 'manifest-invalid', stage: 'extract', document: path });
  }
  return result.data;
}

function stem(file: string): string {
  return file.replace(/\.[^.]+$/, '');
}

export function documentId(file: string, digest: string): string {
  const slug = file
    .replace(/\.[^.]+$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'document'}-${digest.slice(0, 12)}`;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * The longest first line taken for a title. Release titles run to about a hundred characters; a
 * longer first line is prose (or a file of one long line, whose whole text became the title of the
 * document in the warehouse and the report before this bound), and the file's name is the title.
 */
export const MAX_INFERRED_TITLE = 200;

/** Metadata a document states about itself: its first heading (if it is short enough to be one: MAX_INFERRED_TITLE), and "Release date:" (ONS articles). */
export function inferMetadata(text: string): { title: string | null; release_date: string | null; publisher: string | null } {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/^#+\s*/, '').trim());
  const first = lines.find((l) => l !== '' && !/^(article|bulletin|dataset)$/i.test(l));
  const title = first !== undefined && first.length <= MAX_INFERRED_TITLE ? first : null;
  let release: string | null = null;
  const at = lines.findIndex((l) => /^release date:?/i.test(l));
  if (at >= 0) {
    const rest = lines[at]!.replace(/^release date:?/i, '').trim() || (lines.slice(at + 1).find((l) => l !== '') ?? '');
    const m = /^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$/.exec(rest);
    const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) + 1 : 0;
    if (m && month > 0) release = `${m[3]}-${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  const publisher = /ons\.gov\.uk|Office for National Statistics/i.test(text) ? 'Office for National Statistics' : /safelives/i.test(text) ? 'SafeLives' : null;
  return { title, release_date: release, publisher };
}

/** Pure: the record of one file, from its bytes and its manifest entry (if any). */
export function describeDocument(file: string, bytes: Uint8Array, entry: ManifestEntry | undefined, warnings: CorpusWarning[]): DocumentRecord | null {
  const format = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  const digest = sha256(bytes);
  if (entry) {
    if (entry.sha256 && entry.sha256 !== digest) warnings.push({ file, kind: 'changed', message: `sha256 ${digest.slice(0, 12)}… differs from the manifest's ${entry.sha256.slice(0, 12)}…: the file changed since it was listed` });
    return {
      document_id: documentId(file, digest),
      file,
      format: entry.format,
      publisher: entry.publisher,
      title: entry.title,
      release_date: entry.release_date,
      release_date_precision: entry.release_date_precision,
      period_covered: entry.period_covered,
      sha256: digest,
      bytes: bytes.byteLength,
      metadata_source: 'manifest',
      edition_of: entry.edition_of ?? null,
      release: entry.release ?? stem(file),
      ...documentPeriods(entry),
      geography: entry.geography ?? null,
    };
  }
  if (!format) {
    warnings.push({ file, kind: 'skipped', message: `not a release format davs reads (${Object.keys(FORMAT_BY_EXTENSION).join(', ')}); skipped` });
    return null;
  }
  const inferred = format === 'text' ? inferMetadata(decodeQuietly(bytes, file)) : { title: null, release_date: null, publisher: null };
  warnings.push({ file, kind: 'unlisted', message: `no entry in raw/${MANIFEST_FILE}: metadata inferred (title ${inferred.title ? 'found' : 'missing'}, release date ${inferred.release_date ?? 'missing'})` });
  return {
    document_id: documentId(file, digest),
    file,
    format,
    publisher: inferred.publisher ?? 'unknown',
    title: inferred.title ?? file,
    release_date: inferred.release_date,
    release_date_precision: 'day',
    period_covered: null,
    sha256: digest,
    bytes: bytes.byteLength,
    metadata_source: 'inferred',
    edition_of: null,
    release: stem(file),
    reference_period: null,
    period_labels: {},
    geography: null,
  };
}

/** The normalised reference period and period labels of a manifest entry (validated as period phrases by ManifestEntry). */
function documentPeriods(entry: ManifestEntry): Pick<DocumentRecord, 'reference_period' | 'period_labels'> {
  const phrase = entry.reference_period ?? entry.period_covered;
  const reference = phrase !== null && isPeriodText(phrase) ? periodOf(phrase) : null;
  const labels: Record<string, string> = {};
  for (const label of Object.keys(entry.period_labels ?? {}).sort(compareCodePoints)) labels[periodOf(label)!] = periodOf(entry.period_labels![label]!)!;
  return { reference_period: reference, period_labels: labels };
}

/** Read every release in `rawDir`, in code-point order of file name, with its bytes. */
export async function readCorpus(rawDir: string): Promise<{ documents: RawDocument[]; warnings: CorpusWarning[] }> {
  return describeCorpus(rawDir, async (path) => new Uint8Array(await readFile(path)), (record, bytes) => ({ record, bytes }));
}

/**
 * The records of every release in `rawDir`, as readCorpus describes them, without their bytes (the
 * nightly run reads a document's bytes again as it goes to a worker). Each file is read into one
 * buffer used again for the next, so describing a corpus of a thousand files holds one file's bytes,
 * not the corpus's, and leaves no corpus-sized garbage behind in the process's allocator.
 */
export async function readCorpusRecords(rawDir: string): Promise<{ documents: DocumentRecord[]; warnings: CorpusWarning[] }> {
  const { documents, warnings } = await describeCorpus(rawDir, wholeFileReader(), (record) => ({ record }));
  return { documents: documents.map((d) => d.record), warnings };
}

/** Each release in `rawDir` described (describeDocument) from its bytes as `read` gives them, kept as `keep` makes it. */
async function describeCorpus<T extends { record: DocumentRecord }>(rawDir: string, read: (path: string) => Promise<Uint8Array>, keep: (record: DocumentRecord, bytes: Uint8Array) => T): Promise<{ documents: T[]; warnings: CorpusWarning[] }> {
  let listing;
  try {
    listing = await readdir(rawDir, { withFileTypes: true });
  } catch (cause) {
    throw new InputError('cannot list the raw folder', { code: 'input-unreadable', stage: 'extract', document: rawDir, cause, hint: 'pass --raw DIR with a folder of releases' });
  }
  const warnings: CorpusWarning[] = [];
  // dot files (.gitkeep, .DS_Store) are not releases; anything else davs does not read is said
  const visible = listing.filter((d) => !d.name.startsWith('.'));
  for (const d of visible) {
    if (d.isDirectory()) warnings.push({ file: `${d.name}/`, kind: 'skipped', message: 'a subfolder: davs reads only the files directly in the raw folder; move its releases up or point --raw at it' });
    else if (!d.isFile() && !d.isSymbolicLink()) warnings.push({ file: d.name, kind: 'skipped', message: 'not a regular file; skipped' });
  }
  const names = visible.filter((d) => d.isFile() || d.isSymbolicLink()).map((d) => d.name);
  names.sort(compareCodePoints);
  const manifest = names.includes(MANIFEST_FILE) ? parseManifest(await readFile(join(rawDir, MANIFEST_FILE), 'utf8'), join(rawDir, MANIFEST_FILE)) : null;
  const entries = new Map((manifest?.documents ?? []).map((e) => [e.file, e]));
  const present = new Set(names);
  for (const file of entries.keys()) if (!present.has(file)) warnings.push({ file, kind: 'missing', message: `listed in raw/${MANIFEST_FILE} but not present: the release is not in this run` });
  const documents: T[] = [];
  for (const file of names) {
    if (NOT_RELEASES.has(file)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await read(join(rawDir, file));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      warnings.push({ file, kind: code === 'EISDIR' ? 'skipped' : 'failed', message: `[input-unreadable] ${file}: cannot be read (${code})` });
      continue;
    }
    const record = describeDocument(file, bytes, entries.get(file), warnings);
    if (record) documents.push(keep(record, bytes));
  }
  // two files may share a slug and their bytes (a copy under another name): ids stay unique, the
  // first in code-point order of file name keeps the plain one, a later one hashes its name in too
  const taken = new Set<string>();
  for (const d of documents) {
    let id = d.record.document_id;
    for (let n = 2; taken.has(id); n++) id = documentId(d.record.file, sha256(`${d.record.sha256}\u0000${d.record.file}\u0000${n}`));
    d.record.document_id = id;
    taken.add(id);
  }
  // editions name their primary by file; records carry its document id
  const idByFile = new Map(documents.map((d) => [d.record.file, d.record.document_id]));
  for (const d of documents) {
    if (d.record.edition_of === null) continue;
    const primary = idByFile.get(d.record.edition_of);
    if (!primary) warnings.push({ file: d.record.file, kind: 'missing', message: `edition_of names ${d.record.edition_of}, which is not in raw/: read as a document of its own` });
    d.record.edition_of = primary ?? null;
  }
  return { documents, warnings };
}

function decodeQuietly(bytes: Uint8Array, file: string): string {
  try {
    return decodeText(bytes, file);
  } catch {
    return ''; // unreadable text is reported by the extractor, which reads it next
  }
}
