import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DavsError, UsageError } from '../core/index.js';
import { createLogger, LOG_LEVELS, type Logger } from './logger.js';
import { loadConfig } from './config.js';
import { BOUNDARIES, EXIT, runNightly, type Boundary, type FailOn } from './run.js';
import { verifyWarehouse } from './verify.js';

const USAGE = `Usage: davs run    [--raw DIR] [--warehouse DIR] [--fail-on error|warning|never] [--allow-shrink]
                  [--config FILE] [--log-level LEVEL]
       davs verify [--raw DIR] [--warehouse DIR] [--config FILE] [--log-level LEVEL]
       davs --version | --help

  run     read every release in --raw (default ./raw), build a new warehouse and report, and publish
          them together: <warehouse>/davs.duckdb and <warehouse>/reports/latest/ (default warehouse
          ./warehouse; limits and guards from ./davs.config.json if present)
  verify  rebuild from --raw in a temporary folder and compare, table by table, with the published
          warehouse and with what its run.json recorded; names the tables that differ

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
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch (err) {
    return `unknown (${err instanceof Error ? err.message : String(err)})`;
  }
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        raw: { type: 'string', default: 'raw' },
        warehouse: { type: 'string', default: 'warehouse' },
        'fail-on': { type: 'string', default: 'never' },
        'allow-shrink': { type: 'boolean', default: false },
        'log-level': { type: 'string' },
        config: { type: 'string' },
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
    if (command !== 'run' && command !== 'verify') throw new UsageError(`unknown command "${command}"`, 'see davs --help');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, 'see davs --help');
    const config = loadConfig(parsed.values.config ?? 'davs.config.json', parsed.values.config !== undefined);
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
    });
    log.info({ stage: 'pipeline', exit_code: result.exitCode, findings: result.findings.length, errors: result.run.errors, warnings: result.run.warnings, failed_documents: result.failures.length, document_problems: result.problems.length, report: result.reportDir }, 'run complete');
    return result.exitCode;
  } catch (err) {
    return failed(log, err);
  } finally {
    log.flush();
  }
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

const entry = process.argv[1] ?? '';
if (entry.endsWith('cli.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`davs: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
