import { setFlagsFromString } from 'node:v8';

/**
 * How much bytecode a function runs before V8 compiles it with its optimising compiler (TurboFan):
 * V8's `--interrupt-budget`, 67,584 bytes by default in Node 20, here four times that.
 *
 * A davs process runs much of its code only a few times: a night of the bundled corpus reads nine
 * documents in two fresh workers, then loads, checks and reports once. With the default budget V8
 * optimises hundreds of functions that never run long enough to repay the compilation, on
 * background threads that compete with the two workers for the machine's cores. With four times
 * the budget only the really hot functions are optimised. Measured on the 2-core machine of
 * issue 12 (whole runs, paired): set in the workers only, a cold night of the bundled corpus took
 * 12% less time and 13% less CPU; set in the main process too, 2-4% less again (3.78 -> 3.41 s in
 * all). A cold night of 1,000 documents, whose workers run long enough to optimise anyway, was
 * unchanged (97.8 and 102.2 s against 98.3 and 104.5 s). Eight and sixteen times gained no more.
 */
export const INTERRUPT_BUDGET = 4 * 67_584;

/**
 * Set this process's budget (all its threads: the flag is V8's, process-wide). Called before the
 * pipeline's code first runs: functions compiled before keep the budget they had. A V8 without the
 * flag ignores it (setFlagsFromString skips unknown flags), so a later Node still runs davs.
 */
export function setTieringBudget(): void {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}

/**
 * How far a document worker's heap grows past what survived its last full garbage collection before
 * the next one: V8's `--heap-growing-percent`, 300 (four times). That is the factor V8 itself uses
 * for a heap limit of 2 GiB or more, which an ordinary Node process on this machine has. Under 2 GiB
 * V8 takes the limit for a small device's and scales the factor down, to about 1.8 at the 1,536 MiB
 * a worker gets (the workbook limit), and with about 32 MiB alive between documents a worker then
 * collected its whole heap every few documents. But a worker's limit is a document's memory limit,
 * where a hostile file is stopped, not the machine's memory. Measured on the 2-core machine of
 * issue 12, one process reading raw/ 30 times over at that limit: 39.3 s of CPU at V8's factor for
 * it, 32.5 s at this one (-17%), peak resident memory 210 -> 307 MB. The limit still holds: V8
 * sets the next collection at most halfway from what is alive to the limit, whatever the factor.
 *
 * The young generation is left at V8's size. Most of a worker's collecting is of it (scavenges: 1.4
 * of 1.5 s collecting while one worker read the insights text 30 times), and a larger one collects
 * less often, but two workers reading raw/ five times over each at once were no faster with it
 * (--max-semi-space-size=64: 1.02 of the time, paired, n=8, and 45 MiB more a worker), nor with
 * collection on the worker's own thread only (--single-threaded-gc: 1.04). Nor for the threads the
 * run had then (the checks' second one, the report's): with a Worker's maxYoungGenerationSizeMb at 96
 * (twice V8's here) a cached night of 1,000 documents took 0.975 and then 1.03 of the time (paired,
 * n=4 each), and peaked 16-36 MiB higher (2026-12-05).
 */
export const HEAP_GROWING_PERCENT = 300;

/** Set this process's heap growing factor (a document worker's, before its first document). Ignored by a V8 without the flag. */
export function setHeapGrowing(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
