import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  const [code_revision, lockfile_sha256, duckdb_version] = await Promise.all([gitRevision(), readFile(join(ROOT, 'package-lock.json')).then(sha256, () => null), duckdbVersion()]);
  return { code_revision, lockfile_sha256, node_version: process.version, duckdb_version };
}

async function gitRevision(): Promise<string | null> {
  const [head, status] = await Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain', '--untracked-files=no'])]);
  if (head === null || !/^[0-9a-f]{40}$/.test(head.trim())) return null;
  const dirty = status !== null && status.trim() !== '';
  return `${head.trim()}${dirty ? '+dirty' : ''}`;
}

/**
 * What `git ARGS` prints in the package's folder, or null when it fails (no git, not a checkout,
 * not done in 5 s). Node's execFile, not execa: every run asks this while its workers start, and
 * loading execa and running these two through it cost the command about 135 ms of CPU against 27.
 */
function git(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd: ROOT, timeout: 5000, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout));
  });
}
