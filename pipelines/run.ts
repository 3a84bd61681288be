import { readFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CHECKS, Finding, checkAcrossDocuments, finishChecks, sentenceSubjects, sharingTexts, type CheckPart, type CheckSummary, type ObservationSource, type SentenceSource } from '../checks/index.js';
import { DECISIONS_FILE, decisionStatuses, readDecisions, shownPath, type Decision, type DecisionStatus } from '../checks/decisions.js';
import { compareRuns, type PreviousRun } from '../checks/report/changes.js';
import { SERIES_CHECKS } from '../checks/report/charts.js';
import { evidenceSources, rawLinkBase, reportSeries, seriesKey, seriesKeysOf } from '../checks/report/sources.js';
import { DavsError, canonicalJson, collectGarbage, collectingEvery, compareKeys, pushToKey, sha256, sharedTexts, sortBy, writeFileAtomic } from '../core/index.js';
import { compareEditionDigests, readCorpusRecords, type CorpusWarning, type DocumentRecord } from '../extract/index.js';
import { DOCUMENT_TABLES, RunManifest, type RowFile, type TableName, TABLE_DIGEST, categoryFigures, figureSizes, observationCounts, observationPartitions, partitionBatches, observationsFrom, observationsOf, openWarehouse, readFindingKeys, rowFilesByTable, FindingKey, type DocumentFiles, type DocumentProblem, type RowFiles, type RunRecord, type WarehouseWriter } from '../load/index.js';
import { measures, orderObservations, type Observation } from '../transform/index.js';
import { cacheEntryDir, cacheKey, pruneCache, readCacheEntry, readEntryEditionCells, readEntryJudging, readerCode, type CacheEntry } from './cache.js';
import type { DocumentJudging } from './document-stage.js';
import { writeReport, type ReportJob } from './report-stage.js';
import { closeSharedPool, poolOptions, sharedPool, type DocumentOutcome } from './worker-pool.js';
import { DEFAULT_CONFIG, type Config } from './config.js';
import type { Logger } from './logger.js';
import { provenance, type Provenance } from './provenance.js';
import { exitCodeOfCounts, severityCounts, type ExitCode, type FailOn } from './exit.js';
import { FINGERPRINT_FILE, type PublishedFingerprint, type RunFingerprint } from './fingerprint.js';
import { CURRENT_LINK, acquireLock, cleanLeftovers, currentRun, makeStagingDir, newRunId, publish, readFindingsSeen } from './publish.js';

export { EXIT, type ExitCode, type FailOn } from './exit.js';

/**
 * Points between stages where a run may be interrupted, in the order a run passes them; tests kill
 * the process at each. 'extract' is every document read: the transform and the checks, which read
 * the primary editions only, do not wait for the other editions (runNightly).
 */
export const BOUNDARIES = ['locked', 'transform', 'checks', 'extract', 'report', 'load', 'staged', 'switched'] as const;
export type Boundary = (typeof BOUNDARIES)[number];

export interface RunOptions {
  rawDir: string;
  warehouseDir: string;
  failOn: FailOn;
  log: Logger;
  /** Read once per run; only run metadata sees it. Tests pin it. */
  clock?: () => Date;
  version?: string;
  config?: Config;
  /** Publish even when the corpus is empty or shrank past the guard. */
  allowShrink?: boolean;
  /** Called at each boundary (fault injection in tests). */
  between?: (boundary: Boundary) => Promise<void> | void;
  /** Code and environment identity; computed when not given. */
  provenance?: Provenance;
  /** Stewards' decisions file; default config.decisions, else checks/decisions.jsonl of this checkout. */
  decisionsFile?: string;
  /** Read documents' results from the cache (<warehouse>/cache/); false rebuilds every one (and refreshes the cache). Default true. */
  cache?: boolean;
  /**
   * Keep the process's document workers for the next run in the same process (tests run many; the
   * default). false: they exit as soon as every document is read, so the later stages do not share
   * the machine's memory with idle workers (the davs command).
   */
  keepWorkers?: boolean;
  /** What the run's output depends on (pipelines/fingerprint.ts), as the CLI computed it before starting: kept with the published run, so an unchanged night can be skipped. */
  fingerprint?: RunFingerprint | null;
}

export interface StageTiming {
  stage: string;
  duration_ms: number;
  /**
   * This process's resident memory at its highest so far when the stage ended (MiB; its threads
   * included, the document workers not: they are processes of their own). The first stage to reach
   * the run's highest is the one its peak was in.
   */
  max_rss_mb: number;
}

export interface RunResult {
  exitCode: ExitCode;
  run: RunManifest;
  findings: Finding[];
  summaries: CheckSummary[];
  /** Documents that failed in some stage (the problems of kind 'failed'). */
  failures: DocumentProblem[];
  /** Everything that went wrong with a file of raw/, failures included. */
  problems: DocumentProblem[];
  /** The stewards' decisions read, each 'current' (its finding occurs in this run) or 'stale'. */
  decisions: Array<Decision & { status: DecisionStatus; applies_to: string | null }>;
  /** Findings without a current decision: the ones --fail-on counts. */
  undecided: Finding[];
  timings: StageTiming[];
  reportDir: string;
}

/** A guard kept the run from publishing: exit code 4, the last good warehouse stays. */
export class PublishRefused extends DavsError {
  constructor(what: string, warehouseDir: string) {
    super(what, { code: 'publish-refused', stage: 'pipeline', document: warehouseDir, hint: 'nothing was published; the last good warehouse stays. If the corpus really is smaller, run again with --allow-shrink' });
  }
}

const REPORT_TITLE = 'davs discrepancy report: domestic abuse victim services';

/** How many documents came from the cache and how many were read, and the cache keys this run uses (the rest are pruned). */
interface CacheCounts {
  hits: number;
  misses: number;
  keys: Set<string>;
}

/** What the stages of one run share: where it reads and writes, its log and timings, and the problems with files of raw/ found so far. */
interface Run {
  id: string;
  started: Date;
  clock: () => Date;
  options: RunOptions;
  config: Config;
  rawDir: string;
  warehouseDir: string;
  decisionsFile: string;
  log: Logger;
  between: (boundary: Boundary) => Promise<void> | void;
  problems: DocumentProblem[];
  timings: StageTiming[];
}

/** The nightly job: raw/ → extract → transform → checks → report → load → publish, each stage a function below. */
export async function runNightly(options: RunOptions): Promise<RunResult> {
  const clock = options.clock ?? (() => new Date());
  const config = options.config ?? DEFAULT_CONFIG;
  const started = clock();
  const id = newRunId(started);
  const run: Run = {
    id,
    started,
    clock,
    options,
    config,
    rawDir: resolve(options.rawDir),
    warehouseDir: resolve(options.warehouseDir),
    decisionsFile: resolve(options.decisionsFile ?? config.decisions ?? DECISIONS_FILE),
    log: options.log.child({ run_id: id }),
    between: options.between ?? (() => undefined),
    problems: [],
    timings: [],
  };
  const { log, warehouseDir } = run;
  const release = await acquireLock(warehouseDir, id);
  // what code and environment this run is (git, the lockfile, DuckDB's version): found while the
  // last documents are read, on the core the first idle worker leaves (two git processes; DuckDB's
  // version is asked of its library), not after the report
  let origin: Promise<Awaited<ReturnType<typeof provenance>>> | null = null;
  const findOrigin = (): Promise<Awaited<ReturnType<typeof provenance>>> => {
    if (origin === null) {
      origin = options.provenance ? Promise.resolve(options.provenance) : provenance();
      origin.catch(() => undefined); // awaited below; a run that fails before then must not leave it unhandled
    }
    return origin;
  };
  try {
    await run.between('locked');
    for (const left of await cleanLeftovers(warehouseDir)) log.warn({ stage: 'pipeline', path: left.path }, left.what);
    const previous = await previousRun(warehouseDir, log);
    const cached = { hits: 0, misses: 0, keys: new Set<string>() };
    // the warehouse is begun in the staging folder while the last documents are read (stagedWarehouse);
    // the document tables load in bulk from the row files the workers wrote (or the cache kept): the
    // observations first, which the checks that compare documents query, then the rest once every
    // document is read. A run that fails before publishing removes its staging folder (and the last
    // good warehouse stays as it was); one that is killed leaves it to the next run, which removes it
    const warehouse = stagedWarehouse(run);
    try {
      const reading = await extractStage(run, cached, () => {
        warehouse.begin();
        void findOrigin();
      });
      const { documents } = reading;
      const files = new Map(documents.map((d) => [d.document_id, d.file]));
      // the observations and the checks read the primary editions only: loaded, counted and judged
      // as soon as those are read, while the other editions (PDFs of the same releases) may still
      // be. A night where one PDF edition changed and the rest came from the cache took 0.88 of the
      // time (2.57 s against 3.01, paired, n=12); a cold night of the bundled corpus as long (1.003,
      // n=20: its PDFs were read about as soon as its texts)
      const primaries = await reading.primaries;
      const { staging, writer: opened } = await loadObservationsStage(run, warehouse, primaries);
      await transformStage(run, opened.connection, primaries);
      await run.between('transform');
      const results = await checksStage(run, opened, files, primaries);
      await run.between('checks');
      const loaded = await reading.all;
      guard(loaded, previous, config, options.allowShrink ?? false, run.rawDir, warehouseDir);
      await run.between('extract');
      await compareEditions(run, loaded);
      await loadDocumentsStage(run, opened, loaded);
      const { decisions, decided, undecided } = await decisionsStage(run, results.findings);

      run.problems.sort((a, b) => compareKeys([a.file, a.kind, a.stage, a.message], [b.file, b.kind, b.stage, b.message]));
      const inputs = sortBy(documents, (d) => [d.file]).map((d) => ({ file: d.file, sha256: d.sha256 }));
      const compared = await compareWithPublished(run, previous, results.findings, inputs);
      const bySeverity = severityCounts(results.findings);
      const record: RunRecord = {
        run_id: id,
        started_at: started.toISOString(),
        finished_at: started.toISOString(),
        davs_version: options.version ?? '0.0.0',
        raw_dir: run.rawDir,
        corpus_sha256: sha256(canonicalJson(inputs.map((i) => [i.file, i.sha256]))),
        documents: documents.length,
        failed_documents: run.problems.filter((p) => p.kind === 'failed').length,
        findings: results.findings.length,
        errors: bySeverity.error,
        warnings: bySeverity.warning,
        document_problems: run.problems.length,
        cells: count(loaded, 'cells'),
        ...(await findOrigin()),
      };
      const written = await reportAndLoadStage(run, { opened, staging, record, documents, files, primaries, results, decisions, compared });
      const manifest = RunManifest.parse({ ...record, inputs, table_sha256: written.digests, table_digest: TABLE_DIGEST, warehouse_sha256: sha256(canonicalJson(written.digests)) });
      await writeFileAtomic(join(staging, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      if (options.fingerprint) {
        const kept: PublishedFingerprint = { ...options.fingerprint, run_id: id, undecided: severityCounts(undecided), problems: severityCounts(run.problems) };
        await writeFileAtomic(join(staging, FINGERPRINT_FILE), `${JSON.stringify(kept, null, 2)}\n`);
      }
      log.info({ stage: 'load', rows: written.rows, steps_ms: written.timings_ms, warehouse_sha256: manifest.warehouse_sha256, ...stageTiming(run.timings, 'load') }, 'warehouse loaded');
      await run.between('load');

      await publishStage(run, staging, compared.seen, cached.keys);
      return {
        exitCode: exitCodeOf(options.failOn, undecided, run.problems),
        run: manifest,
        findings: results.findings,
        summaries: results.summaries,
        failures: run.problems.filter((p) => p.kind === 'failed'),
        problems: run.problems,
        decisions: decided,
        undecided,
        timings: run.timings,
        reportDir: join(warehouseDir, 'reports', 'latest'),
      };
    } catch (err) {
      await warehouse.discard(err);
      throw err;
    }
  } finally {
    await release();
  }
}

/** The run as the report and the comparison with the published run name it: its id and when it started. */
function runNamed(run: Run): { run_id: string; started_at: string } {
  return { run_id: run.id, started_at: run.started.toISOString() };
}

/** Record a stage's time and the process's memory high-water mark, then collect the garbage: what a stage read and made is garbage once it is done, collected now, not piled up under the next. */
function stageDone(run: Run, stage: string, t0: number): void {
  run.timings.push({ stage, duration_ms: Math.round((performance.now() - t0) * 10) / 10, max_rss_mb: maxRssMb() });
  collectGarbage();
}

async function timed<T>(run: Run, stage: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  stageDone(run, stage, t0);
  return result;
}

/** A document that failed in a stage: recorded against its file and logged; the run goes on. */
function documentFailed(run: Run, file: string, stage: string, err: unknown): void {
  const problem = failure(file, stage, err);
  run.problems.push(problem);
  run.log.error({ stage, document: file, code: problem.code }, problem.message);
}

/**
 * The corpus being read (extractStage): its records at once, its primary editions' entries once
 * those are read, and every document's once all are.
 */
interface Reading {
  documents: DocumentRecord[];
  /**
   * The entries of the primary editions, in corpus order, once every primary edition is read: the
   * entries of `all` that are primary editions (when two records share a document id, which one is
   * kept depends on the others: then once all are read).
   */
  primaries: Promise<CacheEntry[]>;
  /** The entries of the documents read, in corpus order, once every document is read (the end of the extract stage, logged then); failures recorded in the run's problems. */
  all: Promise<CacheEntry[]>;
}

/**
 * Extract (and transform, and judge the tables of) each document on its own: from the cache, or in
 * a pool of workers. Whatever one document does is recorded against it and the others go on.
 * Returns once the corpus's records are read and its documents given to the cache or the pool.
 * `lastDocuments` is called once fewer documents are left to read than there are workers
 * (processDocuments).
 */
async function extractStage(run: Run, cached: CacheCounts, lastDocuments: () => void): Promise<Reading> {
  const { log, problems } = run;
  const started = performance.now();
  // the records only: a document's worker reads its bytes again (a cached one's are not needed
  // again), so the raw corpus is not held in memory through the extract
  const { documents: records, warnings } = await readCorpusRecords(run.rawDir);
  for (const w of warnings) {
    const problem = corpusProblem(w);
    problems.push(problem);
    log[problem.severity === 'error' ? 'error' : 'warn']({ stage: 'extract', document: w.file, kind: w.kind }, w.message);
  }
  const outcomes = await processDocuments(records, run.rawDir, run.warehouseDir, run.config, run.options.cache ?? true, cached, lastDocuments);
  const all = Promise.all(outcomes).then(async (read) => {
    if (run.options.keepWorkers === false) await closeSharedPool();
    const loaded = keptEntries(run, records, read);
    stageDone(run, 'extract', started);
    log.info(
      { stage: 'extract', documents: records.length, cached: cached.hits, processed: cached.misses, failed: problems.filter((p) => p.kind === 'failed' && p.stage !== 'checks').length, problems: problems.filter((p) => p.stage !== 'checks').length, tables: count(loaded, 'tables'), cells: count(loaded, 'cells'), statements: count(loaded, 'statements'), bytes: records.reduce((s, d) => s + d.bytes, 0), ...stageTiming(run.timings, 'extract') },
      'extract done',
    );
    return loaded;
  });
  // (the checks' problems, which may be found meanwhile, are not the extract's)
  all.catch(() => undefined); // awaited by the run; a run that failed first leaves it
  const primaryAt = records.flatMap((r, i) => (r.edition_of === null ? [i] : []));
  const primaries =
    new Set(records.map((r) => r.document_id)).size === records.length
      ? Promise.all(primaryAt.map((i) => outcomes[i]!)).then((read) => read.flatMap((o) => (o.ok ? [o.entry] : [])))
      : all.then((loaded) => loaded.filter((e) => e.summary.document.edition_of === null));
  primaries.catch(() => undefined);
  return { documents: records, primaries, all };
}

/**
 * The entries of the documents read, in corpus order; each failure recorded against its file, and
 * a document with nothing in it as a problem. Of two records with the same document id, the first
 * read is kept.
 */
function keptEntries(run: Run, records: readonly DocumentRecord[], outcomes: readonly DocumentOutcome[]): CacheEntry[] {
  const kept: CacheEntry[] = [];
  const ids = new Set<string>();
  for (const [i, outcome] of outcomes.entries()) {
    const record = records[i]!;
    if (!outcome.ok) {
      documentFailed(run, record.file, outcome.stage, outcome.error);
      continue;
    }
    // every record's key carries its document id: two documents collide only when their ids do
    if (ids.has(record.document_id)) {
      documentFailed(run, record.file, 'load', new DavsError(`its records have the keys of an earlier document with the same document id ${record.document_id}`, { code: 'duplicate-key', stage: 'load', document: record.file }));
      continue;
    }
    ids.add(record.document_id);
    kept.push(outcome.entry);
    const { document, counts } = outcome.entry.summary;
    if (counts.tables === 0 && counts.statements === 0 && counts.statuses === 0) {
      run.problems.push({ file: document.file, kind: 'empty', severity: 'warning', stage: 'extract', code: 'document-empty', message: `${document.file}: no tables and no numbers were found in it (a scanned or image-only ${document.format === 'pdf' ? 'PDF' : 'file'}?); check the file, or give davs a text edition` });
    }
  }
  return kept;
}

/**
 * Another edition of a release (its PDF) is loaded with its page locators, but observations and
 * checks read the primary edition only: one release in two formats is not two sources. How well
 * the two agree is logged (from the digests of each one's cells its worker wrote).
 */
async function compareEditions(run: Run, loaded: readonly CacheEntry[]): Promise<void> {
  const byId = new Map(loaded.map((e) => [e.summary.document.document_id, e]));
  for (const edition of loaded) {
    const primary = edition.summary.document.edition_of === null ? undefined : byId.get(edition.summary.document.edition_of);
    if (!primary) continue;
    const agreement = compareEditionDigests(await readEntryEditionCells(primary), await readEntryEditionCells(edition));
    run.log.info({ stage: 'extract', document: edition.summary.document.file, edition_of: primary.summary.document.file, agreement: Math.round(agreement.agreement * 10000) / 10000, cells: agreement.edition_cells, primary_cells: agreement.primary_cells }, 'editions compared');
  }
}

/**
 * The run's staging folder and the warehouse in it, begun (`begin`) before the documents are all
 * read: the file and its schema (a copy of the build's template: load/template.ts) are made on the
 * core the first idle worker leaves while the last documents are read, not after them. The
 * observations then load once the primary editions are read (`load`), the other document tables
 * later (loadDocumentsStage). `discard` removes what was begun, when the run fails first.
 */
interface StagedWarehouse {
  /** Make the staging folder, the file and its schema now (once; load does it if nothing has). */
  begin(): void;
  /** The staging folder, and the writer with the tables of these row files in it. */
  load(rowFiles: RowFiles): Promise<{ staging: string; writer: WarehouseWriter }>;
  /** Remove whatever was begun (the run failed before publishing). */
  discard(reason: unknown): Promise<void>;
}

function stagedWarehouse(run: Run): StagedWarehouse {
  let give!: (files: RowFiles) => void;
  let withdraw!: (reason: unknown) => void;
  const rowFiles = new Promise<RowFiles>((resolve, reject) => {
    give = resolve;
    withdraw = reject;
  });
  rowFiles.catch(() => undefined); // withdrawn by discard, maybe with no warehouse begun to take it
  let begun: Promise<{ staging: string; writer: Promise<WarehouseWriter> }> | null = null;
  const begin = (): Promise<{ staging: string; writer: Promise<WarehouseWriter> }> => {
    if (begun === null) {
      begun = makeStagingDir(run.warehouseDir, run.id).then((staging) => {
        const writer = openWarehouse(join(staging, 'davs.duckdb'), rowFiles);
        writer.catch(() => undefined); // awaited by load, or settled by discard
        return { staging, writer };
      });
      begun.catch(() => undefined);
    }
    return begun;
  };
  return {
    begin: () => void begin(),
    async load(rowFiles) {
      give(rowFiles);
      const { staging, writer } = await begin();
      return { staging, writer: await writer };
    },
    async discard(reason) {
      withdraw(reason);
      if (begun === null) return;
      const staged = await begun.catch(() => null);
      if (staged === null) return;
      await staged.writer.then((w) => w.abort(), () => undefined);
      await rm(staged.staging, { recursive: true, force: true });
    },
  };
}

/**
 * The row files of `entries`, by table (`tables` listed even when none has rows of them), but for
 * those `without`: in document-id order, the order they load in (the load does not sort, and rows
 * keyed by their document's id then go in in key order, as the digest reads them best).
 */
function documentRowFiles(entries: readonly CacheEntry[], tables: readonly TableName[], without: (file: RowFile, entry: CacheEntry) => boolean = () => false): RowFiles {
  return rowFilesByTable(sortBy(entries, (e) => [e.summary.document.document_id]).flatMap((e) => e.rowFiles.filter((f) => !without(f, e))), tables);
}

/**
 * The observations of the primary editions loaded in bulk from their row files (stagedWarehouse),
 * for the transform's counts and the checks: all they read of the warehouse. The other document
 * tables are loaded once every document is read (loadDocumentsStage).
 */
async function loadObservationsStage(run: Run, warehouse: StagedWarehouse, primaries: readonly CacheEntry[]): Promise<{ staging: string; writer: WarehouseWriter }> {
  const opened = await timed(run, 'load', () => warehouse.load(documentRowFiles(primaries, ['observations'], (f) => f.table !== 'observations')));
  run.log.info({ stage: 'load', rows: opened.writer.rows, steps_ms: opened.writer.timings_ms, ...stageTiming(run.timings, 'load') }, 'observations loaded');
  return opened;
}

/**
 * The rest of the document tables, from the row files of every document read: all but the
 * primary editions' observations (loadObservationsStage). Each table loads once, as if all had
 * loaded together.
 */
async function loadDocumentsStage(run: Run, writer: WarehouseWriter, loaded: readonly CacheEntry[]): Promise<void> {
  const rest = DOCUMENT_TABLES.filter((t) => t !== 'observations');
  await timed(run, 'load', () => writer.loadMore(documentRowFiles(loaded, rest, (f, e) => f.table === 'observations' && e.summary.document.edition_of === null)));
  run.log.info({ stage: 'load', rows: writer.rows, steps_ms: writer.timings_ms, ...stageTiming(run.timings, 'load') }, 'document tables loaded');
}

/**
 * Each document was transformed in its worker, and its observations written with its rows: how
 * much of what was read resolves to a known measure (the share of primary editions' table cells and
 * prose numbers that became observations) is counted where they are loaded.
 */
async function transformStage(run: Run, db: DuckDBConnection, primaries: readonly CacheEntry[]): Promise<void> {
  const counted = await timed(run, 'transform', () => observationCounts(db));
  const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10000) / 10000);
  run.log.info(
    {
      stage: 'transform',
      observations: counted.observations,
      measures: counted.measures,
      cells_resolved: share(counted.from_cells, count(primaries, 'cells')),
      statements_resolved: share(counted.observations - counted.from_cells, count(primaries, 'statements')),
      ...stageTiming(run.timings, 'transform'),
    },
    'transform done',
  );
}

/**
 * Each document's tables were judged in its worker; the checks that compare documents (figures
 * across documents, sentences against the corpus's figures) are judged here over the loaded
 * observations, a partition at a time, and all parts merged. A check that threw on one document's
 * table or sentence is a problem of that document: its data loads, but it was not fully judged.
 *
 * On this thread alone. Until 2026-12-05 the observation groups of 150,000 observations or more were
 * judged on a second thread as well: at 1,000 documents the checks took about 1 s less (7.35 s
 * against 8.35, cached nights, medians of 4), but that thread's heap held about 100 MB more, and the
 * run's memory peaked there. One thread and the report on this one too (see reportAndLoadStage): a
 * cached night of 1,000 documents peaked at 489 MiB against 590, in 1.01 of the time (medians of 4,
 * alternated).
 */
async function checksStage(run: Run, warehouse: WarehouseWriter, files: DocumentFiles, primaries: readonly CacheEntry[]): Promise<ReturnType<typeof finishChecks>> {
  const db = warehouse.connection;
  const source: ObservationSource = {
    partitions: (families) => collectingPartitions(observationPartitions(db, files, families)),
    categories: () => categoryFigures(db),
    figures: (keys) => observationsOf(db, files, keys),
  };
  const results = await timed(run, 'checks', async () => {
    // what each document's checks read (its statements, its table checks' part), from its entry, a
    // document at a time: neither held while the corpus was read and loaded, nor all at once here
    const tableParts = new Map<string, CheckPart | null>();
    // the texts the table checks' findings repeat from document to document, held once (sharingTexts)
    const shared = sharedTexts();
    const tablePart = (judging: DocumentJudging) => (judging.checks === null ? null : sharingTexts(judging.checks, shared));
    const sentences: SentenceSource = async function* (only) {
      const entries = only === undefined ? primaries : primaries.filter((e) => only.has(e.summary.document.document_id));
      // what each document's entry held is garbage once its sentences are judged: collected as the
      // statements add up (at 1,000 documents the heap grew by 100 MB over them, and the night peaked there)
      const judged = collectingEvery(GARBAGE_EVERY_OBSERVATIONS);
      for await (const [entry, judging] of readingAhead(entries, 8, readEntryJudging)) {
        tableParts.set(entry.summary.document.document_id, tablePart(judging));
        yield sentenceSubjects([{ document: entry.summary.document, statements: judging.statements }]);
        judged(judging.statements.length);
      }
    };
    const input = {
      checks: CHECKS.filter((c) => c.subjects !== 'tables'),
      measures: measures(),
      documents: new Map(primaries.map((e) => [e.summary.document.document_id, e.summary.document])),
      sentences,
      source,
      order: orderObservations,
    };
    const across = await checkAcrossDocuments(input);
    // the table checks' parts, in corpus order (read with the sentences; any a check did not ask for, now)
    const parts: CheckPart[] = [];
    for (const e of primaries) {
      const id = e.summary.document.document_id;
      const part = tableParts.has(id) ? tableParts.get(id)! : tablePart(await readEntryJudging(e));
      if (part !== null) parts.push(part);
    }
    return finishChecks(CHECKS, [...parts, ...across]);
  });
  const log = run.log.child({ stage: 'checks' });
  for (const s of results.summaries) if (s.crashed > 0) log.error({ check: s.check, crashes: s.crashes }, 'check crashed');
  for (const c of results.crashes) {
    run.problems.push({ file: c.file, kind: 'failed', severity: 'error', stage: 'checks', code: 'check-crashed', message: `[check-crashed] ${c.file}: check ${c.check} failed on ${c.subject} (${c.message.slice(0, 300)}); the document is loaded, but that check did not judge this part of it. Report it to the davs maintainers` });
  }
  const bySeverity = severityCounts(results.findings);
  run.log.info({ stage: 'checks', checks: results.summaries.length, findings: results.findings.length, errors: bySeverity.error, warnings: bySeverity.warning, info: results.findings.filter((f) => f.severity === 'info').length, crashed: results.summaries.reduce((s, c) => s + c.crashed, 0), ...stageTiming(run.timings, 'checks') }, 'checks done');
  return results;
}

/** The stewards' decisions on this run's findings: a bad file is recorded as a problem and the run goes on as if there were none. */
async function decisionsStage(run: Run, findings: readonly Finding[]): Promise<{ decisions: Decision[]; decided: RunResult['decisions']; undecided: Finding[] }> {
  let decisions: Decision[] = [];
  try {
    decisions = await readDecisions(run.decisionsFile);
  } catch (err) {
    const read = failure(shownPath(run.decisionsFile), 'checks', err);
    // its own kind: not a failed document of raw/ (failed_documents and the shrink guard count those)
    const problem: DocumentProblem = { ...read, kind: 'decisions', message: `${read.message}; this run ignores every decision, so every finding counts as undecided` };
    run.problems.push(problem);
    run.log.error({ stage: 'checks', document: problem.file, code: problem.code }, problem.message);
  }
  const decided = decisionStatuses(decisions, findings);
  const decidedIds = new Set(decided.flatMap((d) => (d.applies_to === null ? [] : [d.applies_to])));
  const undecided = findings.filter((f) => !decidedIds.has(f.id));
  run.log.info({ stage: 'checks', decisions: decided.length, stale: decided.filter((d) => d.status === 'stale').length, undecided: undecided.length, file: shownPath(run.decisionsFile) }, 'decisions read');
  return { decisions, decided, undecided };
}

/**
 * This run against the last published one, for the report and the history file only (never in a
 * digested table): findings new, persisting and resolved, documents added, changed and removed. The
 * published findings (without their evidence: previousFindings) and the first-seen history are read
 * here and let go once compared (a few megabytes at 1,000 documents).
 */
async function compareWithPublished(run: Run, previous: RunManifest | null, findings: readonly Finding[], inputs: PreviousRun['inputs']): Promise<ReturnType<typeof compareRuns> & { previousRunId: string | null }> {
  const before = await previousFindings(run.warehouseDir, previous, run.log);
  const seenBefore = await readFindingsSeen(run.warehouseDir);
  const compared = compareRuns(runNamed(run), findings, inputs, before, seenBefore?.findings ?? {});
  const previousRunId = before?.run.run_id ?? null;
  // the documents since the last published run, by file (at most 50 of each named; the counts are whole)
  const { added, changed, removed } = compared.changes.corpus;
  const named = (files: readonly string[]) => (files.length > 50 ? [...files.slice(0, 50), `… ${files.length - 50} more`] : files);
  run.log.info({ stage: 'extract', previous_run: previousRunId, added: added.length, changed: changed.length, removed: removed.length, added_files: named(added), changed_files: named(changed), removed_files: named(removed) }, 'documents since the last published run');
  // the published findings and history, read to compare, are garbage now
  collectGarbage();
  return { ...compared, previousRunId };
}

/** What the report and the rest of the load are made from. */
interface ReportAndLoad {
  opened: WarehouseWriter;
  staging: string;
  record: RunRecord;
  documents: readonly DocumentRecord[];
  files: DocumentFiles;
  primaries: readonly CacheEntry[];
  results: ReturnType<typeof finishChecks>;
  decisions: readonly Decision[];
  compared: Awaited<ReturnType<typeof compareWithPublished>>;
}

/**
 * The report (findings.json, checks.json, report.md, report.html) and the rest of the warehouse
 * (findings, decisions; commit, checkpoint and digests). The revision series the report draws are
 * read from the warehouse (on a connection of their own) while the findings are committed; the
 * digests and checkpoint (about 5 s at 1,000 documents) then run on DuckDB's threads while the
 * report is written on this one. The report reads nothing more from the warehouse, so neither
 * waits for the other; both are done before publishing.
 *
 * Until 2026-12-05 the series were read after the commit, beside the digests: a cached night of
 * 1,000 documents peaked there, at 498 MiB against 449 now (medians of 3, alternated), in the same
 * time; the bundled corpus as fast (0.998, paired, n=14: the series are hidden behind the commit
 * now, as they were behind the digests). The report had a thread of its own at 100 findings or
 * more, from when the digests were this thread's work. With them on DuckDB's threads it was only a
 * copy of the findings and a second heap: written here, a cached night of 1,000 documents took its
 * report stage in 4.8-6.3 s against 5.9-7.7 and the night in 0.97 of the time (medians of 4,
 * alternated).
 */
async function reportAndLoadStage(run: Run, { opened, staging, record, documents, files, primaries, results, decisions, compared }: ReportAndLoad): Promise<Awaited<ReturnType<WarehouseWriter['finish']>>> {
  const finishStarted = performance.now();
  record.finished_at = run.clock().toISOString();
  // the revision series are read on a connection of their own while the findings load
  const reader = await opened.connect();
  const reading = seriesOf(reader, files, documents, results.findings).finally(() => reader.closeSync());
  reading.catch(() => undefined); // awaited below
  try {
    await opened.commit({ run: record, documents: [...documents], problems: run.problems, tables: [], cells: [], statuses: [], statements: [], cell_geographies: [], measures: measures(), observations: [], findings: results.findings, summaries: results.summaries, decisions: [...decisions] });
  } catch (err) {
    // the warehouse is removed (commit aborts it); the reads on their own connection end first
    await reading.catch(() => undefined);
    throw err;
  }
  // so are the findings' validated copy and rows the commit made
  collectGarbage();
  // the digests and the checkpoint once the series are read, beside the report
  const finishing = opened.finish(reading);
  finishing.catch(() => undefined); // awaited below, or settled before the run fails
  try {
    const series = await reading;
    // what reading them left (at 1,000 documents the heap had doubled while they were read)
    collectGarbage();
    const job: ReportJob = {
      dir: staging,
      input: {
        title: REPORT_TITLE,
        corpus: documents.map((d) => ({ file: d.file, title: d.title, publisher: d.publisher, release_date: shownDate(d.release_date, d.release_date_precision) })),
        problems: run.problems.map((p) => ({ file: p.file, kind: p.kind, severity: p.severity, stage: p.stage, message: p.message })),
        findings: results.findings,
        summaries: results.summaries,
        describe: Object.fromEntries(CHECKS.map((c) => [c.id, c.describe])),
        decisions: decisions.map((d) => ({ finding_id: d.finding_id, verdict: d.verdict, note: d.note, by: d.by, decided_on: d.decided_on })),
        run: runNamed(run),
        changes: compared.changes,
        // revision series, and raw/ as links from reports/latest (runs/<id> is as deep); the evidence as printed is read from the entries
        series,
        rawBase: rawLinkBase(join(run.warehouseDir, 'reports', 'latest'), run.rawDir),
      },
      entries: primaries.map((e) => ({ document_id: e.summary.document.document_id, dir: e.dir })),
    };
    const reportStarted = performance.now();
    await writeReport(job);
    stageDone(run, 'report', reportStarted);
    run.log.info({ stage: 'report', findings: results.findings.length, problems: run.problems.length, new: compared.changes.findings.filter((c) => c.status === 'new').length, resolved: compared.changes.resolved.length, previous_run: compared.previousRunId, ...stageTiming(run.timings, 'report') }, 'report written');
    await run.between('report');
  } catch (err) {
    // the warehouse is not removed under a finish still reading it
    await finishing.catch(() => undefined);
    throw err;
  }
  const written = await finishing;
  stageDone(run, 'load', finishStarted);
  return written;
}

/** The staged run made current, then the cache pruned to what this run used: one corpus, not every version ever read. */
async function publishStage(run: Run, staging: string, seen: Parameters<typeof publish>[4], usedKeys: ReadonlySet<string>): Promise<void> {
  await timed(run, 'publish', () => publish(run.warehouseDir, staging, run.id, run.between, seen));
  const pruned = await pruneCache(run.warehouseDir, usedKeys).catch(() => 0);
  if (pruned > 0) run.log.debug({ stage: 'publish', pruned }, 'cache entries this run did not use removed');
  run.log.info({ stage: 'publish', warehouse: join(run.warehouseDir, 'davs.duckdb'), report: join(run.warehouseDir, 'reports', 'latest'), run: join(run.warehouseDir, CURRENT_LINK), ...stageTiming(run.timings, 'publish') }, 'published');
}

/** Exit code of a published run: document problems at the --fail-on level first (data was lost), then findings. */
export function exitCodeOf(failOn: FailOn, findings: readonly Finding[], problems: readonly DocumentProblem[]): ExitCode {
  return exitCodeOfCounts(failOn, severityCounts(findings), severityCounts(problems));
}

/**
 * The operator's guards: a run that read nothing, or lost more than the configured share of the
 * documents or cells the last published run had, does not publish (unless allowed).
 */
function guard(admitted: readonly CacheEntry[], previous: RunManifest | null, config: Config, allowShrink: boolean, rawDir: string, warehouseDir: string): void {
  if (allowShrink) return;
  if (admitted.length === 0) throw new PublishRefused(`no document could be read from ${rawDir}: is the folder (or its mount) there? Not publishing an empty warehouse over the last good one`, warehouseDir);
  if (!previous) return;
  const { maxDocumentLoss, maxCellLoss } = config.guards;
  const before = previous.documents - previous.failed_documents;
  const now = admitted.length;
  if (before > 0 && (before - now) / before > maxDocumentLoss) {
    throw new PublishRefused(`${now} documents loaded against ${before} in the last published run (${previous.run_id}): more than ${Math.round(maxDocumentLoss * 100)}% lost`, warehouseDir);
  }
  const cellsNow = count(admitted, 'cells');
  if (previous.cells > 0 && (previous.cells - cellsNow) / previous.cells > maxCellLoss) {
    throw new PublishRefused(`${cellsNow} cells loaded against ${previous.cells} in the last published run (${previous.run_id}): more than ${Math.round(maxCellLoss * 100)}% lost`, warehouseDir);
  }
}

/** run.json of the published run, or null (none yet, or one an older davs wrote without the fields the guard needs). */
async function previousRun(warehouseDir: string, log: Logger): Promise<RunManifest | null> {
  const current = await currentRun(warehouseDir);
  if (!current) return null;
  const text = await readFile(join(current.dir, 'run.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below as not a run.json this davs can read
  }
  const parsed = RunManifest.safeParse(json);
  if (!parsed.success) log.warn({ stage: 'pipeline', run: current.runId }, 'the published run.json is of an older davs: the shrink guard has nothing to compare with this time');
  return parsed.success ? parsed.data : null;
}

/** The published run's findings as the comparison reads them (FindingKey), with its run id and inputs, or null (no run yet, or files an older davs wrote). */
async function previousFindings(warehouseDir: string, previous: RunManifest | null, log: Logger): Promise<PreviousRun | null> {
  const current = await currentRun(warehouseDir);
  if (!current || !previous) return null;
  const compared = (findings: FindingKey[]): PreviousRun => ({ run: { run_id: previous.run_id, started_at: previous.started_at }, findings, inputs: previous.inputs });
  // from the published warehouse's findings table: what the comparison reads of each, and no evidence
  try {
    return compared(await readFindingKeys(join(current.dir, 'davs.duckdb')));
  } catch (err) {
    log.debug({ stage: 'pipeline', run: current.runId, err: err instanceof Error ? err.message : String(err) }, 'the published warehouse\'s findings cannot be read: reading its findings.json');
  }
  // else from its findings.json (a warehouse this DuckDB cannot open, or one written before the findings had merged_ids)
  const text = await readFile(join(current.dir, 'findings.json'), 'utf8').catch(() => null);
  let json: unknown = null;
  try {
    json = text === null ? null : JSON.parse(text);
  } catch {
    // reported below
  }
  const parsed = FindingKey.array().safeParse(json);
  if (!parsed.success) {
    log.warn({ stage: 'pipeline', run: current.runId }, 'the published findings cannot be read (neither its warehouse nor its findings.json): the report compares with no earlier run this time');
    return null;
  }
  return compared(parsed.data);
}

function corpusProblem(w: CorpusWarning): DocumentProblem {
  const code = w.kind === 'failed' ? 'input-unreadable' : `file-${w.kind}`;
  const message = w.message.includes(w.file) ? w.message : `${w.file}: ${w.message}`;
  return { file: w.file, kind: w.kind, severity: w.kind === 'failed' || w.kind === 'missing' ? 'error' : 'warning', stage: 'corpus', code, message };
}

function failure(file: string, stage: string, err: unknown): DocumentProblem {
  if (err instanceof DavsError) return { file, kind: 'failed', severity: 'error', stage, code: err.code, message: err.message.includes(file) ? err.message : `${file}: ${err.message}` };
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { file, kind: 'failed', severity: 'error', stage, code: 'document-crashed', message: `[document-crashed] ${file}: the ${stage} stage failed on this document (${what.slice(0, 500)}); the other documents went on. Report it to the davs maintainers with the file` };
}


function count(entries: readonly CacheEntry[], key: 'tables' | 'cells' | 'statements'): number {
  return entries.reduce((s, e) => s + e.summary.counts[key], 0);
}

/**
 * How many observations the checks judge (and the report's series read, and the statements the
 * sentence checks read from the documents' entries) between collecting their garbage
 * (core/memory.ts). 25,000 since 2026-12-05 (it was 100,000): the heap while the checks
 * ran at 1,000 documents was 80-100 MB against 100-160; with the load's lower memory limit too
 * (load/index.ts), a cached night of 1,000 documents peaked in its checks at 363-382 MiB against
 * 419-436, the checks in as long (8.4-9.1 s against 8.1-9.3; alternated, n=3).
 */
const GARBAGE_EVERY_OBSERVATIONS = 25_000;

/**
 * The partitions, collecting garbage as the observations judged add up: V8 let them pile up (at
 * 2,000 documents the heap grew by 170 MB over the partitions, nearly all of it garbage).
 */
async function* collectingPartitions<T>(partitions: AsyncIterable<T[]>): AsyncGenerator<T[]> {
  const judged = collectingEvery(GARBAGE_EVERY_OBSERVATIONS);
  for await (const partition of partitions) {
    yield partition;
    judged(partition.length);
  }
}

/**
 * Each series finding's figure across periods and releases (reportSeries), from the warehouse: the
 * observations its evidence was read from name the figures (the first of each source, in the
 * transform's order, as reportSeries takes it), then every observation of those figures, a batch of
 * whole figures (SERIES_BATCH_ROWS) at a time: at 2,000 documents reading them all at once left
 * 250 MB of garbage on this thread, beside the report and the digests.
 */
async function seriesOf(connection: DuckDBConnection, files: DocumentFiles, documents: readonly DocumentRecord[], findings: readonly Finding[]): Promise<ReturnType<typeof reportSeries>> {
  const sources = new Set(findings.filter((f) => SERIES_CHECKS.has(f.check)).flatMap((f) => [...evidenceSources(f)]));
  const firstOf = new Map<string, Observation>();
  for (const o of orderObservations(await observationsFrom(connection, files, [...sources].sort()))) if (!firstOf.has(o.source_id)) firstOf.set(o.source_id, o);
  // the figures those are of, in the order of their series (code units of seriesKey), read a batch of whole figures at a time
  const figures = [...new Map([...firstOf.values()].map((o) => [seriesKey(o), { measure_id: o.measure_id, geography: o.geography, breakdown: o.breakdown }])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, figure]) => figure);
  const titles = new Map(measures().map((m) => [m.measure_id, m.title]));
  // the series findings by the figures they are about: each batch gives the series of its figures'
  // findings only, not of every finding again (at 2,000 documents, 5 batches: 1.03 s against 1.19 s;
  // most of it is each figure's points, and reading the 227,291 observations takes 2.5 s)
  const findingsOf = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!SERIES_CHECKS.has(f.check)) continue;
    for (const key of seriesKeysOf(evidenceSources(f), firstOf)) pushToKey(findingsOf, key, f);
  }
  const byFinding = new Map<string, ReturnType<typeof reportSeries>[string]>();
  const read = collectingEvery(GARBAGE_EVERY_OBSERVATIONS);
  for (const batch of partitionBatches(await figureSizes(connection, figures), SERIES_BATCH_ROWS)) {
    const observations = orderObservations(await observationsOf(connection, files, batch.map((f) => ({ ...f, period: null }))));
    // its figures' findings, once each (the series are put in the findings' order below)
    const about = [...new Set(batch.flatMap((figure) => findingsOf.get(seriesKey(figure)) ?? []))];
    for (const [id, list] of Object.entries(reportSeries(documents, observations, about, titles, firstOf))) {
      const before = byFinding.get(id);
      if (before) before.push(...list);
      else byFinding.set(id, list);
    }
    read(observations.length);
  }
  const series: ReturnType<typeof reportSeries> = {};
  for (const f of findings) {
    const list = byFinding.get(f.id);
    if (list) series[f.id] = list;
  }
  return series;
}

/**
 * What a stage's log line says of it once it has ended: how long it took (its latest timing of that
 * name: stages may overlap, so not the last pushed), and the process's memory high-water mark so far
 * (read now, never less than when the stage ended, so that the marks of the lines never fall in the
 * order they are logged).
 */
function stageTiming(timings: readonly StageTiming[], name: string): Omit<StageTiming, 'stage'> {
  let stage: StageTiming | undefined;
  for (const t of timings) if (t.stage === name) stage = t;
  return { duration_ms: stage?.duration_ms ?? 0, max_rss_mb: maxRssMb() };
}

/** This process's resident memory at its highest so far (MiB). */
function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** A release date to the precision it is known: "2020-11-25", or "2020" where the manifest knows only the year. */
function shownDate(date: string | null, precision: 'day' | 'month' | 'year'): string | null {
  if (date === null) return null;
  return precision === 'year' ? date.slice(0, 4) : precision === 'month' ? date.slice(0, 7) : date;
}

/** Time limit for reading one document: its format's (a text file gets the larger of the two). */
function timeoutOf(format: DocumentRecord['format'], config: Config): number {
  const { pdf, workbook } = config.limits;
  return format === 'pdf' ? pdf.timeoutMs : format === 'xlsx' ? workbook.timeoutMs : Math.max(pdf.timeoutMs, workbook.timeoutMs);
}

/**
 * Each document's stage result to come, in corpus order: from the cache when an entry for its
 * content, code and limits is there (and `useCache`), else from a worker of the process's pool
 * (started on first need), which also writes the entry. A worker reads its document's bytes from
 * raw/ itself. Returns once the cache is read and the rest given to the pool. `lastDocuments` is
 * called once fewer are left to read than the pool has workers (at once when every document is in
 * the cache): a core is free from then on.
 */
async function processDocuments(
  documents: readonly DocumentRecord[],
  rawDir: string,
  warehouseDir: string,
  config: Config,
  useCache: boolean,
  cached: CacheCounts,
  lastDocuments: () => void,
): Promise<Array<Promise<DocumentOutcome>>> {
  const code = await readerCode();
  // the cache first, a few entries at a time (an entry is read whole to check its hashes)
  const dirs = documents.map((record) => {
    const key = cacheKey(record, config.limits, code);
    cached.keys.add(key);
    return cacheEntryDir(warehouseDir, key);
  });
  const hits = await mapLimited(dirs, 8, (dir) => (useCache ? readCacheEntry(dir) : Promise.resolve(null)));
  const settle: Array<(outcome: DocumentOutcome) => void> = [];
  const outcomes = hits.map((entry, i) => (entry === null ? new Promise<DocumentOutcome>((resolve) => (settle[i] = resolve)) : Promise.resolve<DocumentOutcome>({ ok: true, entry })));
  const misses = dirs.flatMap((dir, i) => (hits[i] === null ? [{ i, dir }] : []));
  cached.hits = documents.length - misses.length;
  cached.misses = misses.length;
  const options = poolOptions(config.limits);
  let left = misses.length;
  if (left < options.size) lastDocuments();
  if (misses.length === 0) return outcomes;
  // then the rest in the pool, the slowest first (PDFs, then workbooks, then text; larger before
  // smaller), so no worker is left with one long document while the others are idle
  const weight = (d: DocumentRecord) => (d.format === 'pdf' ? 3 : d.format === 'xlsx' ? 2 : 1) * 1e12 + d.bytes;
  misses.sort((a, b) => weight(documents[b.i]!) - weight(documents[a.i]!) || a.i - b.i);
  // how many documents of each format come after each one, for the pool (`coming`: a worker may drop a reader none of them needs)
  const coming = new Map<number, ReadonlyMap<DocumentRecord['format'], number>>();
  let after = new Map<DocumentRecord['format'], number>();
  for (const { i } of [...misses].reverse()) {
    coming.set(i, after);
    const format = documents[i]!.format;
    after = new Map(after).set(format, (after.get(format) ?? 0) + 1);
  }
  const pool = sharedPool(options);
  // the pool takes at most a few documents ahead of its workers. The first few reach it together
  // (one turn), so its workers choose among them (a worker warm for a format takes that format's
  // documents: WorkerPool.nextFor)
  void mapLimited(misses, POOL_QUEUE, async ({ i, dir }) => {
    const record = documents[i]!;
    let outcome: DocumentOutcome;
    try {
      outcome = await pool.run(record, join(rawDir, record.file), config.limits, timeoutOf(record.format, config), dir, { last: i === misses.at(-1)!.i, coming: coming.get(i)! });
    } catch (err) {
      // (the pool gives every failure of a document as its outcome: this is the pool's own)
      outcome = { ok: false, stage: 'extract', error: err instanceof Error ? err : new Error(String(err)) };
    }
    if (left-- === options.size) lastDocuments();
    settle[i]!(outcome);
  });
  return outcomes;
}

/**
 * Observations of the revision charts' figures read at once (seriesOf): whole figures, so one larger
 * is read alone. 10,000 since 2026-12-05 (it was the checks' 50,000): at 1,000 documents a batch's
 * observations were most of the heap while they were read, where the night then peaked; the series
 * are read beside the commit in as long (1.6 s either way).
 */
const SERIES_BATCH_ROWS = 10_000;

/** Documents given to the pool at once: its workers' and one more each, queued ahead. */
const POOL_QUEUE = 2 * availableParallelism();

/** Each of `items` with what `read` gives for it, in order, reading at most `ahead` at a time ahead of the consumer. */
async function* readingAhead<T, R>(items: readonly T[], ahead: number, read: (item: T) => Promise<R>): AsyncGenerator<[T, R]> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  for (const item of items) {
    while (next < items.length && pending.length < ahead) {
      const reading = read(items[next++]!);
      reading.catch(() => undefined); // rejects where it is awaited, in order
      pending.push(reading);
    }
    yield [item, await pending.shift()!];
  }
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
