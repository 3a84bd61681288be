/**
 * Issue 8, as an operator meets davs: the command's exit codes, one-line errors, a run killed at
 * every stage boundary, and DuckDB clients (read-only, read-write, killed) around a published warehouse.
 */
import { chmod, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { RunManifest, tableDigests } from '../load/index.js';
import { BOUNDARIES, EXIT, runNightly } from '../pipelines/run.js';
import { ROOT, davs, sink, smallCorpus, snapshot, tempDir } from './helpers.js';

async function publishedRun(warehouse: string): Promise<RunManifest> {
  return RunManifest.parse(JSON.parse(await readFile(join(warehouse, 'current', 'run.json'), 'utf8')));
}

/** The published warehouse reads as its run.json says, and its report counts what its tables hold. */
async function consistent(warehouse: string): Promise<void> {
  const run = await publishedRun(warehouse);
  expect(await tableDigests(join(warehouse, 'davs.duckdb'))).toEqual(run.table_sha256);
  const findings = JSON.parse(await readFile(join(warehouse, 'reports', 'latest', 'findings.json'), 'utf8')) as unknown[];
  expect(findings.length).toBe(run.findings);
}

describe('the davs command', () => {
  it('prints its version, and one line (no stack) for a bad log level, a locked warehouse and an empty corpus', async () => {
    const version = await davs(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/^davs \d+\.\d+\.\d+$/);

    const bogus = await davs(['run', '--log-level', 'bogus']);
    expect(bogus.exitCode).toBe(EXIT.failed);
    expect(bogus.stderr.trim().split('\n')).toHaveLength(1);
    expect(bogus.stderr).toMatch(/--log-level must be one of/);

    const warehouse = await tempDir('wh');
    await writeFile(join(warehouse, '.lock'), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), run_id: 'run-test' }));
    const locked = await davs(['run', '--raw', await smallCorpus(['ons-dav-2023-11.txt']), '--warehouse', warehouse]);
    expect(locked.exitCode).toBe(EXIT.busy);
    expect(locked.stdout).toMatch(/warehouse-locked/);
    expect(locked.stdout).not.toMatch(/\n\s+at /);

    const empty = await davs(['run', '--raw', await tempDir('empty'), '--warehouse', await tempDir('wh')]);
    expect(empty.exitCode).toBe(EXIT.refused);
    expect(empty.stdout).toMatch(/publish-refused.*no document could be read/);
  });

  it('exits 3 with --fail-on error when a document is lost, and says so in one line when the warehouse folder is not writable', async () => {
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    await writeFile(join(raw, 'broken.txt'), Buffer.from([0x52, 0xff, 0xfe, 0x00, 0x0a, 0xc3]));
    const lost = await davs(['run', '--raw', raw, '--warehouse', await tempDir('wh'), '--fail-on', 'error']);
    expect(lost.exitCode).toBe(EXIT.documents);

    if (process.getuid?.() === 0) return; // root writes anywhere: the read-only folder below cannot be shown
    const readOnly = await tempDir('ro');
    await chmod(readOnly, 0o555);
    const denied = await davs(['run', '--raw', raw, '--warehouse', join(readOnly, 'wh')]);
    expect(denied.exitCode).toBe(EXIT.failed);
    expect(denied.stdout).toMatch(/EACCES/);
  });
});

describe('a run killed at any stage boundary', () => {
  it('leaves the published warehouse and report byte for byte as they were, and the next run succeeds', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('wh');
    const first = await davs(['run', '--raw', raw, '--warehouse', warehouse]);
    expect(first.exitCode).toBe(0);
    // the corpus changes, so a run that got through would publish something different
    await writeFile(join(raw, 'ons-dav-2023-11.txt'), `${await readFile(join(raw, 'ons-dav-2023-11.txt'), 'utf8')}\nThe helpline took 54,321 calls.\n`);
    let before = await snapshot(warehouse);
    for (const boundary of BOUNDARIES) {
      const killed = await davs(['run', '--raw', raw, '--warehouse', warehouse], { DAVS_KILL_AT: boundary });
      expect(killed.signal, boundary).toBe('SIGKILL');
      const after = await snapshot(warehouse);
      if (boundary === 'switched') {
        // killed after the switch: the new run is published whole, warehouse and report together
        expect(after.current).not.toBe(before.current);
        await consistent(warehouse);
        before = after;
      } else {
        expect(after, boundary).toEqual(before);
      }
    }
    const next = await davs(['run', '--raw', raw, '--warehouse', warehouse]);
    expect(next.exitCode).toBe(0);
    await consistent(warehouse);
    const left = await readdir(warehouse);
    expect(left.filter((n) => n.startsWith('.'))).toEqual([]);
    // the runs folder holds published runs only: the first, the one killed after the switch, the last
    expect(await readdir(join(warehouse, 'runs'))).toHaveLength(3);
  }, 180_000);
});

/** Resolves once the client has printed its query's answer: it has the file open and has run its statement. */
function ready(child: ReturnType<typeof client>): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the client exited before answering')));
  });
}

/** A DuckDB client in its own process, as an analyst's session would be. */
function client(path: string, mode: 'READ_ONLY' | 'READ_WRITE', sql: string, then: 'exit' | 'kill' | 'wait', user?: string) {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api';
    const instance = await DuckDBInstance.create(${JSON.stringify(path)}, { access_mode: '${mode}' });
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(${JSON.stringify(sql)})).getRowsJson();
    process.stdout.write(JSON.stringify(rows) + '\\n');
    if ('${then}' === 'kill') process.kill(process.pid, 'SIGKILL');
    if ('${then}' === 'wait') await new Promise((r) => process.stdin.once('data', r));
    connection.closeSync(); instance.closeSync();
    process.exit(0);
  `;
  const command = user ? ['setpriv', '--reuid', user, '--regid', user, '--clear-groups', 'node'] : ['node'];
  return execa(command[0]!, [...command.slice(1), '--input-type=module', '-e', script], { cwd: ROOT, reject: false, timeout: 60_000 });
}

describe('DuckDB clients around a published warehouse', () => {
  it('a read-write client, killed or alive, never changes what a later run publishes, and its WAL is quarantined', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('wh');
    const nightly = () => runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log: sink().log });
    const a = await nightly();
    const fileA = join(warehouse, 'runs', a.run.run_id, 'davs.duckdb');
    const bytesA = await readFile(fileA);

    // an analyst opens the warehouse read-write, deletes the findings and the session is killed
    const killed = await client(join(warehouse, 'davs.duckdb'), 'READ_WRITE', 'DELETE FROM findings RETURNING finding_id', 'kill');
    if (process.getuid?.() !== 0) {
      // anyone but root is refused: the published file and its folder are read-only
      expect(killed.exitCode).not.toBe(0);
      expect(killed.stderr).toMatch(/ermission denied|read-only|Cannot open/i);
    } else {
      expect(killed.signal).toBe('SIGKILL');
    }
    expect((await readFile(fileA)).equals(bytesA)).toBe(true); // the file itself was never written

    const b = await nightly();
    await consistent(warehouse);
    expect(b.run.findings).toBe(a.run.findings);
    // the WAL the killed session left beside run A was moved out: run A reads as published again
    expect(await tableDigests(fileA)).toEqual(a.run.table_sha256);
    if (process.getuid?.() === 0) expect(await readdir(join(warehouse, 'quarantine'))).toEqual([`${a.run.run_id}.davs.duckdb.wal`]);

    // a read-write session alive across the next publish: the new run is untouched by it
    const alive = client(join(warehouse, 'davs.duckdb'), 'READ_WRITE', 'DELETE FROM cells RETURNING cell_id', 'wait');
    await ready(alive);
    const c = await nightly();
    await consistent(warehouse);
    expect(c.run.cells).toBe(a.run.cells);
    alive.stdin?.write('go\n');
    await alive;
    const d = await nightly();
    await consistent(warehouse);
    expect(d.run.table_sha256).toEqual(a.run.table_sha256);
  }, 120_000);

  it('a WAL left beside the warehouse of the older layout (one davs.duckdb renamed over) is never replayed into a new run', async () => {
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    const warehouse = await tempDir('wh');
    // the older layout: davs.duckdb a plain file, reports/latest a link into reports/runs/
    const old = await runNightly({ rawDir: raw, warehouseDir: await tempDir('wh'), failOn: 'never', log: sink().log });
    await writeFile(join(warehouse, 'davs.duckdb'), await readFile(join(old.reportDir, 'davs.duckdb')));
    await mkdir(join(warehouse, 'reports', 'runs', 'run-old'), { recursive: true });
    await symlink(join('runs', 'run-old'), join(warehouse, 'reports', 'latest'));
    const killed = await client(join(warehouse, 'davs.duckdb'), 'READ_WRITE', 'DELETE FROM statements RETURNING statement_id', 'kill');
    expect(killed.signal).toBe('SIGKILL');
    expect(await readdir(warehouse)).toContain('davs.duckdb.wal');
    const run = await runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log: sink().log });
    await consistent(warehouse);
    expect(run.run.table_sha256).toEqual(old.run.table_sha256);
    expect(await readdir(join(warehouse, 'quarantine'))).toEqual(['legacy.davs.duckdb.wal']);
  }, 60_000);

  it('a read-only analyst keeps a consistent view of the file it opened while a run publishes', async () => {
    const raw = await smallCorpus();
    const warehouse = await tempDir('wh');
    const nightly = () => runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log: sink().log });
    const a = await nightly();
    const reader = client(join(warehouse, 'davs.duckdb'), 'READ_ONLY', 'SELECT count(*) FROM findings', 'wait');
    await ready(reader);
    await writeFile(join(raw, 'ons-dav-2023-11.txt'), `${await readFile(join(raw, 'ons-dav-2023-11.txt'), 'utf8')}\nThe helpline took 54,321 calls.\n`);
    const b = await nightly();
    expect(b.run.run_id).not.toBe(a.run.run_id);
    reader.stdin?.write('go\n');
    const out = await reader;
    expect(JSON.parse(out.stdout.trim())).toEqual([[String(a.run.findings)]]);
    await consistent(warehouse);
  }, 120_000);

  it('an unprivileged client cannot open a published warehouse for writing, and reads it fine', async () => {
    const hasSetpriv = (await execa('setpriv', ['--version'], { reject: false })).exitCode === 0;
    if (process.getuid?.() !== 0 || !hasSetpriv) return; // needs root to become another user
    const raw = await smallCorpus(['ons-dav-2023-11.txt']);
    const warehouse = await tempDir('wh');
    await chmod(warehouse, 0o755);
    const run = await runNightly({ rawDir: raw, warehouseDir: warehouse, failOn: 'never', log: sink().log });
    const writer = await client(join(warehouse, 'davs.duckdb'), 'READ_WRITE', 'DELETE FROM findings', 'exit', '65534');
    expect(writer.exitCode).not.toBe(0);
    expect(writer.stderr).toMatch(/Permission denied|Cannot open/i);
    const reader = await client(join(warehouse, 'davs.duckdb'), 'READ_ONLY', 'SELECT count(*) FROM statements', 'exit', '65534');
    expect(reader.exitCode, reader.stderr).toBe(0);
    expect(Number(JSON.parse(reader.stdout.trim())[0][0])).toBeGreaterThan(0);
    expect(await tableDigests(join(warehouse, 'davs.duckdb'))).toEqual(run.run.table_sha256);
  }, 60_000);
});
