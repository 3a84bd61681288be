/**
 * Reading DuckDB's streamed results a chunk at a time, and letting go of them. Both matter to a
 * long run: a chunk's strings are DuckDB's memory, which V8 does not count, so nothing prompts a
 * collection to free them (streaming the JSON of the cells and observations of 1,000 documents grew
 * the process to 1.2 GB without a collection; resetting each chunk once read, 290 MB, and faster);
 * and a streamed result read only in part keeps its connection's session, and with it the
 * database file and its lock, after the connection and the instance are closed, until the
 * collector gets to the result (a published warehouse stayed locked by the run that wrote it when
 * the digest stopped early on a table out of order). DuckDB lets go of the session when a
 * streamed result is read to its end; one cut short by an interrupt can read as ended too (no
 * chunk) and keep it (readOut).
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
 * consumer asks for the next. If the consumer stops early (or throws), what is left of the result
 * is read and dropped, so the result ends and lets go of its session.
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
    if (!ended) await readOut(result);
  }
}

/**
 * Read out a streamed result's chunks, dropping each, so that it ends. Not interrupted: a query
 * interrupted while DuckDB's threads were working on it ended as an error, and the result then kept
 * its session until it was collected: a database closed after 5 results were read in part and
 * interrupted, then opened by another process, was still locked 3 times in 40 with the machine's
 * cores busy (none in 50 in a second series; load/streams.test.ts failed so once in a full run of
 * the tests), each time after a result whose interrupt had cut it short. Read out, such a result ends
 * as one read whole, which DuckDB closes (none locked in 90). What is left costs its reading; the
 * consumers stop early only when they fail.
 */
async function readOut(result: DuckDBResult): Promise<void> {
  try {
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) chunk.reset();
  } catch {
    // a query that fails as it is read out has ended, which is all that is wanted here
  }
}
