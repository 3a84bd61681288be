/**
 * Vitest's global setup: the whole suite gets a temporary folder of its own, removed when it ends.
 * Tests make their warehouses, raw folders and reports under os.tmpdir() and most leave them there
 * (a warehouse with its cache is over 100 MB): run after run, that filled the disk of the machine
 * the suite ran on. TMPDIR is set before vitest starts its workers, so they and the processes they
 * start (the davs CLI, document workers) all write under it; os.tmpdir() reads it on every call.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'davs-test-'));
  // others may pass through it, as through the system's own (a test reads a warehouse as another
  // user); the folders tests make inside are mkdtemp's, private to their owner unless a test opens one
  chmodSync(dir, 0o755);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
