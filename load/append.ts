/**
 * Rows held in memory into a table, a data chunk (DuckDB's vector size, 2048 rows) at a time:
 * one appendDataChunk per chunk instead of one appender call per value.
 */
import {
  BIGINT,
  DATE,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  LIST,
  TIMESTAMP,
  VARCHAR,
  dateValue,
  listValue,
  timestampValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Row, SqlValue } from './rows.js';
import type { ColumnSpec, ColumnType, TableSpec } from './schema.js';
import { epochDays, epochMicros, valueProblem } from './values.js';

/** Rows per data chunk: DuckDB's standard vector size, the most a chunk holds. */
export const CHUNK_ROWS = 2048;

const DUCKDB_TYPES: Record<ColumnType, DuckDBType> = {
  VARCHAR,
  'VARCHAR[]': LIST(VARCHAR),
  DOUBLE,
  INTEGER,
  BIGINT,
  DATE,
  TIMESTAMP,
};

/** A value (already checked by valueProblem) as the DuckDBValue its column's vector takes. */
function duckValue(column: ColumnSpec, value: SqlValue): DuckDBValue {
  if (value === null) return null;
  switch (column.type) {
    case 'VARCHAR':
    case 'DOUBLE':
    case 'INTEGER':
      return value as string | number;
    case 'VARCHAR[]':
      return listValue([...(value as readonly string[])]);
    case 'BIGINT':
      return BigInt(value as number);
    case 'DATE':
      return dateValue(epochDays(value as string)!);
    case 'TIMESTAMP':
      return timestampValue(epochMicros(value as string)!);
  }
}

/** Columns of rows[from, to) as DuckDBValues, each value checked against its column; throws naming the row (from 1, counting `before` rows ahead of these) and column. */
function chunkColumns(spec: TableSpec, rows: readonly Row[], from: number, to: number, before: number): DuckDBValue[][] {
  const columns: DuckDBValue[][] = spec.columns.map(() => new Array<DuckDBValue>(to - from));
  for (let r = from; r < to; r++) {
    const row = rows[r]!;
    for (let i = 0; i < spec.columns.length; i++) {
      const column = spec.columns[i]!;
      const value = row[i] ?? null;
      const problem = valueProblem(column, value);
      if (problem !== null) throw new Error(`row ${before + r + 1}: ${problem}`);
      columns[i]![r - from] = duckValue(column, value);
    }
  }
  return columns;
}

/** Append `rows` (in the order given) to the table, a data chunk at a time. */
export async function appendRows(connection: DuckDBConnection, spec: TableSpec, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await appendRowBatches(connection, spec, [rows]);
}

/**
 * Append the rows of each batch `batches` gives, in order, to the table, a data chunk at a time:
 * a table made a batch at a time (the findings) never has all of its rows in memory. Resolves to
 * the number of rows appended.
 */
export async function appendRowBatches(connection: DuckDBConnection, spec: TableSpec, batches: Iterable<readonly Row[]>): Promise<number> {
  const types = spec.columns.map((c) => DUCKDB_TYPES[c.type]);
  const appender = await connection.createAppender(spec.name);
  let appended = 0;
  try {
    for (const rows of batches) {
      for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
        const to = Math.min(rows.length, from + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, to - from);
        chunk.setColumns(chunkColumns(spec, rows, from, to, appended));
        appender.appendDataChunk(chunk);
      }
      appended += rows.length;
    }
    appender.flushSync();
  } finally {
    try {
      appender.closeSync();
    } catch {
      // Closing after a failed append throws "transaction is aborted"; the original error is what matters.
    }
  }
  return appended;
}
