/**
 * The davs command's entry (bin/davs.mjs imports it). `davs run` first asks whether the night is
 * unchanged (pipelines/unchanged.ts: only hashing, no pipeline code loaded); when it is, it says so
 * and exits with the published run's exit code. Everything else loads the commands
 * (pipelines/commands.ts) and runs them, with V8's tiering budget (core/tiering.ts) and DuckDB's
 * allocator options (load/allocator.ts) set first.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { packagePath } from '../core/paths.js';
import { setTieringBudget } from '../core/tiering.js';
import { configureDuckdbAllocator } from '../load/allocator.js';
import { RUN_OPTIONS } from './arguments.js';
import type { RunFingerprint } from './fingerprint.js';
import { checkUnchanged } from './unchanged.js';

export async function main(argv: string[]): Promise<number> {
  const night = await unchangedNight(argv);
  if (night.done) return night.exitCode;
  if (night.startWorkers) await startWorkers(night.config);
  setTieringBudget();
  // before DuckDB's library loads (with the commands), which reads it then (load/allocator.ts)
  configureDuckdbAllocator();
  const { main: command } = await import('./commands.js');
  return command(argv, night.fingerprint);
}

/**
 * The document workers of a `davs run`, started before the pipeline's code is loaded: they load
 * theirs meanwhile, on the other cores (each takes about 0.2 s before it can read a document). The
 * run takes this pool (sharedPool, for the limits of the same config). A config that cannot be read
 * starts none: the command says what is wrong with it.
 */
async function startWorkers(configFile: string | undefined): Promise<void> {
  const [{ poolOptions, sharedPool }, { loadConfigArgument }] = await Promise.all([import('./worker-pool.js'), import('./config.js')]);
  let limits;
  try {
    limits = loadConfigArgument(configFile).limits;
  } catch {
    return;
  }
  sharedPool(poolOptions(limits));
}

/** What unchangedNight says of anything it does not judge: the full command runs, with no workers started before it. */
const FULL_COMMAND = { done: false, fingerprint: null, startWorkers: false } as const;

/**
 * Whether `davs run` has nothing to do; anything unusual (other commands, bad arguments, --no-cache,
 * fault injection) goes to the full command. A `davs run` that has documents to read starts its
 * workers first (startWorkers, with the config it names).
 */
async function unchangedNight(argv: string[]): Promise<{ done: true; exitCode: number } | { done: false; fingerprint: RunFingerprint | null; startWorkers: boolean; config?: string }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: RUN_OPTIONS,
    });
  } catch {
    return FULL_COMMAND;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'run') return FULL_COMMAND;
  if (values['no-cache'] || process.env.DAVS_KILL_AT) return { done: false, fingerprint: null, startWorkers: true, config: values.config };
  const failOn = values['fail-on'];
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') return FULL_COMMAND;
  const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  const check = await checkUnchanged({ raw: values.raw!, warehouse: values.warehouse!, config: values.config, decisions: values.decisions, failOn }, version);
  // workers only for a raw folder other than the published run's: with the same files every document
  // is in the cache (unless the code changed; the run then starts them itself), and two idle workers
  // cost such a night 19% more CPU (bundled corpus, paired)
  if (!check.unchanged) return { done: false, fingerprint: check.fingerprint, startWorkers: check.rawChanged, config: values.config };
  const { createLogger, LOG_LEVELS } = await import('./logger.js');
  const level = values['log-level'] ?? process.env.DAVS_LOG_LEVEL;
  if (level !== undefined && !LOG_LEVELS.includes(level)) return FULL_COMMAND;
  const log = createLogger(level ? { level } : {});
  log.info(
    { stage: 'pipeline', unchanged: true, run: check.runId, exit_code: check.exitCode },
    `nothing changed since the published run ${check.runId} (raw files, code, catalogue, config and decisions): not run, nothing republished`,
  );
  log.flush();
  return { done: true, exitCode: check.exitCode };
}

// run directly (tsx pipelines/cli.ts, node dist/pipelines/cli.js) rather than imported (bin/davs.mjs, tests)
const entry = process.argv[1] ?? '';
if (/(^|[\\/])pipelines[\\/]cli\.[jt]s$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`davs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
