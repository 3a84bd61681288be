import type { SqlValue } from './rows.js';
import type { ColumnSpec } from './schema.js';

const MS_PER_DAY = 86_400_000;

/** Dates already read by epochDays: a document's rows repeat a few dates thousands of times. */
const DAYS = new Map<string, number | null>();
/** Dates kept in DAYS, at most (then it starts again): a bound whatever a document holds. */
const DAYS_KEPT = 4096;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date, or null if it is not a real calendar date. */
export function epochDays(date: string): number | null {
  if (date.length !== 10) return null; // not YYYY-MM-DD (and nothing long is kept)
  let days = DAYS.get(date);
  if (days === undefined) {
    if (DAYS.size >= DAYS_KEPT) DAYS.clear();
    DAYS.set(date, (days = daysOf(date)));
  }
  return days;
}

function daysOf(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

/** Microseconds since the epoch (UTC) of an ISO 8601 timestamp, or null if it does not parse. */
export function epochMicros(timestamp: string): bigint | null {
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) ? BigInt(ms) * 1000n : null;
}

/** Why `value` cannot go into `column`, or null when it can: the loader's own rule, used to admit documents before loading. */
export function valueProblem(column: ColumnSpec, value: SqlValue): string | null {
  const fits =
    value === null
      ? column.nullable
      : column.type === 'VARCHAR'
        ? typeof value === 'string'
        : column.type === 'VARCHAR[]'
          ? Array.isArray(value) && value.every((item) => typeof item === 'string')
          : column.type === 'DOUBLE'
            ? typeof value === 'number' && Number.isFinite(value)
            : column.type === 'INTEGER'
              ? typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647
              : column.type === 'BIGINT'
                ? typeof value === 'number' && Number.isSafeInteger(value)
                : column.type === 'DATE'
                  ? typeof value === 'string' && epochDays(value) !== null
                  : typeof value === 'string' && epochMicros(value) !== null;
  if (fits) return null;
  const shown = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return `column ${column.name} (${column.type}${column.nullable ? '' : ' NOT NULL'}) cannot take ${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}`;
}

