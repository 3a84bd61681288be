import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** The levels --log-level and DAVS_LOG_LEVEL accept (pino's). */
export const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a sink. */
  destination?: DestinationStream;
  /** Human-readable lines; defaults to whether stdout is a terminal. */
  pretty?: boolean;
}

/** The one logger of a run: JSON lines for cron and systemd, pretty only on a terminal. Stages get children. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.DAVS_LOG_LEVEL ?? 'info';
  if (options.destination) return pino({ level, base: undefined, timestamp: false }, options.destination);
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty && prettyAvailable()) {
    return pino({ level, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino({ level });
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false; // pino-pretty is optional: JSON lines are always available
  }
}
