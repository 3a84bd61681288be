import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMING_BUFFER, connectForStreaming, streamedChunks } from './streams.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-streams-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What stops another process opening the file for writing (DuckDB's lock held by this one), or '' if nothing does. */
async function whyNotOpenableByAnother(path: string): Promise<string> {
  const script = `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(path)}); i.closeSync();`;
  const child = await execa('node', ['--input-type=module', '-e', script], { cwd: process.cwd(), reject: false, timeout: 60_000 });
  return child.exitCode === 0 ? '' : `exit ${String(child.exitCode)}: ${child.stderr.slice(0, 500)}`;
}

describe('streamed results', () => {
  it('gives every row of a result, a chunk at a time', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    let rows = 0;
    for await (const chunk of streamedChunks(connection, 'SELECT i FROM range(10000) r(i)')) rows += chunk.rowCount;
    expect(rows).toBe(10000);
    connection.closeSync();
    instance.closeSync();
  });

  it('connects with a small run-ahead for streamed results, on that connection only', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const small = await connectForStreaming(instance);
    const plain = await instance.connect();
    const setting = async (c: typeof plain) => String((await c.runAndReadAll("SELECT current_setting('streaming_buffer_size')")).getRows()[0]![0]);
    const before = await setting(plain);
    expect(await setting(small)).not.toBe(before);
    await plain.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`);
    expect(await setting(small)).toBe(await setting(plain));
    small.closeSync();
    plain.closeSync();
    instance.closeSync();
  });

  it('ends a result read only in part, so closing the database lets go of its file', async () => {
    const path = join(dir, 'part.duckdb');
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE t AS SELECT i, repeat('x', 100) AS s FROM range(500000) r(i)`);
    for (let round = 0; round < 5; round++) {
      let chunks = 0;
      for await (const chunk of streamedChunks(connection, 'SELECT i, s FROM t')) {
        expect(chunk.rowCount).toBeGreaterThan(0);
        if (++chunks === 2) break;
      }
    }
    // the connection still answers, and the next query is whole
    expect(Number((await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0])).toBe(500000);
    connection.closeSync();
    instance.closeSync();
    expect(await whyNotOpenableByAnother(path)).toBe('');
  }, 60_000);
});
