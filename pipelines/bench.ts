import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createLogger } from './logger.js';
import { runNightly, type StageTiming } from './run.js';

/**
 * `npm run bench`: times the nightly job over raw/ (or --raw DIR) several times and prints the
 * median duration of each stage, with throughput. Timings are measured here, never asserted in tests.
 */
const { values } = parseArgs({ options: { raw: { type: 'string', default: 'raw' }, runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));
const silent = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const samples: StageTiming[][] = [];
let totals: number[] = [];
let last: Awaited<ReturnType<typeof runNightly>> | null = null;
for (let i = 0; i < runs; i++) {
  const warehouse = await mkdtemp(join(tmpdir(), 'davs-bench-'));
  const t0 = performance.now();
  last = await runNightly({ rawDir: values.raw!, warehouseDir: warehouse, failOn: 'never', log: silent });
  totals.push(performance.now() - t0);
  samples.push(last.timings);
  await rm(warehouse, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stages = samples[0]!.map((t) => t.stage);
const rows = stages.map((stage) => [stage, median(samples.map((s) => s.find((t) => t.stage === stage)!.duration_ms))] as const);
totals = totals.map((t) => Math.round(t));
const out: string[] = [`davs bench: ${runs} runs over ${values.raw} (${last!.run.documents} documents), median per stage`, ''];
out.push('stage        median ms');
for (const [stage, ms] of rows) out.push(`${stage.padEnd(12)} ${ms.toFixed(1).padStart(9)}`);
out.push(`${'total'.padEnd(12)} ${String(median(totals)).padStart(9)}`);
process.stdout.write(`${out.join('\n')}\n`);
