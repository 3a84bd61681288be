/**
 * What a run's output depends on, as one hash: every file of the raw folder, davs's code and data
 * (the measure catalogue, geography lookup, derivations), the lockfile, the config and the
 * stewards' decisions. A published run keeps it in <run>/fingerprint.json; a night whose
 * fingerprint equals the published run's has nothing to do (pipelines/cli.ts says so and exits).
 *
 * Light on purpose: node built-ins and core's hashing only (no zod, no DuckDB), so the unchanged
 * night costs the hashing, not the start-up of the whole pipeline.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { canonicalJson, sha256 } from '../core/hash.js';
import { wholeFileReader } from '../core/fs.js';
import { packagePath } from '../core/paths.js';
import { compareCodePoints } from '../core/sort.js';
import type { SeverityCounts } from './exit.js';

export const FINGERPRINT_FILE = 'fingerprint.json';

/** Raw files read and hashed at once by runFingerprint. */
const RAW_HASHING_LANES = 4;

/** davs's own files whose change can change a run's output. */
const CODE = ['core', 'extract', 'transform', 'load', 'checks', 'pipelines', 'bin', 'package.json', 'package-lock.json'];

/** Source files (not tests, not fixtures) under the given paths of the checkout, as [path, sha256] in code-point order. */
export async function sourceHashes(paths: readonly string[]): Promise<Array<[string, string]>> {
  const files: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await stat(packagePath(path)).catch(() => null);
    if (!info) return;
    if (info.isFile()) {
      files.push(path);
      return;
    }
    for (const name of await readdir(packagePath(path))) {
      if (name.endsWith('.test.ts') || name === 'fixtures' || name.startsWith('.')) continue;
      await walk(`${path}/${name}`);
    }
  };
  for (const path of paths) await walk(path);
  const unique = [...new Set(files)].sort(compareCodePoints);
  return Promise.all(unique.map(async (f) => [f, sha256(await readFile(packagePath(f)))] as [string, string]));
}

export interface RunInputs {
  rawDir: string;
  /** The config as the run read it (its canonical JSON), or the file's text. */
  config: string;
  decisionsFile: string;
  version: string;
}

/** What a run's output depends on, hashed: the whole (see above), and its raw folder's files alone. */
export interface RunFingerprint {
  fingerprint: string;
  /** The raw folder's files (names and contents): when only this is the published run's, every document is in the cache unless the code changed. */
  raw: string;
}

/** The hash of everything a run's output depends on (see above), and of the raw files alone. */
export async function runFingerprint(inputs: RunInputs): Promise<RunFingerprint> {
  const rawDir = resolve(inputs.rawDir);
  const entries = await readdir(rawDir, { withFileTypes: true }).catch(() => []);
  // a few files at a time, each through a buffer of its lane's (not every file's bytes at once: at
  // 2,000 documents that was 110 MB the run kept resident to its end)
  const names = entries.map((e) => e.name).sort(compareCodePoints);
  const raw = new Array<[string, string | null]>(names.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    const read = wholeFileReader();
    while (next < names.length) {
      const i = next++;
      const bytes = await read(join(rawDir, names[i]!)).catch(() => null);
      raw[i] = [names[i]!, bytes === null ? null : sha256(bytes)];
    }
  };
  await Promise.all(Array.from({ length: Math.min(RAW_HASHING_LANES, names.length) }, lane));
  const decisions = await readFile(inputs.decisionsFile).then(sha256, () => null);
  return {
    fingerprint: sha256(
      canonicalJson({ raw_dir: rawDir, raw, code: await sourceHashes(CODE), config: inputs.config, decisions_file: resolve(inputs.decisionsFile), decisions, version: inputs.version, node: process.version }),
    ),
    raw: sha256(canonicalJson({ raw_dir: rawDir, raw })),
  };
}

/** What a published run keeps of its fingerprint, and what its exit code depends on. */
export interface PublishedFingerprint extends RunFingerprint {
  run_id: string;
  /** Undecided findings and document problems by severity: --fail-on's exit code for an unchanged night. */
  undecided: SeverityCounts;
  problems: SeverityCounts;
}

export async function readPublishedFingerprint(runDir: string): Promise<PublishedFingerprint | null> {
  try {
    const json = JSON.parse(await readFile(join(runDir, FINGERPRINT_FILE), 'utf8')) as Partial<PublishedFingerprint>;
    const counts = (c: unknown) => typeof c === 'object' && c !== null && Number.isInteger((c as { error?: unknown }).error) && Number.isInteger((c as { warning?: unknown }).warning);
    if (typeof json.fingerprint !== 'string' || typeof json.run_id !== 'string' || !counts(json.undecided) || !counts(json.problems)) return null;
    // (a run of an older davs kept no raw hash: its raw folder counts as another)
    return { ...(json as PublishedFingerprint), raw: typeof json.raw === 'string' ? json.raw : '' };
  } catch {
    return null;
  }
}
