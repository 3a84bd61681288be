import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../core/paths.js';
import { writeScaleCorpus } from './scale-corpus.js';

/**
 * `npm run bench:scale`: the nightly job over synthetic corpora of N documents (bench/scale-corpus.ts:
 * the bundled releases cycled, a few numbers changed in each copy), as a child process the way
 * `npm run nightly` runs it (node bin/davs.mjs run --log-level info: the compiled CLI in dist/,
 * which `npm run build` brings up to date once before the first size).
 * Each size runs cold (empty warehouse), then unchanged (the same raw/ into the same warehouse: the
 * run finds nothing changed and exits), then cached (the same again with another decisions file: a
 * whole run, every document read from the cache).
 * Measured: wall time, CPU time (user + sys) and peak RSS of the child, and each stage's duration
 * from its pino log lines (stage, duration_ms), and from their max_rss_mb the stage the job's own
 * process peaked in (main peak MB). Measurement only: nothing is asserted.
 *
 *   npm run bench:scale                       sizes 10, 100, 1000
 *   npm run bench:scale -- --sizes 10,100     other sizes
 *   npm run bench:scale -- --keep             leave the temporary folders (their paths are printed)
 *   npm run bench:scale -- --corpus DIR       a corpus built before (its raw folder), instead of building one
 *   npm run bench:scale -- --runs 3           each of cold, unchanged and cached three times, and their medians
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    runs: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes!.split(',').filter((x) => x.trim() !== '').map((x) => Number(x.trim()));
if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes takes document counts separated by commas, not ${values.sizes}`);
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (values.corpus !== undefined && sizes.length !== 1) throw new Error('--corpus DIR takes one size: --sizes N, the number of documents in it');
const repeats = Number(values.runs);
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--runs takes a whole number of runs of each kind, not ${values.runs}`);

const repoRoot = PACKAGE_ROOT;
const TIME = '/usr/bin/time';
const useTime = existsSync(TIME);
/** The command's module as bin/davs.mjs runs it: bundled by npm run build (bin/bundle.mjs). */
const COMPILED_CLI = join(repoRoot, 'dist', 'bundle', 'pipelines', 'cli.js');
const STAGES = ['extract', 'transform', 'checks', 'report', 'load', 'publish'] as const;
/** What bin/davs.mjs says on stderr when it runs the TypeScript because dist/ is older than the sources. */
const STALE_DIST = 'running the TypeScript through tsx';

interface Measurement {
  mode: 'cold' | 'unchanged' | 'cached';
  /** Largest sum of the resident memory of the job's process and its descendants (the document workers), sampled every 100 ms. */
  treeRssMb: number | null;
  exitCode: number;
  wallS: number;
  cpuS: number | null;
  userS: number | null;
  sysS: number | null;
  peakRssMb: number | null;
  /** The job's own process's memory peak (MiB, not its workers') and the stage it was reached in: the first whose log line's max_rss_mb is the run's highest. */
  mainPeak: { mb: number; stage: string } | null;
  stages: Map<string, number>;
  findings: number | null;
  errorLine: string | null;
}

/**
 * CPU and peak RSS: GNU `/usr/bin/time -v` around the node process when it is installed (its
 * rusage includes the child processes node waits for: the PDF and workbook readers; peak RSS is the
 * largest single process). Otherwise a small node wrapper runs the job and reports its
 * process.resourceUsage() (the job runs in the wrapper's own process; children are not counted).
 */
async function runJob(raw: string, warehouse: string, mode: Measurement['mode'], extra: string[] = []): Promise<Measurement> {
  const job = [process.execPath, join(repoRoot, 'bin', 'davs.mjs'), 'run', '--raw', raw, '--warehouse', warehouse, '--log-level', 'info', ...extra];
  const wrapper = [
    process.execPath,
    '--input-type=module',
    '-e',
    // the wrapper prints its resource usage on stderr after the job, as one JSON line
    `const { main } = await import(${JSON.stringify(pathToFileURL(COMPILED_CLI).href)}); const code = await main(process.argv.slice(1)); const u = process.resourceUsage(); process.stderr.write('\\nDAVS_RUSAGE ' + JSON.stringify({ user: u.userCPUTime, sys: u.systemCPUTime, maxrss: u.maxRSS }) + '\\n'); process.exitCode = code;`,
    ...job.slice(2),
  ];
  const [cmd, ...args] = useTime ? [TIME, '-v', ...job] : wrapper;
  const t0 = performance.now();
  const running = execa(cmd!, args, { cwd: repoRoot, reject: false, all: false, maxBuffer: 1024 * 1024 * 1024, env: { DAVS_LOG_LEVEL: 'info' } });
  let treeRssMb: number | null = null;
  const sampler = setInterval(() => {
    const kb = running.pid === undefined ? null : treeRssKb(running.pid);
    if (kb !== null) treeRssMb = Math.max(treeRssMb ?? 0, kb / 1024);
  }, 100);
  const child = await running;
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const stages = new Map<string, number>();
  let findings: number | null = null;
  let errorLine: string | null = null;
  let mainPeak: Measurement['mainPeak'] = null;
  for (const line of String(child.stdout).split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { stage?: unknown; duration_ms?: unknown; max_rss_mb?: unknown; findings?: unknown; msg?: unknown; level?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (typeof entry.stage === 'string' && typeof entry.duration_ms === 'number') stages.set(entry.stage, (stages.get(entry.stage) ?? 0) + entry.duration_ms);
    if (typeof entry.stage === 'string' && typeof entry.max_rss_mb === 'number' && entry.max_rss_mb > (mainPeak?.mb ?? 0)) mainPeak = { mb: entry.max_rss_mb, stage: entry.stage };
    if (entry.msg === 'run complete' && typeof entry.findings === 'number') findings = entry.findings;
    if (entry.stage === 'pipeline' && typeof entry.level === 'number' && entry.level >= 50 && errorLine === null) errorLine = String(entry.msg);
  }
  const stderr = String(child.stderr);
  // bin/davs.mjs runs the TypeScript through tsx when dist/ is older than the sources: a source
  // edited while the bench runs makes every later run slower, not the code that was built
  if (stderr.includes(STALE_DIST)) throw new Error(`the ${mode} run ran the TypeScript, not dist/: a source changed after npm run build (during the bench?); build and run the bench again`);
  let userS: number | null = null;
  let sysS: number | null = null;
  let peakRssMb: number | null = null;
  if (useTime) {
    const num = (label: string) => {
      const m = new RegExp(`${label}:\\s*([\\d.]+)`).exec(stderr);
      return m ? Number(m[1]) : null;
    };
    userS = num('User time \\(seconds\\)');
    sysS = num('System time \\(seconds\\)');
    const kb = num('Maximum resident set size \\(kbytes\\)');
    peakRssMb = kb === null ? null : kb / 1024;
  } else {
    const m = /DAVS_RUSAGE (\{.*\})/.exec(stderr);
    if (m) {
      const u = JSON.parse(m[1]!) as { user: number; sys: number; maxrss: number };
      userS = u.user / 1e6;
      sysS = u.sys / 1e6;
      peakRssMb = u.maxrss / 1024;
    }
  }
  const exitCode = child.exitCode ?? -1;
  if (exitCode !== 0 && errorLine === null) errorLine = stderr.split('\n').find((l) => l.trim() !== '' && !/^\s*(Command being timed|User time)/.test(l)) ?? `exit ${exitCode}`;
  return { mode, treeRssMb, exitCode, wallS, cpuS: userS === null || sysS === null ? null : userS + sysS, userS, sysS, peakRssMb, mainPeak, stages, findings, errorLine };
}

/** Resident memory (kB) of a process and all its descendants, from /proc (Linux); null elsewhere. */
function treeRssKb(root: number): number | null {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of names) {
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = /^PPid:\s+(\d+)/m.exec(status);
      const vm = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (ppid) parent.set(Number(name), Number(ppid[1]));
      if (vm) rss.set(Number(name), Number(vm[1]));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += rss.get(pid) ?? 0;
        break;
      }
    }
  }
  return total;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

const fmt = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));

function table(n: number, corpusMb: number, buildS: number, runs: Measurement[], medians: Measurement[]): string {
  const out = [`size ${n}: ${n} documents, ${corpusMb.toFixed(1)} MB of raw files (corpus built in ${buildS.toFixed(1)} s, not counted)`, ''];
  const head = ['run'.padEnd(16), 'exit'.padStart(4), 'wall s'.padStart(8), 'cpu s'.padStart(8), 'user s'.padStart(8), 'sys s'.padStart(7), 'peak RSS MB'.padStart(11), 'main peak MB'.padStart(16), 'tree RSS MB'.padStart(11), ...STAGES.map((s) => `${s} ms`.padStart(Math.max(9, s.length + 3))), 'findings'.padStart(8)];
  out.push(head.join(' '));
  const row = (label: string, m: Measurement) =>
    [
      label.padEnd(16),
      String(m.exitCode).padStart(4),
      fmt(m.wallS).padStart(8),
      fmt(m.cpuS).padStart(8),
      fmt(m.userS).padStart(8),
      fmt(m.sysS).padStart(7),
      fmt(m.peakRssMb, 0).padStart(11),
      (m.mainPeak === null ? '-' : `${m.mainPeak.mb} ${m.mainPeak.stage}`).padStart(16),
      fmt(m.treeRssMb, 0).padStart(11),
      ...STAGES.map((s) => (m.stages.has(s) ? m.stages.get(s)!.toFixed(0) : '-').padStart(Math.max(9, s.length + 3))),
      (m.findings === null ? '-' : String(m.findings)).padStart(8),
    ].join(' ');
  for (const m of runs) {
    out.push(row(m.mode, m));
    if (m.errorLine !== null) out.push(`  ${m.mode}: ${m.errorLine.slice(0, 200)}`);
  }
  if (runs.length > medians.length) for (const m of medians) out.push(row(`${m.mode} median`, m));
  return out.join('\n');
}

/** The median of each figure of the runs of one kind (each figure on its own; the main peak's stage is that of the run whose peak is the median). */
function medianOf(runs: readonly Measurement[]): Measurement {
  const mid = <T>(xs: readonly T[]): T => xs[Math.floor((xs.length - 1) / 2)]!;
  const med = (pick: (m: Measurement) => number | null): number | null => {
    const xs = runs.map(pick).filter((x): x is number => x !== null).sort((a, b) => a - b);
    return xs.length === 0 ? null : xs.length % 2 === 1 ? mid(xs) : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
  };
  const peaks = runs.flatMap((m) => (m.mainPeak === null ? [] : [m.mainPeak])).sort((a, b) => a.mb - b.mb);
  const stages = new Map<string, number>();
  for (const stage of new Set(runs.flatMap((m) => [...m.stages.keys()]))) stages.set(stage, med((m) => m.stages.get(stage) ?? null)!);
  const first = runs[0]!;
  return {
    mode: first.mode,
    exitCode: runs.find((m) => m.exitCode !== 0)?.exitCode ?? 0,
    wallS: med((m) => m.wallS)!,
    cpuS: med((m) => m.cpuS),
    userS: med((m) => m.userS),
    sysS: med((m) => m.sysS),
    peakRssMb: med((m) => m.peakRssMb),
    treeRssMb: med((m) => m.treeRssMb),
    mainPeak: peaks.length === 0 ? null : mid(peaks),
    stages,
    findings: first.findings,
    errorLine: null,
  };
}

// the job runs the compiled CLI, as the davs command does: bring dist/ up to date first (bin/davs.mjs
// would otherwise fall back to tsx and the timings would include compiling the TypeScript)
const build = await execa('npm', ['run', 'build'], { cwd: repoRoot, reject: false, all: true });
if (build.exitCode !== 0 || !existsSync(COMPILED_CLI)) throw new Error(`npm run build failed:\n${String(build.all)}`);

/**
 * The machine's speed now, by two measures that do not depend on davs: a bare `node -e 0` and a fixed
 * piece of JavaScript (hashing, JSON, sorting), each the median of five processes. This 2-core machine
 * has run the same davs code 1.6 times slower one day than another (`davs --help` of de0ae59: 0.27 s
 * when it was committed, 0.43 s on 2026-12-04): two days' figures compare only as far as their
 * yardsticks agree.
 */
const YARDSTICK_WORK = `
const { createHash } = require('node:crypto');
let h = 'davs';
for (let i = 0; i < 200000; i++) h = createHash('sha256').update(h).digest('hex');
const rows = Array.from({ length: 200000 }, (_, i) => ({ id: 'r' + ((i * 7919) % 200000), value: i / 7, label: 'row ' + i }));
const back = JSON.parse(JSON.stringify(rows));
back.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
if (back.length !== rows.length || h.length !== 64) process.exit(1);
`;
async function yardstick(): Promise<{ startS: number; workS: number }> {
  const median = async (args: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await execa(process.execPath, args, { reject: false });
      if (r.exitCode !== 0) throw new Error(`the yardstick failed: node ${args.join(' ').slice(0, 40)}...`);
      times.push((performance.now() - t0) / 1000);
    }
    return times.sort((a, b) => a - b)[2]!;
  };
  return { startS: await median(['-e', '0']), workS: await median(['-e', YARDSTICK_WORK]) };
}

const summary: Array<{ n: number; runs: Measurement[] }> = [];
const machine = await yardstick();
process.stdout.write(`davs bench:scale: nightly job as a child process (node bin/davs.mjs run --log-level info, compiled), sizes ${sizes.join(', ')}${repeats > 1 ? `, each kind of run ${repeats} times` : ''}\n`);
process.stdout.write(`machine yardstick (medians of 5): node -e 0 ${machine.startS.toFixed(3)} s, fixed JavaScript work ${machine.workS.toFixed(3)} s\n`);
process.stdout.write(`CPU and peak RSS: ${useTime ? `${TIME} -v (user+sys of node and the child processes it waits for; peak RSS of the largest single process)` : 'process.resourceUsage() of a node wrapper running the job in-process (child processes not counted)'}\n\n`);
for (const n of sizes) {
  const dir = await mkdtemp(join(tmpdir(), `davs-scale-${n}-`));
  const raw = values.corpus ?? join(dir, 'raw');
  const warehouse = join(dir, 'warehouse');
  const t0 = performance.now();
  if (values.corpus === undefined) await writeScaleCorpus(n, raw, seed === undefined ? {} : { seed });
  const buildS = (performance.now() - t0) / 1000;
  const corpusMb = (await folderBytes(raw)) / 1024 / 1024;
  // another decisions file (the same decisions): the night is not unchanged, but every document's entry is valid
  // (two of them, taken in turn: each cached run publishes, and the next with the same file would be unchanged)
  const decisions = [join(dir, 'decisions-a.jsonl'), join(dir, 'decisions-b.jsonl')];
  for (const file of decisions) await copyFile(join(repoRoot, 'checks', 'decisions.jsonl'), file);
  // each cold run into an empty warehouse (no cache); the unchanged and cached runs into the last one's
  const runs: Measurement[] = [];
  for (let i = 0; i < repeats; i++) {
    await rm(warehouse, { recursive: true, force: true });
    runs.push(await runJob(raw, warehouse, 'cold'));
  }
  for (let i = 0; i < repeats; i++) runs.push(await runJob(raw, warehouse, 'unchanged'));
  for (let i = 0; i < repeats; i++) runs.push(await runJob(raw, warehouse, 'cached', ['--decisions', decisions[i % 2]!]));
  const medians = (['cold', 'unchanged', 'cached'] as const).map((mode) => medianOf(runs.filter((m) => m.mode === mode)));
  process.stdout.write(`${table(n, corpusMb, buildS, runs, medians)}\n\n`);
  summary.push({ n, runs: medians });
  if (values.keep) process.stdout.write(`kept ${dir}\n\n`);
  else await rm(dir, { recursive: true, force: true });
}

const out = [`summary: seconds and MB per run${repeats > 1 ? ` (medians of ${repeats})` : ''}; ms per document`, ''];
const columns = (name: string) => `${`${name} wall`.padStart(10)} ${`${name} cpu`.padStart(9)} ${`${name} tree`.padStart(9)} ${'ms/doc'.padStart(7)}`;
out.push(`${'docs'.padStart(6)} ${columns('cold')}   ${columns('unch')}   ${columns('cach')}`, `${''.padStart(6)} (tree: peak resident MB of the job and its workers together)`);
for (const { n, runs } of summary) {
  const part = (m: Measurement) => `${fmt(m.wallS).padStart(10)} ${fmt(m.cpuS).padStart(9)} ${fmt(m.treeRssMb ?? m.peakRssMb, 0).padStart(9)} ${((m.wallS * 1000) / n).toFixed(0).padStart(7)}`;
  out.push(`${String(n).padStart(6)} ${runs.map(part).join('   ')}`);
}
if (summary.length > 1) {
  const first = summary[0]!;
  const last = summary[summary.length - 1]!;
  const growth = (i: number) => (last.runs[i]!.wallS / first.runs[i]!.wallS).toFixed(1);
  out.push('', `from ${first.n} to ${last.n} documents (×${(last.n / first.n).toFixed(1)}): cold wall time ×${growth(0)}, unchanged ×${growth(1)}, cached ×${growth(2)}`);
}
process.stdout.write(`${out.join('\n')}\n`);
