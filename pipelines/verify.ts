import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DavsError, compareCodePoints } from '../core/index.js';
import { RunManifest, TABLE_DIGEST, tableDigests } from '../load/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { WAREHOUSE_FILE, currentRun } from './publish.js';
import { EXIT, runNightly, type ExitCode } from './run.js';

export interface VerifyOptions {
  rawDir: string;
  warehouseDir: string;
  log: Logger;
  config?: Config;
  version?: string;
}

export interface VerifyResult {
  exitCode: ExitCode;
  /** Tables whose content differs: in the published file from run.json ('published'), or in the rebuild ('rebuilt'). */
  differs: Array<{ table: string; where: 'published' | 'rebuilt' }>;
  /** What to print, one line each. */
  lines: string[];
}

/**
 * `davs verify`: is the published warehouse what its run says, and would the same inputs and code
 * build it again? 1. the published file's tables are hashed and compared with run.json (a client
 * that wrote to it shows here); 2. raw/ is rebuilt in a temporary folder and its tables compared
 * with run.json. Inputs, code revision, lockfile, Node and DuckDB that differ from the recorded
 * ones are named, since they explain a difference.
 */
export async function verifyWarehouse(options: VerifyOptions): Promise<VerifyResult> {
  const warehouseDir = resolve(options.warehouseDir);
  const current = await currentRun(warehouseDir);
  if (!current) throw new DavsError('no published run here', { code: 'input-unreadable', stage: 'pipeline', document: warehouseDir, hint: 'run davs run first' });
  const runJson = join(current.dir, 'run.json');
  let recorded: RunManifest;
  try {
    recorded = RunManifest.parse(JSON.parse(await readFile(runJson, 'utf8')));
  } catch (cause) {
    throw new DavsError('run.json is missing, unreadable or of an older davs', { code: 'input-unreadable', stage: 'pipeline', document: runJson, cause, hint: 'run davs run once with this version, then verify' });
  }
  // digests of another definition would all differ, and say the file was changed when it was not
  if (recorded.table_digest !== TABLE_DIGEST) {
    throw new DavsError(`run.json records its tables' digests as ${recorded.table_digest ?? 'an older davs computed them'}, this davs computes ${TABLE_DIGEST}`, { code: 'input-unreadable', stage: 'pipeline', document: runJson, hint: 'run davs run once with this version, then verify' });
  }
  const lines: string[] = [`verifying ${current.runId} (warehouse_sha256 ${recorded.warehouse_sha256.slice(0, 12)}…)`];
  const differs: VerifyResult['differs'] = [];

  const published = await tableDigests(join(current.dir, WAREHOUSE_FILE));
  for (const table of tableNames(recorded.table_sha256, published)) {
    if (recorded.table_sha256[table] !== published[table]) differs.push({ table, where: 'published' });
  }
  lines.push(differs.length === 0 ? 'published file: every table as run.json records it' : `published file: changed since publishing in ${differs.map((d) => d.table).join(', ')}`);

  const scratch = await mkdtemp(join(tmpdir(), 'davs-verify-'));
  try {
    const rebuilt = await runNightly({
      rawDir: options.rawDir,
      warehouseDir: scratch,
      failOn: 'never',
      allowShrink: true,
      log: options.log.child({ verify: true }),
      ...(options.config ? { config: options.config } : {}),
      ...(options.version ? { version: options.version } : {}),
    });
    const before = differs.length;
    for (const table of tableNames(recorded.table_sha256, rebuilt.run.table_sha256)) {
      if (recorded.table_sha256[table] !== rebuilt.run.table_sha256[table]) differs.push({ table, where: 'rebuilt' });
    }
    const rebuiltDiffs = differs.slice(before).map((d) => d.table);
    lines.push(rebuiltDiffs.length === 0 ? `rebuild from ${resolve(options.rawDir)}: every table identical` : `rebuild from ${resolve(options.rawDir)}: tables differ: ${rebuiltDiffs.join(', ')}`);
    lines.push(...explanations(recorded, rebuilt.run));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  lines.push(differs.length === 0 ? 'verified: reproduced exactly' : `NOT verified: ${differs.length} table difference(s)`);
  return { exitCode: differs.length === 0 ? EXIT.ok : EXIT.differs, differs, lines };
}

function tableNames(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareCodePoints);
}

/** What differs between the recorded run and the rebuild that could explain a difference. */
function explanations(recorded: RunManifest, now: RunManifest): string[] {
  const out: string[] = [];
  const before = new Map(recorded.inputs.map((i) => [i.file, i.sha256]));
  const after = new Map(now.inputs.map((i) => [i.file, i.sha256]));
  for (const [file, hash] of before) {
    if (!after.has(file)) out.push(`  input removed since: ${file}`);
    else if (after.get(file) !== hash) out.push(`  input changed since: ${file}`);
  }
  for (const file of after.keys()) if (!before.has(file)) out.push(`  input added since: ${file}`);
  const fields = [
    ['code revision', recorded.code_revision, now.code_revision],
    ['package-lock.json', recorded.lockfile_sha256, now.lockfile_sha256],
    ['Node', recorded.node_version, now.node_version],
    ['DuckDB', recorded.duckdb_version, now.duckdb_version],
  ] as const;
  for (const [what, was, is] of fields) if (was !== is) out.push(`  ${what} differs: recorded ${was ?? 'unknown'}, now ${is ?? 'unknown'}`);
  return out;
}
