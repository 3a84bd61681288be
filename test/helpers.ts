/** Shared by the end-to-end tests: a silent logger that keeps its lines, small corpora, snapshots of a published warehouse. */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance, type JS } from '@duckdb/node-api';
import { execa } from 'execa';
import { createLogger, type Logger } from '../pipelines/logger.js';

export const ROOT = join(import.meta.dirname, '..');
export const RAW = join(ROOT, 'raw');
export const BIN = join(ROOT, 'bin', 'davs.mjs');

export function sink(): { lines: Array<Record<string, unknown>>; log: Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ destination: stream }) };
}

/** Rows of a query on a warehouse file, opened read-only as an analyst would, and closed again. */
export async function queryWarehouse(path: string, sql: string): Promise<Record<string, JS>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `davs-${prefix}-`));
}

/** The three ONS articles of raw/ with their manifest entries: a small corpus that still has findings. */
export async function smallCorpus(files = ['ons-dav-2020-11.txt', 'ons-dav-2021-11.txt', 'ons-dav-2023-11.txt']): Promise<string> {
  const dir = await tempDir('raw');
  for (const f of files) await cp(join(RAW, f), join(dir, f));
  const manifest = JSON.parse(await readFile(join(RAW, 'manifest.json'), 'utf8')) as { schema_version: number; documents: Array<{ file: string }> };
  manifest.documents = manifest.documents.filter((d) => files.includes(d.file));
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

/** What is published: where `current` points and the sha256 of every file in that run folder. */
export async function snapshot(warehouse: string): Promise<{ current: string; files: Record<string, string> }> {
  const current = await readlink(join(warehouse, 'current'));
  const files: Record<string, string> = {};
  for (const name of (await readdir(join(warehouse, current))).sort()) {
    files[name] = createHash('sha256').update(await readFile(join(warehouse, current, name))).digest('hex');
  }
  return { current, files };
}

/**
 * The davs command as an operator runs it: compiled from dist/ when that is up to date, else the
 * TypeScript through tsx (without the warning line, which tests that count stderr lines would see).
 */
export function davs(args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { cwd: ROOT, reject: false, env: { DAVS_LOG_LEVEL: 'info', DAVS_NO_BUILD_WARNING: '1', ...env }, timeout: 120_000 });
}
