/**
 * Reading DuckDB's streamed results a chunk at a time, and letting go of them. Both matter to a
 * long run: a chunk's strings are DuckDB's memory, which V8 does not count, so nothing prompts a
 * collection to free them (streaming the JSON of the cells and observations of 1,000 documents grew
 * the process to 1.2 GB without a collection; resetting each chunk once read, 290 MB, and faster);
 * and a streamed result read only in part keeps its connection's session, and with it the
 * database file and its lock, after the connection and the instance are closed, until the
 * collector gets to the result (a published warehouse stayed locked by the run that wrote it when
 * the digest stopped early on a table out of order).
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';

/**
 * What DuckDB makes ahead of a streamed result's reader, per connection (its streaming_buffer_size,
 * 976.5 KiB by default): what runs ahead is held in memory DuckDB does not count against its limit.
 * Streaming the JSON of the 1,000-document table rows, cells and statements (as the digest did
 * before it summed row hashes in DuckDB) under the 128MB limit took the process from 89 to 296-301
 * MiB with the default, 228 with 256KB, 208-210 with 64KB, in the same time (2.5-2.9 s). In a whole
 * night less is not always better: the checks' sorted partition batches then wait on their reader
 * (see openWarehouse).
 */
export const STREAMING_BUFFER = '256KB';

/** From now on, `connection`'s streamed results run at most STREAMING_BUFFER ahead of their reader (a setting of each connection, not of the database). */
export async function limitRunAhead(connection: DuckDBConnection): Promise<void> {
  await connection.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`);
}

/** A connection to `instance` whose streamed results run at most STREAMING_BUFFER ahead of their reader (limitRunAhead). */
export async function connectForStreaming(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  try {
    await limitRunAhead(connection);
  } catch (err) {
    connection.closeSync();
    throw err;
  }
  return connection;
}

/**
 * The chunks of `sql`'s result, streamed on `connection`, each reset (its memory freed) once the
 * consumer asks for the next. If the consumer stops early (or throws), the query is interrupted and
 * what DuckDB had already made is read and dropped, so the result ends and lets go of its session.
 */
export async function* streamedChunks(connection: DuckDBConnection, sql: string): AsyncGenerator<DuckDBDataChunk> {
  const result = await connection.stream(sql);
  let ended = false;
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) {
        ended = true;
        return;
      }
      yield chunk;
      chunk.reset();
    }
  } finally {
    if (!ended) await abandon(connection, result);
  }
}

/** Interrupt a streamed result's query and read out what was already made (a few chunks), so that it ends. */
async function abandon(connection: DuckDBConnection, result: DuckDBResult): Promise<void> {
  connection.interrupt();
  try {
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) chunk.reset();
  } catch {
    // an interrupted query may end in an error: it has ended, which is all that is wanted here
  }
}
