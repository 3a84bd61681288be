/**
 * The warehouse lock's file, `<warehouse>/.lock`: which process holds the warehouse. Read by
 * acquireLock (pipelines/publish.ts) and by the unchanged-night check (pipelines/unchanged.ts),
 * which must not load the pipeline to read it: node built-ins only.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockRecord {
  pid: number;
  host: string;
  run_id: string;
}

export const LOCK_FILE = '.lock';

/** Whether another process holds the warehouse: its lock names a live process here, or any process on another host. */
export async function lockHeld(warehouseDir: string): Promise<boolean> {
  const holder = await readLock(join(warehouseDir, LOCK_FILE));
  return holder !== null && (holder.host !== hostname() || isAlive(holder.pid));
}

export async function readLock(path: string): Promise<LockRecord | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const json = JSON.parse(text) as Partial<LockRecord>;
    if (typeof json.pid === 'number') return { pid: json.pid, host: String(json.host ?? hostname()), run_id: String(json.run_id ?? '') };
  } catch {
    // an older davs wrote the bare pid
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? { pid, host: hostname(), run_id: '' } : { pid: 0, host: hostname(), run_id: '' };
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
