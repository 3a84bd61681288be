import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatLocator } from '../core/index.js';
import { extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import { MEASURES, resolveExtraction, type MeasureDefinition, type Resolution } from '../transform/index.js';

/**
 * How well davs resolves figures to (measure, period, geography), measured against a sample labelled
 * by hand from the bundled corpus: test/reference/resolution-sample.jsonl (drawn by
 * test/reference/draw-resolution-sample.mts; its header says how, and the label conventions).
 *
 * For each dimension: precision = right answers ÷ answers davs gave, recall = right answers ÷ answers
 * the labels hold. Measure is scored on every item; period and geography on the items labelled with
 * a measure (the figures that should become observations), where davs's answer is its resolution of
 * that cell or sentence number whatever measure it found.
 */
export const SAMPLE_PATH = join(import.meta.dirname, 'reference', 'resolution-sample.jsonl');
export const RAW_DIR = join(import.meta.dirname, '..', 'raw');

const Labels = { measure: z.string().nullable(), period: z.string().nullable(), geography: z.string().nullable() };
export const SampleItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('statement'), file: z.string(), locator: z.string(), raw: z.string(), occurrence: z.number().int().positive(), ...Labels }).passthrough(),
  z.object({ kind: z.literal('cell'), file: z.string(), locator: z.string(), row_path: z.array(z.string()), column_path: z.array(z.string()), raw: z.string(), ...Labels }).passthrough(),
]);
export type SampleItem = z.infer<typeof SampleItem>;

export function readSample(path = SAMPLE_PATH): SampleItem[] {
  const out: SampleItem[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const parsed = SampleItem.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${z.prettifyError(parsed.error)}`);
      out.push(parsed.data);
    });
  return out;
}

export interface DimensionScore {
  dimension: 'measure' | 'period' | 'geography';
  /** Items davs gave an answer for, labelled items, and items where both agree. */
  answered: number;
  labelled: number;
  right: number;
  precision: number;
  recall: number;
}

export interface ResolutionScore {
  items: number;
  unmatched: string[];
  dimensions: DimensionScore[];
  /** Every item davs got wrong on a dimension: what the label says and what davs said. */
  misses: Array<{ item: string; dimension: string; label: string | null; davs: string | null }>;
}

/** The sample's key for a resolved cell or statement, as the sample names it. */
function keysOf(extraction: Extraction, resolutions: readonly Resolution[]): Map<string, Resolution> {
  const byId = new Map(resolutions.map((r) => [r.source_id, r]));
  const out = new Map<string, Resolution>();
  for (const c of extraction.cells) {
    const r = byId.get(c.cell_id);
    if (r) out.set(JSON.stringify(['cell', extraction.document.file, formatLocator(c.locator), c.row_path, c.column_path, c.figure.raw]), r);
  }
  const seen = new Map<string, number>();
  // occurrence counts by the figure's offset in its sentence, as the sample was drawn (a stable sort: ties keep document order)
  const statements = [...extraction.statements].sort((a, b) => a.offset - b.offset);
  for (const s of statements) {
    const base = JSON.stringify([extraction.document.file, formatLocator(s.locator), s.figure.raw]);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const r = byId.get(s.statement_id);
    if (r) out.set(JSON.stringify(['statement', extraction.document.file, formatLocator(s.locator), s.figure.raw, n]), r);
  }
  return out;
}

function itemKey(item: SampleItem): string {
  return item.kind === 'cell'
    ? JSON.stringify(['cell', item.file, item.locator, item.row_path, item.column_path, item.raw])
    : JSON.stringify(['statement', item.file, item.locator, item.raw, item.occurrence]);
}

/** Pure: the score of resolutions (by sample key) against the labelled items. */
export function scoreSample(items: readonly SampleItem[], resolved: ReadonlyMap<string, Resolution>): ResolutionScore {
  const tallies = { measure: { answered: 0, labelled: 0, right: 0 }, period: { answered: 0, labelled: 0, right: 0 }, geography: { answered: 0, labelled: 0, right: 0 } };
  const misses: ResolutionScore['misses'] = [];
  const unmatched: string[] = [];
  for (const item of items) {
    const key = itemKey(item);
    const r = resolved.get(key);
    if (!r) {
      unmatched.push(key);
      continue;
    }
    const answers = { measure: r.measure?.measure.measure_id ?? null, period: r.period, geography: r.geography };
    for (const dimension of ['measure', 'period', 'geography'] as const) {
      if (dimension !== 'measure' && item.measure === null) continue;
      const label = item[dimension];
      const davs = answers[dimension];
      const t = tallies[dimension];
      if (davs !== null) t.answered++;
      if (label !== null) t.labelled++;
      if (davs !== null && davs === label) t.right++;
      else if (davs !== label) misses.push({ item: key, dimension, label, davs });
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    items: items.length,
    unmatched,
    dimensions: (['measure', 'period', 'geography'] as const).map((dimension) => {
      const t = tallies[dimension];
      return { dimension, ...t, precision: ratio(t.right, t.answered), recall: ratio(t.right, t.labelled) };
    }),
    misses,
  };
}

/** Extracts the primary editions of the bundled corpus, resolves them and scores the labelled sample. */
export async function scoreResolution(rawDir = RAW_DIR, samplePath = SAMPLE_PATH, defs: readonly MeasureDefinition[] = MEASURES): Promise<ResolutionScore> {
  const items = readSample(samplePath);
  const files = new Set(items.map((i) => i.file));
  const { documents } = await readCorpus(rawDir);
  const resolved = new Map<string, Resolution>();
  for (const d of documents) {
    if (d.record.edition_of !== null || !files.has(d.record.file)) continue;
    const extraction = await extractDocument(d.record, d.bytes);
    for (const [k, r] of keysOf(extraction, resolveExtraction(extraction, defs))) resolved.set(k, r);
  }
  return scoreSample(items, resolved);
}

export function describeResolution(score: ResolutionScore): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [`resolution of ${score.items} hand-labelled items (test/reference/resolution-sample.jsonl)${score.unmatched.length ? `, ${score.unmatched.length} not found` : ''}:`];
  for (const d of score.dimensions) lines.push(`  ${d.dimension.padEnd(10)} precision ${pct(d.precision)} (${d.right}/${d.answered})  recall ${pct(d.recall)} (${d.right}/${d.labelled})`);
  return lines.join('\n');
}
