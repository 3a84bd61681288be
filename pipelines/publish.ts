import { mkdir, open, readFile, readdir, rename, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { DavsError, compareCodePoints } from '../core/index.js';

/**
 * Publishing a run: everything is built in a staging folder inside the warehouse folder, then
 * moved into place by rename, so readers always see the last complete warehouse and report.
 *   <warehouse>/davs.duckdb                 replaced by rename (readers keep the file they opened)
 *   <warehouse>/reports/runs/<run_id>/      one folder per run, kept for the last KEEP_RUNS runs
 *   <warehouse>/reports/latest -> runs/<run_id>   swapped atomically (rename of a new symlink)
 */
export const KEEP_RUNS = 10;

export async function stagingDir(warehouseDir: string, runId: string): Promise<string> {
  const dir = join(warehouseDir, `.staging-${runId}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function publish(warehouseDir: string, staging: string, runId: string): Promise<void> {
  const runs = join(warehouseDir, 'reports', 'runs');
  await mkdir(runs, { recursive: true });
  await rename(join(staging, 'davs.duckdb'), join(warehouseDir, 'davs.duckdb'));
  await rename(join(staging, 'reports'), join(runs, runId));
  const tmpLink = join(warehouseDir, 'reports', `.latest-${process.pid}`);
  await rm(tmpLink, { force: true });
  await symlink(join('runs', runId), tmpLink);
  await rename(tmpLink, join(warehouseDir, 'reports', 'latest'));
  await rm(staging, { recursive: true, force: true });
  await prune(runs);
}

/** Keep the newest KEEP_RUNS run folders (run ids sort by time). */
async function prune(runs: string): Promise<void> {
  const names = (await readdir(runs)).sort(compareCodePoints);
  for (const name of names.slice(0, Math.max(0, names.length - KEEP_RUNS))) await rm(join(runs, name), { recursive: true, force: true });
}

/**
 * One run at a time per warehouse: `<warehouse>/.lock` holds the pid of the run. A lock left by a
 * process that no longer exists is taken over; a live one is an error naming its pid.
 */
export async function acquireLock(warehouseDir: string): Promise<() => Promise<void>> {
  await mkdir(warehouseDir, { recursive: true });
  const path = join(warehouseDir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new DavsError(`another davs run (pid ${holder}) is using this warehouse`, { code: 'warehouse-locked', stage: 'pipeline', document: warehouseDir, hint: `wait for it to finish, or remove ${path} if that process is gone` });
      }
      await rm(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DavsError('could not take the warehouse lock', { code: 'warehouse-locked', stage: 'pipeline', document: warehouseDir });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
