import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DECISIONS_FILE, Decision, VERDICTS, recordDecision, shownPath, today } from '../checks/decisions.js';
import { currentRun } from './publish.js';
import { DavsError, UsageError } from '../core/index.js';
import { packagePath } from '../core/paths.js';
import { RUN_OPTIONS } from './arguments.js';
import { createLogger, LOG_LEVELS, type Logger } from './logger.js';
import { loadConfigArgument } from './config.js';
import { BOUNDARIES, EXIT, runNightly, type Boundary, type FailOn } from './run.js';
import { verifyWarehouse } from './verify.js';
import { checkExportArguments, exportWarehouse } from '../load/export.js';
import type { RunFingerprint } from './fingerprint.js';

export const USAGE = `Usage: davs run    [--raw DIR] [--warehouse DIR] [--fail-on error|warning|never] [--allow-shrink]
                  [--config FILE] [--decisions FILE] [--no-cache] [--log-level LEVEL]
       davs verify [--raw DIR] [--warehouse DIR] [--config FILE] [--decisions FILE] [--log-level LEVEL]
       davs review FINDING-ID --verdict confirmed|false-alarm|explained|fixed-upstream --note "why"
                  [--by NAME] [--decisions FILE] [--warehouse DIR] [--force]
       davs export --format parquet DIR [--warehouse DIR] [--force]
       davs --version | --help

  run     read every release in --raw (default ./raw), build a new warehouse and report, and publish
          them together: <warehouse>/davs.duckdb and <warehouse>/reports/latest/ (default warehouse
          ./warehouse; limits and guards from ./davs.config.json if present). Each document's
          reading is cached in <warehouse>/cache/ by its content, the code that reads it and the
          limits; --no-cache reads every document again. When nothing the output depends on changed
          since the published run (raw files, code, catalogue, config, decisions), it says so and
          exits with that run's exit code, publishing nothing
  verify  rebuild from --raw in a temporary folder and compare, table by table, with the published
          warehouse and with what its run.json recorded; names the tables that differ
  review  record a steward's decision on a finding of the published run in checks/decisions.jsonl
          (--decisions FILE for another file), replacing any earlier one; --by defaults to the git
          user name, else $USER; --force records an id the published run does not have. The next
          run shows it in the report and leaves the finding out of --fail-on
  export  write every table of the published warehouse (opened read-only) as DIR/<table>.parquet,
          with DIR/README.md describing every table and column and the view definitions; refuses
          a DIR that is not empty unless --force (which replaces the exported files, nothing else)

Exit codes:
  0  run: published (whatever it found); verify: the warehouse is reproduced exactly
  1  failed, nothing published: bad arguments or config, unreadable raw folder or manifest, internal error
  2  published; --fail-on was given and findings at that level were found
  3  published; --fail-on was given and documents at that level were lost or flagged
     (error: failed or missing; warning: also changed, skipped, unlisted or empty)
  4  not published: the corpus is empty or shrank past the guard (--allow-shrink to publish anyway)
  5  not run: another davs run holds the warehouse
  6  verify: the rebuild or the published file differs from run.json`;

function version(): string {
  try {
    return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  } catch (err) {
    return `unknown (${err instanceof Error ? err.message : String(err)})`;
  }
}

/**
 * Every davs command, in full (pipelines/cli.ts runs it unless the night is unchanged). `fingerprint`:
 * what `davs run`'s output depends on, as the CLI computed it (kept with the published run).
 */
export async function main(argv: string[], fingerprint: RunFingerprint | null = null): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...RUN_OPTIONS,
        verdict: { type: 'string' },
        note: { type: 'string' },
        by: { type: 'string' },
        force: { type: 'boolean', default: false },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    process.stderr.write(`davs: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return EXIT.failed;
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.version) {
    process.stdout.write(`davs ${version()}\n`);
    return EXIT.ok;
  }
  if (parsed.values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !parsed.values.help ? EXIT.failed : EXIT.ok;
  }
  const level = parsed.values['log-level'] ?? process.env.DAVS_LOG_LEVEL;
  if (level !== undefined && !LOG_LEVELS.includes(level)) {
    process.stderr.write(`davs: --log-level must be one of ${LOG_LEVELS.join(', ')}, not "${level}"\n`);
    return EXIT.failed;
  }
  const log = createLogger(level ? { level } : {});
  try {
    if (command !== 'run' && command !== 'verify' && command !== 'review' && command !== 'export') throw new UsageError(`unknown command "${command}"`, 'see davs --help');
    const positionals = command === 'review' || command === 'export' ? 1 : 0;
    if (extra.length > positionals) throw new UsageError(`unexpected argument "${extra[positionals]}"`, 'see davs --help');
    if (command !== 'review') {
      for (const option of ['verdict', 'note', 'by', 'force'] as const) {
        if (command === 'export' && option === 'force') continue;
        if (parsed.values[option] !== undefined && parsed.values[option] !== false) throw new UsageError(`--${option} is an option of davs review, not davs ${command}`, 'see davs --help');
      }
    }
    if (command !== 'run' && parsed.values['no-cache']) throw new UsageError(`--no-cache is an option of davs run, not davs ${command}`, 'see davs --help');
    if (command !== 'export' && parsed.values.format !== undefined) throw new UsageError(`--format is an option of davs export, not davs ${command}`, 'see davs --help');
    if (command === 'export') {
      for (const line of await exportCommand({ outDir: extra[0], format: parsed.values.format, force: parsed.values.force ?? false, warehouseDir: parsed.values.warehouse! }, log)) {
        process.stdout.write(`${line}\n`);
      }
      return EXIT.ok;
    }
    const loaded = loadConfigArgument(parsed.values.config);
    // --decisions overrides the config's file; relative to where davs runs, as --raw and --warehouse are
    const config = parsed.values.decisions === undefined ? loaded : { ...loaded, decisions: resolve(parsed.values.decisions) };
    if (command === 'review') {
      const line = await review({
        findingId: extra[0],
        verdict: parsed.values.verdict,
        note: parsed.values.note,
        by: parsed.values.by,
        force: parsed.values.force ?? false,
        decisionsFile: config.decisions ?? DECISIONS_FILE,
        warehouseDir: parsed.values.warehouse!,
      });
      process.stdout.write(`${line}\n`);
      return EXIT.ok;
    }
    if (command === 'verify') {
      const result = await verifyWarehouse({ rawDir: parsed.values.raw!, warehouseDir: parsed.values.warehouse!, log, config, version: version() });
      for (const line of result.lines) process.stdout.write(`${line}\n`);
      return result.exitCode;
    }
    const failOn = parsed.values['fail-on'];
    if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}"`);
    const result = await runNightly({
      rawDir: parsed.values.raw!,
      warehouseDir: parsed.values.warehouse!,
      failOn: failOn as FailOn,
      allowShrink: parsed.values['allow-shrink'] ?? false,
      log,
      version: version(),
      config,
      between: faultInjection(),
      cache: !parsed.values['no-cache'],
      fingerprint,
      keepWorkers: false,
    });
    const decided = result.decisions.filter((d) => d.status === 'current').length;
    log.info({ stage: 'pipeline', exit_code: result.exitCode, findings: result.findings.length, errors: result.run.errors, warnings: result.run.warnings, decided, undecided: result.undecided.length, stale_decisions: result.decisions.length - decided, failed_documents: result.failures.length, document_problems: result.problems.length, report: result.reportDir }, 'run complete');
    return result.exitCode;
  } catch (err) {
    return failed(log, err);
  } finally {
    log.flush();
  }
}

/**
 * `davs export`: the published warehouse's tables as Parquet in a folder, with its README. Refuses
 * (usage, exit 1) an unknown or missing format, a missing or non-empty folder (without --force),
 * and a warehouse folder with nothing published.
 */
export async function exportCommand(o: { outDir: string | undefined; format: string | undefined; force: boolean; warehouseDir: string }, log: Logger): Promise<string[]> {
  await checkExportArguments(o);
  const warehouseDir = resolve(o.warehouseDir);
  if ((await currentRun(warehouseDir)) === null) throw new UsageError(`no published warehouse in ${warehouseDir}`, 'run davs run first, or give --warehouse DIR');
  const started = Date.now();
  const result = await exportWarehouse({ database: join(warehouseDir, 'davs.duckdb'), outDir: o.outDir, format: o.format, force: o.force });
  log.info({ stage: 'export', dir: result.dir, tables: result.tables.length, rows: result.tables.reduce((n, t) => n + t.rows, 0), duration_ms: Date.now() - started }, 'export complete');
  return [...result.tables.map((t) => `${join(result.dir, t.file)}\t${t.rows} rows`), result.readme];
}

interface ReviewOptions {
  findingId: string | undefined;
  verdict: string | undefined;
  note: string | undefined;
  by: string | undefined;
  force: boolean;
  decisionsFile: string;
  warehouseDir: string;
}

/**
 * `davs review`: record one decision in the decisions file. Refuses a missing or empty note, an
 * unknown verdict, and (unless --force) a finding id the published run does not have.
 */
export async function review(o: ReviewOptions): Promise<string> {
  const id = o.findingId;
  if (id === undefined) throw new UsageError('davs review needs the finding id', 'copy it from the report: davs review <finding-id> --verdict … --note "…"');
  if (!Decision.shape.finding_id.safeParse(id).success) throw new UsageError(`"${id}" is not a finding id: '<check>:<12 hex>', e.g. restated-figure:0123456789ab`, 'copy it from the report');
  if (o.verdict === undefined || !(VERDICTS as readonly string[]).includes(o.verdict)) {
    throw new UsageError(o.verdict === undefined ? `--verdict is required: one of ${VERDICTS.join(', ')}` : `--verdict must be one of ${VERDICTS.join(', ')}, not "${o.verdict}"`);
  }
  const note = (o.note ?? '').trim();
  if (note === '') throw new UsageError('--note is required and may not be empty: say why, for whoever reads the report next');
  const by = (o.by ?? (await gitUserName()) ?? process.env.USER ?? '').trim();
  if (by === '') throw new UsageError('who decided is unknown: give --by NAME (no git user.name and no $USER)');
  if (!o.force) {
    const known = await publishedFindingIds(resolve(o.warehouseDir));
    if (known === null) throw new UsageError(`no published run in ${resolve(o.warehouseDir)} to check ${id} against`, 'give --warehouse DIR, or --force to record it anyway');
    if (!known.has(id)) throw new UsageError(`finding ${id} is not in the last published run's findings (${join(resolve(o.warehouseDir), 'reports', 'latest', 'findings.json')})`, 'check the id against the report; --force records it anyway');
  }
  const decision: Decision = { finding_id: id, verdict: o.verdict as Decision['verdict'], note, by, decided_on: today() };
  const { replaced } = await recordDecision(o.decisionsFile, decision);
  return `${shownPath(o.decisionsFile)}: ${id} ${decision.verdict} by ${by} on ${decision.decided_on}${replaced ? ` (replaces ${replaced.verdict} by ${replaced.by} on ${replaced.decided_on})` : ''}`;
}

/** Finding ids of the published run (its findings.json), or null when nothing is published. */
async function publishedFindingIds(warehouseDir: string): Promise<Set<string> | null> {
  const current = await currentRun(warehouseDir);
  if (!current) return null;
  const path = join(current.dir, 'findings.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read the published findings ${path}: ${err instanceof Error ? err.message : String(err)}`, '--force records the decision anyway');
  }
  if (!Array.isArray(json)) throw new UsageError(`the published findings ${path} are not a list`, '--force records the decision anyway');
  // a finding's own id, and the ids of the findings merged into it (merged_ids): a decision on any of them applies to it
  const ids = new Set<string>();
  for (const f of json as unknown[]) {
    if (typeof f !== 'object' || f === null) continue;
    const { id, merged_ids } = f as { id?: unknown; merged_ids?: unknown };
    if (typeof id === 'string') ids.add(id);
    if (Array.isArray(merged_ids)) for (const m of merged_ids) if (typeof m === 'string') ids.add(m);
  }
  return ids;
}

async function gitUserName(): Promise<string | null> {
  const { execa } = await import('execa');
  const r = await execa('git', ['config', 'user.name'], { reject: false, timeout: 5000 }).catch(() => null);
  const name = r && r.exitCode === 0 && typeof r.stdout === 'string' ? r.stdout.trim() : '';
  return name === '' ? null : name;
}

/** One line for the operator: what failed and what to do; the stack only at debug level. */
function failed(log: Logger, err: unknown): number {
  if (err instanceof DavsError) {
    log.error({ stage: err.stage, code: err.code }, err.message);
    if (err.code === 'publish-refused') return EXIT.refused;
    if (err.code === 'warehouse-locked') return EXIT.busy;
    return EXIT.failed;
  }
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string' && typeof e.syscall === 'string') {
    log.error({ stage: 'pipeline', code: e.code, path: e.path }, `cannot ${e.syscall} ${e.path ?? ''}: ${e.code}${e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' ? ' (check that the user running davs may write the warehouse folder)' : ''}`);
  } else {
    log.error({ stage: 'pipeline', err: log.isLevelEnabled('debug') ? err : undefined }, `run failed: ${err instanceof Error ? err.message : String(err)} (run with --log-level debug for the stack)`);
  }
  return EXIT.failed;
}

/**
 * DAVS_KILL_AT=<boundary> kills the run with SIGKILL at that boundary: how the tests prove that an
 * interrupted run changes nothing that was published. Unset in production.
 */
function faultInjection(): ((boundary: Boundary) => void) | undefined {
  const at = process.env.DAVS_KILL_AT;
  if (!at) return undefined;
  if (!(BOUNDARIES as readonly string[]).includes(at)) throw new UsageError(`DAVS_KILL_AT must be one of ${BOUNDARIES.join(', ')}`);
  return (boundary) => {
    if (boundary === at) process.kill(process.pid, 'SIGKILL');
  };
}
