import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHECKS, buildSubjects, runChecks, type CheckSummary, type Finding } from '../checks/index.js';
import { renderHtml, renderMarkdown, type ReportInput } from '../checks/report/index.js';
import { DavsError, canonicalJson, compareKeys, sha256, writeFileAtomic } from '../core/index.js';
import { compareEditions, extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import type { DocumentFailure, RunRecord } from '../load/contracts.js';
import { writeWarehouse } from '../load/index.js';
import { measures, transform } from '../transform/index.js';
import { DEFAULT_CONFIG, type Config } from './config.js';
import type { Logger } from './logger.js';
import { acquireLock, publish, stagingDir } from './publish.js';

export type FailOn = 'error' | 'warning' | 'never';

export interface RunOptions {
  rawDir: string;
  warehouseDir: string;
  failOn: FailOn;
  log: Logger;
  /** Read once per run; only run metadata sees it. Tests pin it. */
  clock?: () => Date;
  version?: string;
  config?: Config;
}

export interface StageTiming {
  stage: string;
  duration_ms: number;
}

export interface RunResult {
  exitCode: 0 | 2;
  run: RunRecord;
  findings: Finding[];
  summaries: CheckSummary[];
  failures: DocumentFailure[];
  timings: StageTiming[];
  reportDir: string;
}

const REPORT_TITLE = 'davs discrepancy report: domestic abuse victim services';

/** The nightly job: raw/ → extract → transform → checks → report → load → publish. */
export async function runNightly(options: RunOptions): Promise<RunResult> {
  const clock = options.clock ?? (() => new Date());
  const started = clock();
  const runId = `run-${started.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const rawDir = resolve(options.rawDir);
  const warehouseDir = resolve(options.warehouseDir);
  const log = options.log.child({ run_id: runId });
  const timings: StageTiming[] = [];
  const timed = async <T>(stage: string, work: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const result = await work();
    timings.push({ stage, duration_ms: Math.round((performance.now() - t0) * 10) / 10 });
    return result;
  };

  const release = await acquireLock(warehouseDir);
  try {
    // extract: each document on its own; a bad one is recorded and the others go on
    const failures: DocumentFailure[] = [];
    const { extractions, documents } = await timed('extract', async () => {
      const corpus = await readCorpus(rawDir);
      const xlog = log.child({ stage: 'extract' });
      for (const w of corpus.warnings) xlog.warn({ document: w.file }, w.message);
      // documents are read side by side (PDFs in child processes); results keep the corpus order
      const results = await mapLimited(corpus.documents, availableParallelism(), async ({ record, bytes }) => {
        try {
          return await extractDocument(record, bytes, (options.config ?? DEFAULT_CONFIG).limits);
        } catch (err) {
          if (!(err instanceof DavsError)) throw err;
          return err;
        }
      });
      const extractions: Extraction[] = [];
      results.forEach((result, i) => {
        const { record } = corpus.documents[i]!;
        if (!(result instanceof DavsError)) extractions.push(result);
        else {
          failures.push({ file: record.file, stage: result.stage, code: result.code, message: result.message });
          xlog.error({ document: record.file, err: result }, 'document skipped');
        }
      });
      return { extractions, documents: corpus.documents.map((d) => d.record) };
    });
    log.info(
      { stage: 'extract', documents: documents.length, failed: failures.length, tables: count(extractions, 'tables'), cells: count(extractions, 'cells'), statements: count(extractions, 'statements'), bytes: documents.reduce((s, d) => s + d.bytes, 0), duration_ms: last(timings) },
      'extract done',
    );

    // Another edition of a release (its PDF) is loaded with its page locators, but observations and
    // checks read the primary edition only: one release in two formats is not two sources.
    const primaries = extractions.filter((x) => x.document.edition_of === null);
    for (const x of extractions) {
      const primary = extractions.find((p) => p.document.document_id === x.document.edition_of);
      if (!primary) continue;
      const agreement = compareEditions(primary, x);
      log.info({ stage: 'extract', document: x.document.file, edition_of: primary.document.file, agreement: Math.round(agreement.agreement * 10000) / 10000, cells: agreement.edition_cells, primary_cells: agreement.primary_cells }, 'editions compared');
    }
    const observations = await timed('transform', () => transform(primaries));
    log.info({ stage: 'transform', observations: observations.length, measures: new Set(observations.map((o) => o.measure_id)).size, duration_ms: last(timings) }, 'transform done');

    const results = await timed('checks', () => runChecks(CHECKS, buildSubjects(primaries, observations, measures())));
    const bySeverity = (s: string) => results.findings.filter((f) => f.severity === s).length;
    for (const s of results.summaries) if (s.crashed > 0) log.child({ stage: 'checks' }).error({ check: s.check, crashes: s.crashes }, 'check crashed');
    log.info({ stage: 'checks', checks: results.summaries.length, findings: results.findings.length, errors: bySeverity('error'), warnings: bySeverity('warning'), info: bySeverity('info'), crashed: results.summaries.reduce((s, c) => s + c.crashed, 0), duration_ms: last(timings) }, 'checks done');

    const staging = await stagingDir(warehouseDir, runId);
    // a run that fails before publishing leaves no staging folder behind (and the last good warehouse as it was)
    let run: RunRecord;
    try {
      const reportStaging = join(staging, 'reports');
      await timed('report', async () => {
        await mkdir(reportStaging, { recursive: true });
        const input: ReportInput = {
          title: REPORT_TITLE,
          corpus: documents.map((d) => ({ file: d.file, title: d.title, publisher: d.publisher, release_date: shownDate(d.release_date, d.release_date_precision) })),
          failures: failures.map((f) => ({ file: f.file, message: f.message })),
          findings: results.findings,
          summaries: results.summaries,
          describe: Object.fromEntries(CHECKS.map((c) => [c.id, c.describe])),
        };
        await writeFileAtomic(join(reportStaging, 'findings.json'), `${JSON.stringify(JSON.parse(canonicalJson(results.findings)), null, 2)}\n`);
        await writeFileAtomic(join(reportStaging, 'checks.json'), `${JSON.stringify(JSON.parse(canonicalJson(results.summaries)), null, 2)}\n`);
        await writeFileAtomic(join(reportStaging, 'report.md'), renderMarkdown(input));
        await writeFileAtomic(join(reportStaging, 'report.html'), renderHtml(input));
      });
      log.info({ stage: 'report', findings: results.findings.length, duration_ms: last(timings) }, 'report written');

      const corpusDigest = sha256(canonicalJson([...documents].sort((a, b) => compareKeys([a.file], [b.file])).map((d) => [d.file, d.sha256])));
      run = {
        run_id: runId,
        started_at: started.toISOString(),
        finished_at: started.toISOString(),
        davs_version: options.version ?? '0.0.0',
        raw_dir: rawDir,
        corpus_sha256: corpusDigest,
        documents: documents.length,
        failed_documents: failures.length,
        findings: results.findings.length,
        errors: bySeverity('error'),
        warnings: bySeverity('warning'),
      };
      const loaded = await timed('load', async () => {
        run.finished_at = clock().toISOString();
        await writeFileAtomic(join(reportStaging, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
        return writeWarehouse(join(staging, 'davs.duckdb'), {
          run,
          documents,
          failures,
          tables: extractions.flatMap((x) => x.tables),
          cells: extractions.flatMap((x) => x.cells),
          statuses: extractions.flatMap((x) => x.statuses),
          statements: extractions.flatMap((x) => x.statements),
          measures: measures(),
          observations,
          findings: results.findings,
          summaries: results.summaries,
        });
      });
      log.info({ stage: 'load', rows: loaded.rows, duration_ms: last(timings) }, 'warehouse loaded');

      await timed('publish', () => publish(warehouseDir, staging, runId));
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    log.info({ stage: 'publish', warehouse: join(warehouseDir, 'davs.duckdb'), report: join(warehouseDir, 'reports', 'latest'), duration_ms: last(timings) }, 'published');

    const failing = options.failOn === 'never' ? 0 : results.findings.filter((f) => f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning')).length;
    return {
      exitCode: failing > 0 ? 2 : 0,
      run,
      findings: results.findings,
      summaries: results.summaries,
      failures,
      timings,
      reportDir: join(warehouseDir, 'reports', 'latest'),
    };
  } finally {
    await release();
  }
}

function count(extractions: readonly Extraction[], key: 'tables' | 'cells' | 'statements'): number {
  return extractions.reduce((s, x) => s + x[key].length, 0);
}

function last(timings: readonly StageTiming[]): number {
  return timings[timings.length - 1]?.duration_ms ?? 0;
}

/** A release date to the precision it is known: "2020-11-25", or "2020" where the manifest knows only the year. */
function shownDate(date: string | null, precision: 'day' | 'month' | 'year'): string | null {
  if (date === null) return null;
  return precision === 'year' ? date.slice(0, 4) : precision === 'month' ? date.slice(0, 7) : date;
}

/** Run `work` over `items`, at most `limit` at a time; results in the order of `items`. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
