/**
 * The unchanged night: when nothing a run's output depends on has changed since the published run
 * (pipelines/fingerprint.ts: raw files, code and catalogue, lockfile, config, decisions), `davs run`
 * says so and exits with the published run's exit code, without reading a document, opening the
 * warehouse or republishing. Light on purpose (no zod, no DuckDB): it is all an unchanged night costs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readlink } from 'node:fs/promises';
import { DECISIONS_FILE } from '../core/paths.js';
import { CONFIG_FILE } from './arguments.js';
import { exitCodeOfCounts, type FailOn } from './exit.js';
import { readPublishedFingerprint, runFingerprint, type RunFingerprint } from './fingerprint.js';
import { lockHeld } from './lock-file.js';

export interface RunArguments {
  raw: string;
  warehouse: string;
  config: string | undefined;
  decisions: string | undefined;
  failOn: FailOn;
}

/**
 * An unchanged night, or the fingerprint of a changed one (null when it could not be taken) and
 * whether its raw files are other than the published run's (then some documents are to be read).
 */
export type UnchangedCheck = { unchanged: true; runId: string; exitCode: number } | { unchanged: false; fingerprint: RunFingerprint | null; rawChanged: boolean };

/**
 * Whether this night can be skipped. Anything it cannot read (a config that is not JSON, no
 * published run, a run held by another process) means "changed", and the full run handles it.
 */
export async function checkUnchanged(args: RunArguments, version: string): Promise<UnchangedCheck> {
  const configPath = resolve(args.config ?? CONFIG_FILE);
  const configText = existsSync(configPath) ? readFileSync(configPath, 'utf8') : null;
  let decisionsFile = args.decisions === undefined ? DECISIONS_FILE : resolve(args.decisions);
  if (args.decisions === undefined && configText !== null) {
    let json: unknown;
    try {
      json = JSON.parse(configText);
    } catch {
      return { unchanged: false, fingerprint: null, rawChanged: true };
    }
    const named = (json as { decisions?: unknown } | null)?.decisions;
    if (typeof named === 'string') decisionsFile = resolve(dirname(configPath), named);
  }
  const fingerprint = await runFingerprint({ rawDir: args.raw, config: `file:${configText ?? ''}`, decisionsFile, version }).catch(() => null);
  if (fingerprint === null) return { unchanged: false, fingerprint: null, rawChanged: true };
  const warehouseDir = resolve(args.warehouse);
  if (await lockHeld(warehouseDir)) return { unchanged: false, fingerprint, rawChanged: true };
  const target = await readlink(join(warehouseDir, 'current')).catch(() => null);
  const published = target === null ? null : await readPublishedFingerprint(join(warehouseDir, target));
  const rawChanged = published === null || published.raw !== fingerprint.raw;
  if (published === null || published.fingerprint !== fingerprint.fingerprint || !existsSync(join(warehouseDir, target!, 'davs.duckdb'))) return { unchanged: false, fingerprint, rawChanged };
  return { unchanged: true, runId: published.run_id, exitCode: exitCodeOfCounts(args.failOn, published.undecided, published.problems) };
}
