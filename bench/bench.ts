import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { CHECKS, buildSubjects, runChecks } from '../checks/index.js';
import { packagePath } from '../core/paths.js';
import { ReferenceTables, extractDocument, readCorpus, scoreAgainstReference } from '../extract/index.js';
import { readPdfItems } from '../extract/pdf/index.js';
import { describeCoverage, realCoverage } from '../test/real-coverage.js';
import { describePdfCoverage, realPdfCoverage } from '../test/real-pdf-coverage.js';
import { REAL_DIR, VERDICTS_PATH, readVerdicts, runRealSet, tally } from '../test/real-set.js';
import { SAMPLE_PATH, describeResolution, scoreResolution } from '../test/resolution.js';
import { measures, transform } from '../transform/index.js';
import { createLogger } from '../pipelines/logger.js';
import { runNightly, type StageTiming } from '../pipelines/run.js';
import { syntheticRelease } from './synthetic.js';

/**
 * `npm run bench`: times the nightly job over raw/ (or --raw DIR) several times and prints the
 * median duration of each stage, with throughput; then how extract, transform and checks scale with
 * the size of one table (a synthetic release of 1,000, 10,000 and 100,000 rows, or --sizes).
 * Timings are measured here, never asserted in tests.
 *
 *   npm run bench                                  everything
 *   npm run bench -- --scaling-only --sizes 100000 just the scaling section, one size
 */
const { values } = parseArgs({
  options: {
    raw: { type: 'string', default: 'raw' },
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '1000,10000,100000' },
    'scaling-only': { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const sizes = values.sizes!.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes row counts separated by commas, not ${values.sizes}`);
if (!values['scaling-only']) await corpusBench();
if (!values['scaling-only']) await resolutionBench();
if (!values['scaling-only']) await realPrecisionBench();
if (!values['scaling-only']) await realCoverageBench();
await scalingBench();

async function corpusBench(): Promise<void> {
  const silent = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
  const samples: StageTiming[][] = [];
  let totals: number[] = [];
  let last: Awaited<ReturnType<typeof runNightly>> | null = null;
  for (let i = 0; i < runs; i++) {
    const warehouse = await mkdtemp(join(tmpdir(), 'davs-bench-'));
    const t0 = performance.now();
    last = await runNightly({ rawDir: values.raw!, warehouseDir: warehouse, failOn: 'never', log: silent });
    totals.push(performance.now() - t0);
    samples.push(last.timings);
    await rm(warehouse, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // a stage timed in several steps (load: the document tables before the checks, the rest after) counts once, summed
  const stages = [...new Set(samples[0]!.map((t) => t.stage))];
  const rows = stages.map((stage) => [stage, median(samples.map((s) => s.filter((t) => t.stage === stage).reduce((sum, t) => sum + t.duration_ms, 0)))] as const);
  totals = totals.map((t) => Math.round(t));
  const out: string[] = [`davs bench: ${runs} runs over ${values.raw} (${last!.run.documents} documents), median per stage`, ''];
  out.push('stage        median ms');
  for (const [stage, ms] of rows) out.push(`${stage.padEnd(12)} ${ms.toFixed(1).padStart(9)}`);
  out.push(`${'total'.padEnd(12)} ${String(median(totals)).padStart(9)}`);

  // PDF reading speed: our child-process reader against pdftotext -layout (poppler), same files
  const pdfs = last!.run.documents > 0 ? (await readCorpus(values.raw!)).documents.filter((d) => d.record.format === 'pdf') : [];
  if (pdfs.length > 0) {
    out.push('', 'PDF reading          pages   davs ms  pages/s   pdftotext -layout ms  pages/s');
    for (const d of pdfs) {
      const t0 = performance.now();
      const { pages } = await readPdfItems(d.bytes, d.record.file);
      const ours = performance.now() - t0;
      const theirs = await timePdftotext(join(values.raw!, d.record.file));
      const rate = (ms: number) => (pages.length / (ms / 1000)).toFixed(1);
      out.push(`${d.record.file.slice(0, 20).padEnd(20)} ${String(pages.length).padStart(5)} ${ours.toFixed(0).padStart(9)} ${rate(ours).padStart(8)}   ${theirs === null ? 'not installed'.padStart(20) : theirs.toFixed(0).padStart(20)} ${theirs === null ? '' : rate(theirs).padStart(8)}`);
    }
    out.push('(davs: one child process per PDF, positioned items for tables; pdftotext: text layout only, no cells)');
  }

  // Workbook reading speed: the bundled workbooks and the real ones the tests use
  const realDir = packagePath('test', 'fixtures', 'real');
  const workbooks = [
    ...(await readCorpus(values.raw!)).documents.filter((d) => d.record.format === 'xlsx'),
    ...(existsSync(realDir) ? (await readCorpus(realDir)).documents.filter((d) => d.record.format === 'xlsx') : []),
  ];
  if (workbooks.length > 0) {
    out.push('', 'workbooks                                cells    ms   cells/s');
    for (const d of workbooks) {
      const t0 = performance.now();
      // a real workbook davs refuses (formulas without stored values) is named, not timed
      const x = await extractDocument(d.record, d.bytes).catch((err: unknown) => err as Error);
      const ms = performance.now() - t0;
      if (x instanceof Error) {
        out.push(`${d.record.file.slice(0, 38).padEnd(38)} not read: ${x.message.slice(0, 60)}`);
        continue;
      }
      out.push(`${d.record.file.slice(0, 38).padEnd(38)} ${String(x.cells.length + x.statuses.length).padStart(7)} ${ms.toFixed(0).padStart(5)} ${((x.cells.length + x.statuses.length) / (ms / 1000)).toFixed(0).padStart(9)}`);
    }
    out.push('(a child process per workbook: SheetJS start-up is part of each time)');
  }

  // Cell precision and recall against the tables keyed by hand (test/reference/tables.json)
  const referencePath = packagePath('test', 'reference', 'tables.json');
  if (existsSync(referencePath)) {
    const reference = ReferenceTables.parse(JSON.parse(readFileSync(referencePath, 'utf8')));
    const corpus = await readCorpus(values.raw!);
    const extractions = await Promise.all(corpus.documents.map((d) => extractDocument(d.record, d.bytes)));
    out.push('', `cells against ${reference.tables.length} hand-keyed tables   precision   recall   (reference cells, extracted cells)`);
    for (const edition of ['text', 'pdf'] as const) {
      // the PDF path only on the tables of documents that have a PDF edition
      const keyed = edition === 'text' ? reference : { ...reference, tables: reference.tables.filter((t) => extractions.some((x) => x.document.edition_of !== null && extractions.find((p) => p.document.document_id === x.document.edition_of)?.document.file === t.document)) };
      const score = scoreAgainstReference(keyed, extractions, edition);
      out.push(`${`${edition} path`.padEnd(38)} ${(score.precision * 100).toFixed(2).padStart(8)}% ${(score.recall * 100).toFixed(2).padStart(7)}%   (${score.referenceCells}, ${score.extractedCells}; tables matched ${score.matchedTables})`);
    }
    out.push('(the PDF path is scored on the tables of documents that have a PDF edition)');
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Precision of the checks on real publications (test/fixtures/real): a fresh run's error and
 * warning findings against the verdicts given by hand (test/reference/real-findings.json);
 * precision = real ÷ (real + false). Findings with no verdict are counted apart (judge them).
 */
/** Precision and recall of measure, period and geography on the hand-labelled sample of the bundled corpus. */
async function resolutionBench(): Promise<void> {
  if (!existsSync(SAMPLE_PATH)) return;
  console.log(`\n${describeResolution(await scoreResolution(values.raw!))}`);
}

async function realPrecisionBench(): Promise<void> {
  if (!existsSync(REAL_DIR) || !existsSync(VERDICTS_PATH)) return;
  const run = await runRealSet();
  const tallies = tally(run, readVerdicts());
  const sum = (k: keyof Omit<(typeof tallies)[number], 'file'>) => tallies.reduce((s, t) => s + t[k], 0);
  const precision = (real: number, wrong: number) => (real + wrong === 0 ? 'n/a (none)' : `${((real / (real + wrong)) * 100).toFixed(1)}%`);
  const out = ['', `checks on ${run.files.length} real publications (test/fixtures/real), judged by hand (test/reference/real-findings.json)`, ''];
  out.push(`${'file'.padEnd(44)} real-E false-E real-W false-W unjudged`);
  for (const t of tallies) {
    out.push(`${t.file.slice(0, 44).padEnd(44)} ${String(t.realErrors).padStart(6)} ${String(t.falseErrors).padStart(7)} ${String(t.realWarnings).padStart(6)} ${String(t.falseWarnings).padStart(7)} ${String(t.unjudged).padStart(8)}`);
  }
  out.push(`precision: errors ${precision(sum('realErrors'), sum('falseErrors'))} (${sum('realErrors')} real, ${sum('falseErrors')} false); warnings ${precision(sum('realWarnings'), sum('falseWarnings'))} (${sum('realWarnings')} real, ${sum('falseWarnings')} false); unjudged ${sum('unjudged')}`);
  for (const f of run.failures) out.push(`not checked: ${f.file}: ${f.message.slice(0, 120)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Cell coverage of each real workbook and PDF against an independent count of its numbers (test/real-coverage.ts, test/real-pdf-coverage.ts). */
async function realCoverageBench(): Promise<void> {
  if (!existsSync(REAL_DIR)) return;
  const out = ['', 'cell coverage of the real workbooks (test/fixtures/real), against a count of their numbers made straight from SheetJS', ''];
  for (const c of await realCoverage(REAL_DIR)) out.push(describeCoverage(c));
  out.push('', 'cell coverage of the real PDFs, against a count of the numbers standing in table rows made straight from pdfjs words', '');
  for (const c of await realPdfCoverage(REAL_DIR)) out.push(describePdfCoverage(c));
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * One table of n rows (bench/synthetic.ts: a label, Count and % for two years, an n= row and a
 * Total row) through the stages the nightly job runs on it in-process: extract (extractDocument),
 * transform, and checks (buildSubjects and runChecks, as pipelines/run.ts calls them). Seconds per
 * stage at each size; the stages should grow no faster than n log n.
 */
async function scalingBench(): Promise<void> {
  if (sizes.length === 0) return;
  const out: string[] = ['', 'scaling: one synthetic table of n rows, seconds per stage (target: 100,000 rows in under 30 s)', ''];
  out.push(`${'rows'.padStart(8)} ${'cells'.padStart(8)} ${'extract'.padStart(9)} ${'transform'.padStart(9)} ${'checks'.padStart(9)} ${'total'.padStart(9)}   ${'µs/row'.padStart(7)}  findings`);
  process.stdout.write(`${out.join('\n')}\n`);
  for (const n of sizes) {
    const release = syntheticRelease(n);
    const seconds = (t0: number) => (performance.now() - t0) / 1000;
    let t0 = performance.now();
    const extraction = await extractDocument(release.record, release.bytes);
    const extract = seconds(t0);
    t0 = performance.now();
    const observations = transform([extraction]);
    const transformed = seconds(t0);
    t0 = performance.now();
    const results = runChecks(CHECKS, buildSubjects([extraction], observations, measures()));
    const checks = seconds(t0);
    const total = extract + transformed + checks;
    if (extraction.cells.length !== release.expected.cells) throw new Error(`${n} rows gave ${extraction.cells.length} cells, not ${release.expected.cells}`);
    const crashed = results.summaries.reduce((sum, s) => sum + s.crashed, 0);
    const cols = [extract, transformed, checks, total].map((x) => x.toFixed(2).padStart(9)).join(' ');
    process.stdout.write(`${String(n).padStart(8)} ${String(extraction.cells.length).padStart(8)} ${cols}   ${((total * 1e6) / n).toFixed(1).padStart(7)}  ${results.findings.length}${crashed > 0 ? ` (${crashed} checks crashed)` : ''}\n`);
  }
}

async function timePdftotext(path: string): Promise<number | null> {
  const t0 = performance.now();
  try {
    await execa('pdftotext', ['-layout', path, '-'], { stdout: 'ignore' });
    return performance.now() - t0;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}
