import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readFile, readdir, readlink, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { FindingsSeen } from '../checks/report/changes.js';
import { LOCK_FILE, isAlive, readLock, type LockRecord } from './lock-file.js';
import { DavsError, compareCodePoints, writeFileAtomic } from '../core/index.js';
import { writerHolding } from '../load/index.js';

/**
 * Publishing a run. Every run builds in its own staging folder and becomes a new, read-only folder
 * of its own; one symlink says which run is current, so the warehouse and its report always
 * change together, by one rename, and a published file is never written again:
 *
 *   <warehouse>/runs/<run_id>/davs.duckdb      the run's warehouse (0444, folder 0555)
 *   <warehouse>/runs/<run_id>/{findings.json,checks.json,report.md,report.html,run.json}
 *   <warehouse>/current -> runs/<run_id>       swapped atomically (rename of a new symlink)
 *   <warehouse>/davs.duckdb -> current/davs.duckdb          stable path for analysts
 *   <warehouse>/reports/latest -> ../current                stable path for the report
 *   <warehouse>/history/findings-seen.json      finding id → the run that first raised it (rewritten by each publish)
 *
 * DuckDB resolves the symlink and keeps its write-ahead log beside the real file
 * (runs/<run_id>/davs.duckdb.wal), so a client's WAL can never be replayed into another run's file;
 * the read-only modes keep every non-root client from writing one at all. A client holding an older
 * run's file keeps reading it unchanged: publishing never touches a published file.
 */
export const KEEP_RUNS = 10;
export const RUNS_DIR = 'runs';
export const CURRENT_LINK = 'current';
export const WAREHOUSE_FILE = 'davs.duckdb';
export const QUARANTINE_DIR = 'quarantine';
export const HISTORY_FILE = join('history', 'findings-seen.json');
const STAGING_PREFIX = '.staging-';

/** A run id that sorts by start time and is unique even for two runs started in the same millisecond. */
export function newRunId(started: Date): string {
  const stamp = started.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `run-${stamp}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function stagingPath(warehouseDir: string, runId: string): string {
  return join(warehouseDir, `${STAGING_PREFIX}${runId}`);
}

export async function makeStagingDir(warehouseDir: string, runId: string): Promise<string> {
  const dir = stagingPath(warehouseDir, runId);
  await mkdir(dir, { recursive: false });
  return dir;
}

/** The run folder `current` points at, or null before the first publish. */
export async function currentRun(warehouseDir: string): Promise<{ runId: string; dir: string } | null> {
  let target: string;
  try {
    target = await readlink(join(warehouseDir, CURRENT_LINK));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EINVAL') return null;
    throw err;
  }
  return { runId: basename(target), dir: join(warehouseDir, RUNS_DIR, basename(target)) };
}

export interface Leftover {
  path: string;
  what: string;
}

/**
 * What killed or interrupted runs and clients left behind, cleaned up by the next run (which holds
 * the lock, so no other run can own them): staging folders, run folders a run moved into place but
 * never made current, temporary links, and write-ahead logs a client left beside a published file
 * (moved to quarantine/, so the file reads again as it was published; kept while a writer holds it).
 */
export async function cleanLeftovers(warehouseDir: string): Promise<Leftover[]> {
  const cleaned: Leftover[] = [];
  const names = await readdir(warehouseDir).catch(() => [] as string[]);
  for (const name of names.sort(compareCodePoints)) {
    if (name.startsWith(STAGING_PREFIX)) {
      await removeTree(join(warehouseDir, name));
      cleaned.push({ path: name, what: 'staging folder of an interrupted run, removed' });
    } else if (/^\.(current|link)-\d+/.test(name)) {
      await rm(join(warehouseDir, name), { force: true });
      cleaned.push({ path: name, what: 'temporary link of an interrupted publish, removed' });
    }
  }
  // a WAL beside the stable path is an older davs layout's (davs.duckdb was a file): it belongs to no run
  const legacyWal = join(warehouseDir, `${WAREHOUSE_FILE}.wal`);
  if (await exists(legacyWal)) {
    await mkdir(join(warehouseDir, QUARANTINE_DIR), { recursive: true });
    await rename(legacyWal, join(warehouseDir, QUARANTINE_DIR, `legacy.${WAREHOUSE_FILE}.wal`));
    cleaned.push({ path: `${WAREHOUSE_FILE}.wal`, what: `write-ahead log of the older layout's warehouse file, moved to ${QUARANTINE_DIR}/ so it can never be replayed into a new one` });
  }
  const current = await currentRun(warehouseDir);
  const runsDir = join(warehouseDir, RUNS_DIR);
  const runs = (await readdir(runsDir).catch(() => [] as string[])).sort(compareCodePoints);
  for (const name of runs) {
    const dir = join(runsDir, name);
    // with no current run, every run folder is one a first publish moved into place and never switched to
    if (!current || (name !== current.runId && compareCodePoints(name, current.runId) > 0)) {
      await removeTree(dir);
      cleaned.push({ path: join(RUNS_DIR, name), what: 'run folder that was never made current (the run was interrupted while publishing), removed' });
      continue;
    }
    const wal = join(dir, `${WAREHOUSE_FILE}.wal`);
    if (!(await exists(wal))) continue;
    const holder = await writerHolding(join(dir, WAREHOUSE_FILE));
    if (holder !== null) {
      cleaned.push({ path: join(RUNS_DIR, name, `${WAREHOUSE_FILE}.wal`), what: `a client holds this published warehouse open for writing (${holder}); left in place` });
      continue;
    }
    const quarantine = join(warehouseDir, QUARANTINE_DIR);
    await mkdir(quarantine, { recursive: true });
    const to = join(quarantine, `${name}.${WAREHOUSE_FILE}.wal`);
    await withWritable(dir, () => rename(wal, to));
    cleaned.push({ path: join(RUNS_DIR, name, `${WAREHOUSE_FILE}.wal`), what: `write-ahead log a client left beside a published warehouse, moved to ${join(QUARANTINE_DIR, basename(to))} (the published file reads as published again)` });
  }
  return cleaned;
}

/**
 * Move the finished staging folder into runs/, make it read-only, then point `current` at it: one
 * rename switches warehouse and report together. Older runs beyond KEEP_RUNS are removed.
 * `between` is called at each step boundary (tests kill the process there).
 */
export async function publish(
  warehouseDir: string,
  staging: string,
  runId: string,
  between: (step: 'staged' | 'switched') => Promise<void> | void = () => undefined,
  seen?: FindingsSeen,
): Promise<string> {
  const runsDir = join(warehouseDir, RUNS_DIR);
  await mkdir(runsDir, { recursive: true });
  const dir = join(runsDir, runId);
  await rename(staging, dir);
  await makeReadOnly(dir);
  await between('staged');
  await replaceSymlink(join(warehouseDir, CURRENT_LINK), join(RUNS_DIR, runId));
  await between('switched');
  // the first-seen history follows `current`: written only once this run is the published one
  // (a run killed before here leaves the last run's history, which the next run still reads)
  if (seen) await writeFileAtomic(join(warehouseDir, HISTORY_FILE), `${JSON.stringify(seen, null, 2)}\n`);
  await ensureStableLinks(warehouseDir);
  await prune(runsDir, runId);
  return dir;
}

/**
 * The first-seen history a publish wrote (finding id → the run that first raised it), or null
 * when there is none yet or it cannot be read (then findings of the last run count as first seen
 * in it). Its `run_id` says which run wrote it.
 */
export async function readFindingsSeen(warehouseDir: string): Promise<FindingsSeen | null> {
  const text = await readFile(join(warehouseDir, HISTORY_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const json = JSON.parse(text) as Partial<FindingsSeen>;
    if (typeof json.run_id !== 'string' || typeof json.findings !== 'object' || json.findings === null) return null;
    const findings: FindingsSeen['findings'] = {};
    for (const [id, r] of Object.entries(json.findings)) {
      if (r && typeof r.run_id === 'string' && typeof r.started_at === 'string') findings[id] = { run_id: r.run_id, started_at: r.started_at };
    }
    return { run_id: json.run_id, findings };
  } catch {
    return null;
  }
}

/** davs.duckdb and reports/latest point through `current`; a file or link of an older layout is replaced. */
async function ensureStableLinks(warehouseDir: string): Promise<void> {
  await replaceSymlinkIfNot(join(warehouseDir, WAREHOUSE_FILE), join(CURRENT_LINK, WAREHOUSE_FILE));
  await mkdir(join(warehouseDir, 'reports'), { recursive: true });
  await replaceSymlinkIfNot(join(warehouseDir, 'reports', 'latest'), join('..', CURRENT_LINK));
}

async function replaceSymlinkIfNot(path: string, target: string): Promise<void> {
  const now = await readlink(path).catch(() => null);
  if (now !== target) await replaceSymlink(path, target);
}

async function replaceSymlink(path: string, target: string): Promise<void> {
  const tmp = join(path, '..', `.link-${process.pid}-${basename(path)}`);
  await rm(tmp, { force: true });
  await symlink(target, tmp);
  await rename(tmp, path);
}

/** Files 0444 and the folder 0555: no client but root can write the published warehouse or a WAL beside it. */
async function makeReadOnly(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await lstat(path)).isFile()) await chmod(path, 0o444);
  }
  await chmod(dir, 0o555);
}

async function withWritable<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const mode = (await stat(dir)).mode & 0o777;
  await chmod(dir, mode | 0o200);
  try {
    return await work();
  } finally {
    await chmod(dir, mode);
  }
}

/** Remove a tree that may hold read-only folders (published runs are 0555). */
async function removeTree(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (!info) return;
  if (info.isDirectory()) {
    await chmod(path, 0o755).catch(() => undefined);
  }
  await rm(path, { recursive: true, force: true });
}

/** Keep the newest KEEP_RUNS run folders (run ids sort by time); never the current one. */
async function prune(runsDir: string, currentId: string): Promise<void> {
  const names = (await readdir(runsDir)).sort(compareCodePoints).filter((n) => n !== currentId);
  for (const name of names.slice(0, Math.max(0, names.length - (KEEP_RUNS - 1)))) await removeTree(join(runsDir, name));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

// ---------------------------------------------------------------- the lock

/**
 * One run at a time per warehouse: `<warehouse>/.lock` names the process holding it, created with
 * O_EXCL before anything else is written. A lock whose process is gone (same host) is taken over;
 * the takeover itself is serialised by `.lock.takeover`, so two runs that both find a stale lock
 * cannot both take it. A live lock is a `warehouse-locked` error naming its pid.
 */
export async function acquireLock(warehouseDir: string, runId: string): Promise<() => Promise<void>> {
  try {
    await mkdir(warehouseDir, { recursive: true });
  } catch (cause) {
    throw new DavsError(`cannot create the warehouse folder: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { code: 'warehouse-write-failed', stage: 'pipeline', document: warehouseDir, cause });
  }
  const path = join(warehouseDir, LOCK_FILE);
  const mine: LockRecord = { pid: process.pid, host: hostname(), run_id: runId };
  const release = async () => {
    const held = await readLock(path);
    if (held && held.pid === mine.pid && held.run_id === mine.run_id) await unlink(path).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, JSON.stringify(mine), warehouseDir)) return release;
    const holder = await readLock(path);
    if (holder && (holder.host !== mine.host || isAlive(holder.pid))) {
      throw new DavsError(`another davs run (pid ${holder.pid}${holder.host !== mine.host ? ` on ${holder.host}` : ''}, ${holder.run_id}) is using this warehouse`, { code: 'warehouse-locked', stage: 'pipeline', document: warehouseDir, hint: `wait for it to finish; if that process is gone, remove ${path}` });
    }
    await takeOverStale(path, holder, warehouseDir);
  }
  throw new DavsError('could not take the warehouse lock', { code: 'warehouse-locked', stage: 'pipeline', document: warehouseDir, hint: 'another run is starting at the same time; try again' });
}

async function takeOverStale(path: string, seen: LockRecord | null, warehouseDir: string): Promise<void> {
  const mutex = `${path}.takeover`;
  if (!(await createExclusive(mutex, String(process.pid), warehouseDir))) {
    const owner = Number((await readFile(mutex, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) return; // someone else is taking it over: try again
    await rm(mutex, { force: true });
    return;
  }
  try {
    const now = await readLock(path);
    // remove only the stale lock we saw, never one a faster run has just taken
    if (JSON.stringify(now) === JSON.stringify(seen)) await rm(path, { force: true });
  } finally {
    await rm(mutex, { force: true });
  }
}

async function createExclusive(path: string, content: string, warehouseDir: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new DavsError(`cannot write in the warehouse folder: ${code ?? String(err)}`, { code: 'warehouse-write-failed', stage: 'pipeline', document: warehouseDir, hint: 'check that the folder is writable by the user running davs', cause: err });
  }
}
