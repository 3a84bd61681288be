import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { sha256 } from '../core/index.js';
import { packagePath } from '../core/paths.js';
import { MANIFEST_FILE, parseManifest, type Manifest, type ManifestEntry } from '../extract/manifest.js';
import { buildPdf } from '../editions/pdf/build.js';

/**
 * Synthetic corpora of N documents for `npm run bench:scale`, made by cycling the bundled releases
 * in raw/ (every file of its manifest). Copy c of a release gets the file name `<stem>-c<c>.<ext>`,
 * its release name (when the manifest gives one) the same suffix, and a few numbers changed,
 * deterministically from (seed, c, file):
 *
 * - text: the last digit of `TEXT_CHANGES` numbers of the body (not years, not one-digit numbers);
 * - xlsx: one numeric cell, read and written back with SheetJS (the written workbook keeps values,
 *   merges and number formats; SheetJS drops what it does not model, e.g. column widths);
 * - pdf: rebuilt with editions/pdf from its own copy's (changed) text, so the PDF edition
 *   agrees with the text file it is `edition_of`.
 *
 * The cycle puts each PDF straight after the text it is an edition of, so a PDF is only included
 * when its text is. Same (n, seed, source) → same bytes; no Math.random.
 */
export interface CorpusFile {
  file: string;
  bytes: Uint8Array;
}

export interface ScaleCorpus {
  files: CorpusFile[];
  manifest: Manifest;
  /** The bundled file each generated file is a copy of, and which copy. */
  sources: Array<{ file: string; source: string; copy: number }>;
}

export interface ScaleOptions {
  /** Folder of the bundled releases (with manifest.json); defaults to the repository's raw/. */
  sourceDir?: string;
  seed?: number;
}

export const DEFAULT_SOURCE_DIR = packagePath('raw');
export const DEFAULT_SEED = 20201125;
export const TEXT_CHANGES = 3;

/** A small linear congruential generator (as bench/synthetic.ts): reproducible without a dependency. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A stable 32-bit seed from the corpus seed, the copy index and the source file. */
function seedFor(seed: number, copy: number, file: string): number {
  let h = (seed ^ Math.imul(copy + 1, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** `report.txt`, copy 7 → `report-c0007.txt`. */
export function copyName(file: string, copy: number, width = 4): string {
  const dot = file.lastIndexOf('.');
  const suffix = `-c${String(copy).padStart(width, '0')}`;
  return dot <= 0 ? `${file}${suffix}` : `${file.slice(0, dot)}${suffix}${file.slice(dot)}`;
}

/** The manifest entries in cycle order: each PDF (edition_of) straight after its text. */
export function cycleOrder(entries: ManifestEntry[]): ManifestEntry[] {
  const editions = entries.filter((e) => e.edition_of !== undefined);
  const out: ManifestEntry[] = [];
  for (const e of entries) {
    if (e.edition_of !== undefined) continue;
    out.push(e);
    out.push(...editions.filter((p) => p.edition_of === e.file));
  }
  // an edition whose primary is not in the manifest still goes in (it then has no primary to follow)
  for (const p of editions) if (!out.includes(p)) out.push(p);
  return out;
}

// a number standing alone: 12, 1,234, 45.6 (not part of a word, a date like 2019-20 or a decimal's tail)
const NUMBER = /(?<![\w.,\-/])\d+(?:,\d{3})*(?:\.\d+)?(?![\w\-/]|[.,]\d)/g;

/** Positions of the numbers in `text` that may change: after the first heading block, two or more digits, not a year. */
export function changeableNumbers(text: string): Array<{ index: number; token: string }> {
  // leave the title and the "Release date:" block alone: the body starts at the second heading
  const headings = [...text.matchAll(/^#{1,6} /gm)].map((m) => m.index);
  const bodyStart = headings[1] ?? Math.min(text.length, 400);
  const out: Array<{ index: number; token: string }> = [];
  for (const m of text.matchAll(NUMBER)) {
    if (m.index < bodyStart) continue;
    const digits = m[0].replace(/[^\d]/g, '');
    if (digits.length < 2) continue;
    if (/^(19|20)\d\d$/.test(m[0])) continue;
    out.push({ index: m.index, token: m[0] });
  }
  return out;
}

/** Pure: `text` with the last digit of `count` of its body's numbers changed (each to a different digit). */
export function changeTextNumbers(text: string, seed: number, count = TEXT_CHANGES): { text: string; changed: Array<{ from: string; to: string }> } {
  const random = lcg(seed);
  const candidates = changeableNumbers(text);
  const picked = new Set<number>();
  while (picked.size < Math.min(count, candidates.length)) picked.add(Math.floor(random() * candidates.length));
  const order = [...picked].sort((a, b) => candidates[b]!.index - candidates[a]!.index); // from the end: indices stay valid
  let out = text;
  const changed: Array<{ from: string; to: string }> = [];
  for (const k of order) {
    const { index, token } = candidates[k]!;
    const last = token.length - 1;
    const digit = (Number(token[last]) + 1 + Math.floor(random() * 9)) % 10; // +1..+9: never the same digit
    const to = `${token.slice(0, last)}${digit}`;
    out = `${out.slice(0, index)}${to}${out.slice(index + token.length)}`;
    changed.push({ from: token, to });
  }
  return { text: out, changed: changed.reverse() };
}

/** Pure: the workbook with one numeric cell changed (read and written with SheetJS). */
export function changeWorkbookCell(bytes: Uint8Array, seed: number): { bytes: Uint8Array; sheet: string; cell: string; from: number; to: number } {
  const wb = XLSX.read(bytes, { type: 'buffer', cellStyles: true, cellNF: true });
  const numeric: Array<{ sheet: string; cell: string }> = [];
  for (const sheet of wb.SheetNames) {
    const ws = wb.Sheets[sheet]!;
    for (const cell of Object.keys(ws).filter((k) => !k.startsWith('!'))) {
      const c = ws[cell] as XLSX.CellObject;
      if (c.t === 'n' && typeof c.v === 'number' && c.f === undefined) numeric.push({ sheet, cell });
    }
  }
  if (numeric.length === 0) throw new Error('the workbook has no numeric cell to change');
  // sheet order, then row and column order: Object.keys order is SheetJS's, made explicit here
  numeric.sort((a, b) => {
    if (a.sheet !== b.sheet) return wb.SheetNames.indexOf(a.sheet) - wb.SheetNames.indexOf(b.sheet);
    const ra = XLSX.utils.decode_cell(a.cell);
    const rb = XLSX.utils.decode_cell(b.cell);
    return ra.r - rb.r || ra.c - rb.c;
  });
  const random = lcg(seed);
  const target = numeric[Math.floor(random() * numeric.length)]!;
  const c = wb.Sheets[target.sheet]![target.cell] as XLSX.CellObject;
  const from = c.v as number;
  const step = 1 + Math.floor(random() * 9);
  // keep the cell's kind: a whole number stays whole, a decimal changes in its last shown place
  const decimals = Number.isInteger(from) ? 0 : Math.min(4, (String(from).split('.')[1] ?? '').length);
  const to = Math.round((from + step / 10 ** decimals) * 10 ** decimals) / 10 ** decimals;
  c.v = to;
  delete c.w; // formatted text is rebuilt from v and z
  const out: unknown = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: true, cellStyles: true });
  if (!(out instanceof Uint8Array)) throw new Error('SheetJS did not return a buffer');
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), sheet: target.sheet, cell: target.cell, from, to };
}

/** The PDF title editions/pdf gives each bundled edition, by text file; else the manifest title. */
const PDF_TITLES: Record<string, string> = {
  'safelives-insights-idva-2019-20.txt': 'SafeLives · Insights Idva dataset 2019-20',
  'safelives-practitioner-survey-2019.txt': 'SafeLives · Domestic abuse practitioner survey 2019',
};

/** Build a corpus of `n` documents in memory (the PDF rebuild is the only asynchronous step). */
export async function buildScaleCorpus(n: number, options: ScaleOptions = {}): Promise<ScaleCorpus> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, not ${n}`);
  const sourceDir = options.sourceDir ?? DEFAULT_SOURCE_DIR;
  const seed = options.seed ?? DEFAULT_SEED;
  const manifestPath = join(sourceDir, MANIFEST_FILE);
  const manifestSource = readFileSync(manifestPath, 'utf8');
  const source = parseManifest(manifestSource, manifestPath);
  // the entries as written (parseManifest fills in defaults such as release_date_precision): copies keep the same fields
  const written = new Map((JSON.parse(manifestSource) as { documents: ManifestEntry[] }).documents.map((e) => [e.file, e]));
  const cycle = cycleOrder(source.documents);
  if (cycle.length === 0) throw new Error(`${sourceDir}/${MANIFEST_FILE} lists no documents`);
  const originals = new Map(cycle.map((e) => [e.file, new Uint8Array(readFileSync(join(sourceDir, e.file)))]));
  const width = Math.max(4, String(Math.ceil(n / cycle.length) - 1).length);
  const files: CorpusFile[] = [];
  const documents: ManifestEntry[] = [];
  const sources: ScaleCorpus['sources'] = [];
  const changedText = new Map<string, string>(); // copy's text file → its changed text (for its PDF)
  for (let i = 0; i < n; i++) {
    const entry = cycle[i % cycle.length]!;
    const copy = Math.floor(i / cycle.length);
    const file = copyName(entry.file, copy, width);
    const original = originals.get(entry.file)!;
    const s = seedFor(seed, copy, entry.file);
    let bytes: Uint8Array;
    if (entry.format === 'text') {
      const text = changeTextNumbers(new TextDecoder().decode(original), s).text;
      changedText.set(file, text);
      bytes = new TextEncoder().encode(text);
    } else if (entry.format === 'xlsx') {
      bytes = changeWorkbookCell(original, s).bytes;
    } else if (entry.edition_of !== undefined && changedText.has(copyName(entry.edition_of, copy, width))) {
      const pdf = await buildPdf(changedText.get(copyName(entry.edition_of, copy, width))!, PDF_TITLES[entry.edition_of] ?? entry.title);
      bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    } else {
      bytes = original; // a PDF with no text edition in the cycle: copied as it is
    }
    const out: ManifestEntry = { ...(written.get(entry.file) ?? entry), file, sha256: sha256(bytes) };
    if (entry.release !== undefined) out.release = `${entry.release}-c${String(copy).padStart(width, '0')}`;
    if (entry.edition_of !== undefined) out.edition_of = copyName(entry.edition_of, copy, width);
    files.push({ file, bytes });
    documents.push(out);
    sources.push({ file, source: entry.file, copy });
  }
  return { files, manifest: { schema_version: 1, documents }, sources };
}

/** The manifest as raw/manifest.json is written: two-space JSON and a final newline. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Write a corpus of `n` documents and its manifest.json into `outDir` (created if missing). */
export async function writeScaleCorpus(n: number, outDir: string, options: ScaleOptions = {}): Promise<ScaleCorpus> {
  const corpus = await buildScaleCorpus(n, options);
  await mkdir(outDir, { recursive: true });
  for (const f of corpus.files) await writeFile(join(outDir, f.file), f.bytes);
  await writeFile(join(outDir, MANIFEST_FILE), manifestText(corpus.manifest));
  return corpus;
}
