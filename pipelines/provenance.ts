import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { sha256 } from '../core/index.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { duckdbVersion } from '../load/index.js';

/** What code and environment built a warehouse: recorded in run.json and the runs table, compared by davs verify. */
export interface Provenance {
  /** git revision of the davs code, '+dirty' when it has uncommitted changes; null outside a git checkout. */
  code_revision: string | null;
  lockfile_sha256: string | null;
  node_version: string;
  duckdb_version: string;
}

const ROOT = PACKAGE_ROOT;

export async function provenance(): Promise<Provenance> {
  const [code_revision, lockfile_sha256] = await Promise.all([gitRevision(), readFile(join(ROOT, 'package-lock.json')).then(sha256, () => null)]);
  return { code_revision, lockfile_sha256, node_version: process.version, duckdb_version: duckdbVersion() };
}

// Through node's execFile, not execa: loading execa (a 240 KB chunk of the bundle) is most of what
// these two calls cost, 135 ms of CPU against 27 measured alone, and nothing else `davs run` does
// needs it (the review command loads it for itself).
async function gitRevision(): Promise<string | null> {
  const [head, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (head === null || !/^[0-9a-f]{40}$/.test(head.trim())) return null;
  const dirty = status !== null && status.trim() !== '';
  return `${head.trim()}${dirty ? '+dirty' : ''}`;
}

/** git's output in davs's checkout, or null when it fails (no git, not a checkout, 5 s passed). */
function git(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: ROOT, timeout: 5000, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });
}
