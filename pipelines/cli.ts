import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DavsError, UsageError } from '../core/index.js';
import { createLogger } from './logger.js';
import { loadConfig } from './config.js';
import { runNightly, type FailOn } from './run.js';

const USAGE = `Usage: davs run [--raw DIR] [--warehouse DIR] [--fail-on error|warning|never] [--log-level LEVEL] [--config FILE]

  run    read every release in --raw (default ./raw), load <warehouse>/davs.duckdb,
         run the checks and write <warehouse>/reports/latest/{findings.json,report.md,report.html}
         (default warehouse ./warehouse; limits from ./davs.config.json if present)

Exit codes: 0 the run completed (whatever it found); 2 --fail-on was given and findings at
that level were found; 1 the run failed (bad arguments, unreadable raw folder, warehouse locked).`;

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
        'log-level': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return 1;
  }
  const [command] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !parsed.values.help ? 1 : 0;
  }
  const log = createLogger(parsed.values['log-level'] ? { level: parsed.values['log-level'] } : {});
  try {
    if (command !== 'run') throw new UsageError(`unknown command "${command}"`, 'see davs --help');
    const failOn = parsed.values['fail-on'];
    if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}"`);
    const config = loadConfig(parsed.values.config ?? 'davs.config.json', parsed.values.config !== undefined);
    const result = await runNightly({ rawDir: parsed.values.raw!, warehouseDir: parsed.values.warehouse!, failOn: failOn as FailOn, log, version: version(), config });
    log.info({ stage: 'pipeline', exit_code: result.exitCode, findings: result.findings.length, errors: result.run.errors, warnings: result.run.warnings, failed_documents: result.failures.length, report: result.reportDir }, 'run complete');
    return result.exitCode;
  } catch (err) {
    if (err instanceof DavsError) {
      log.error({ code: err.code, stage: err.stage }, err.message);
      return 1;
    }
    log.error({ err }, 'run failed');
    return 1;
  } finally {
    log.flush();
  }
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('cli.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
