import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { InputError } from '../core/errors.js';
import { moduleExecArgv, modulePath, type StartedModule } from '../core/paths.js';
import type { DocumentRecord, ExtractLimits } from '../extract/index.js';
import type { CacheEntry } from './cache.js';
import { receivedError, type SentError } from './sent-error.js';

/** One document for a worker: its record and file (the worker reads it), the limits that apply, and the folder its entry (result and row files) goes to. */
export interface WorkerTask {
  id: number;
  record: DocumentRecord;
  /** The document's file, read by the worker and refused there if it is not the one `record` describes. */
  path: string;
  limits: ExtractLimits;
  entryDir: string;
}

export type WorkerReply = { id: number; ok: true; entry: CacheEntry } | { id: number; ok: false; stage: 'extract' | 'load' | 'transform' | 'checks'; error: SentError };

/** What a worker sends once it has loaded, before any task. */
export const WORKER_READY = 'ready';

/** What the pool gives back for one document: its result and row files, or the error with the stage it failed in. */
export type DocumentOutcome = { ok: true; entry: CacheEntry } | { ok: false; stage: 'extract' | 'load' | 'transform' | 'checks'; error: Error };

export interface PoolOptions {
  /** Workers at once: the machine's cores. */
  size: number;
  /** Heap limit of each worker (MiB): a document that needs more kills its worker and fails. */
  maxHeapMb: number;
}

interface Slot {
  child: ChildProcess;
  stderr: string;
  /** The worker has loaded its code and said so: tasks go only to ready workers. */
  ready: boolean;
  /** The formats of the documents it has been given: their readers' code is loaded and warm in it. */
  formats: Set<DocumentRecord['format']>;
  busy: { task: WorkerTask; timer: NodeJS.Timeout | undefined; settle: (outcome: DocumentOutcome) => void } | null;
  /** Free at the end of a night, it is leaving the queued documents to a worker warm for their format (taskFor's `wait`) until this wait is over. */
  waiting: { timer: NodeJS.Timeout; over: boolean } | null;
  /** Being replaced by a worker without a reader no document of the night needs any more (DROPPED_READERS): it takes no task. */
  retiring: boolean;
}

interface Queued {
  task: WorkerTask;
  timeoutMs: number;
  settle: (outcome: DocumentOutcome) => void;
}

const WORKER: StartedModule = 'pipelines/document-worker';
const STDERR_KEPT = 4000;
/** Workers that die before they are ready, one after another, before the pool gives up. */
const MAX_FAILED_STARTS = 3;
/**
 * How long a free worker leaves the last documents of a night (nothing more to come), when they are
 * of formats only other workers have read (taskFor's `wait`), to a worker warm for them before it
 * takes one itself: delay scheduling, as Hadoop's fair scheduler waits a while for a node holding a
 * task's data. A reader's first document in a process costs 200-300 ms more than the next (the
 * bundled corpus: its second PDF 390 ms in a worker new to PDFs, 110-130 ms in one that had read a
 * PDF; its first workbook 267 ms, the second 62), so the wait risks less than it can save. Not
 * before the end: there a worker that waits only takes the format up later (waiting whenever the
 * queue held only such documents, a cold night of 100 documents took 1.03 of the time, paired, n=6).
 */
export const WARM_WAIT_MS = 150;

/**
 * The formats whose reader's code a worker is replaced to drop once no document of the night needs
 * it: the PDF reader (pdfjs). A worker's heap grows to about four times what survives its collections
 * (core/tiering.ts), and what survives includes the code and sources of every reader it has loaded:
 * a worker that has read a PDF, a workbook and a text holds 31 MB between documents, 12 MB of it
 * compiled code and 5.8 MB pdfjs's sources (about 3.7 MB less since its minified build is loaded:
 * extract/pdf/items.mjs). Reading the bundled texts over and over, a worker that
 * had read a PDF and a workbook first peaked at a heap of 208 MB (293 MB resident); one that had read
 * only a workbook at 155-157 MB (215-225), one that had read neither at 133-135 MB (188-196): pdfjs
 * adds about 13 MB to what survives, and four times that to the heap. The corpus is read PDFs
 * first (the slowest), so at 1,000 documents both workers read the 778 workbooks and texts, the last
 * half of the extract, with pdfjs loaded for nothing, and that is where the night's memory peaked:
 * each worker at 323-326 MB, and 239-245 MB once replaced. SheetJS (1.9 MB of sources) is not worth
 * another start: the workers that read those PDFs peaked as high (239-245 MB), so a lower peak over
 * the texts would not lower the night's.
 */
export const DROPPED_READERS: ReadonlySet<DocumentRecord['format']> = new Set(['pdf']);

/**
 * The documents still to read, for each worker of the pool, for a worker to be replaced to drop a
 * reader (DROPPED_READERS). A new worker costs its start and the warming of the pipeline's code
 * again: a cold night of 100 documents, where 39 a worker were left after the PDFs, took 1.05 of
 * the time (paired, n=8) with the replacement, and the workers' memory there peaked while they
 * read PDFs anyway (504 MB with the job, against 519 without). A nightly run that reads a few
 * changed documents would pay the start for nothing.
 */
export const DROP_MIN_DOCUMENTS = 100;

/**
 * A pool of long-lived document workers (pipelines/document-worker.ts), one per core, each a child
 * process with a heap limit. A document over its time limit has its worker killed; a worker that
 * dies (out of memory, a crash) fails the one document it held. Either way the document is recorded
 * as failed, naming the file and the limit, and a new worker takes the slot. Tasks run in about the
 * order given (a worker warm for a queued task's format takes it first: nextFor); outcomes come back
 * per task.
 *
 * A worker is replaced to drop a reader no document left in the night needs (DROPPED_READERS), not
 * for growing. Tried (issue 12): a worker resident in over 256 MiB after a document was killed and
 * replaced. At 1,000 documents that happened twice, and the workers' memory while documents were
 * read fell from 450-540 to 330-370 MiB, but the run took 1.06 and 1.10 of the time (paired, n=3
 * twice) and its largest process (the main one, later) was the same.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;
  private failedStarts = 0;
  /** Keeps the process alive while tasks are queued or running (the workers themselves are unref'd). */
  private keepAlive: NodeJS.Timeout | null = null;
  /** A dispatch to come (dispatchSoon). */
  private dispatching: NodeJS.Immediate | null = null;
  /** The caller has given its last document (run's `last`): until the queue is empty, what is queued is all that is left. */
  private ending = false;
  /** How many documents of each format the caller has still to give (run's `coming`, as its latest document said); null when that one did not say. */
  private coming: ReadonlyMap<DocumentRecord['format'], number> | null = null;
  /** Why workers cannot start (set once MAX_FAILED_STARTS in a row died before ready): every task then fails with it. */
  private broken: string | null = null;

  /** `start` starts one worker process (a test gives stand-ins); by default the document worker, forked with the heap limit. */
  constructor(
    private readonly options: PoolOptions,
    private readonly start: (options: PoolOptions) => ChildProcess = forkWorker,
  ) {
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  /**
   * Process one document; never rejects (every failure is an outcome). `last`: the caller gives no
   * more documents after this one (until these are done): the queue then holds all that is left, and
   * a free worker may leave what is queued to a worker warm for it (WARM_WAIT_MS). `coming`: how
   * many documents of each format the caller will give after this one: a worker holding a reader of
   * DROPPED_READERS that neither they nor the queue need is replaced before its next document, when
   * enough are left to read (DROP_MIN_DOCUMENTS).
   */
  run(
    record: DocumentRecord,
    path: string,
    limits: ExtractLimits,
    timeoutMs: number,
    entryDir: string,
    { last = false, coming }: { last?: boolean; coming?: ReadonlyMap<DocumentRecord['format'], number> } = {},
  ): Promise<DocumentOutcome> {
    if (this.closed) throw new Error('the worker pool is closed');
    if (last) this.ending = true;
    this.coming = coming ?? null;
    return new Promise((settle) => {
      this.queue.push({ task: { id: this.nextId++, record, path, limits, entryDir }, timeoutMs, settle });
      this.dispatchSoon();
    });
  }

  /** dispatch once the caller's tasks of this turn are all queued: a free worker then chooses among them (nextFor), not only the first. */
  private dispatchSoon(): void {
    if (this.dispatching !== null) return;
    this.dispatching = setImmediate(() => {
      this.dispatching = null;
      this.dispatch();
    });
  }

  /** Workers could not start (see MAX_FAILED_STARTS): every task fails; a new pool is needed. */
  isBroken(): boolean {
    return this.broken !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    // the workers are unref'd: waiting for their exit must itself keep the process alive
    const waiting = setInterval(() => undefined, 1 << 30);
    try {
      await this.killAll();
    } finally {
      clearInterval(waiting);
    }
  }

  private async killAll(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGKILL');
          }),
      ),
    );
  }

  private spawn(): Slot {
    const child = this.start(this.options);
    // an idle pool keeps no process alive; pending work does (see hold)
    child.unref();
    child.channel?.unref();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    const slot: Slot = { child, stderr: '', ready: false, formats: new Set(), busy: null, waiting: null, retiring: false };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      slot.stderr = (slot.stderr + chunk).slice(-STDERR_KEPT);
    });
    child.on('message', (reply: WorkerReply | typeof WORKER_READY) => {
      if (reply !== WORKER_READY) return this.replied(slot, reply);
      slot.ready = true;
      this.failedStarts = 0;
      this.dispatch();
    });
    child.on('exit', (code, signal) => this.exited(slot, code, signal));
    child.on('error', () => undefined); // 'exit' follows; a failed send is handled there
    return slot;
  }

  private hold(): void {
    const pending = this.queue.length > 0 || this.slots.some((s) => s.busy !== null);
    if (pending && this.keepAlive === null) this.keepAlive = setInterval(() => undefined, 1 << 30);
    if (!pending && this.keepAlive !== null) {
      clearInterval(this.keepAlive);
      this.keepAlive = null;
    }
  }

  private dispatch(): void {
    try {
      this.assign();
    } finally {
      this.hold();
    }
  }

  private assign(): void {
    if (this.closed && this.broken === null) this.broken = 'the worker pool was closed';
    if (this.broken !== null) {
      for (const { task, settle } of this.queue.splice(0)) settle({ ok: false, stage: 'extract', error: new InputError(`was not read: ${this.broken}`, { code: 'document-crashed', stage: 'extract', document: task.record.file, hint: 'report it to the davs maintainers' }) });
      return;
    }
    if (this.queue.length === 0) {
      this.ending = false;
      this.coming = null;
    }
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy !== null || slot.retiring) continue;
      const next = this.queue.length === 0 ? null : this.nextFor(slot);
      // only at the end: before it, a worker that waited would only take the format up later
      if (next?.wait && this.ending && this.waits(slot)) continue;
      if (slot.waiting) clearTimeout(slot.waiting.timer);
      slot.waiting = null;
      if (next === null) continue;
      if (this.holdsDroppedReader(slot)) {
        // its replacement (exited: a new worker in its slot) takes the next document once ready
        slot.retiring = true;
        slot.child.kill('SIGKILL');
        continue;
      }
      const { task, timeoutMs, settle } = this.queue.splice(next.index, 1)[0]!;
      const timer = setTimeout(() => this.timedOut(slot, timeoutMs), timeoutMs);
      slot.busy = { task, timer, settle };
      slot.formats.add(task.record.format);
      slot.stderr = '';
      slot.child.send(task);
    }
  }

  /**
   * Which queued task `slot` takes: the first, unless that is of a format the slot has not read while
   * another worker has, and a later one is of a format the slot has read or no worker has. A reader's
   * first document in a process pays for loading and warming its code (pdfjs: about 0.45 s of CPU,
   * more than reading most PDFs), so a few documents of a format go to the worker already warm for
   * it, and the others take the rest meanwhile. With nothing else queued the slot takes the first;
   * at the end of a night, once a worker warm for its format has had WARM_WAIT_MS to take it instead.
   */
  private nextFor(slot: Slot): { index: number; wait: boolean } {
    const others = this.slots.filter((other) => other !== slot).map((other) => other.formats);
    return taskFor(this.queue.map((queued) => queued.task.record.format), slot.formats, others);
  }

  /**
   * Whether `slot` has read a format of DROPPED_READERS that no queued document has and the caller
   * has said none to come has, with at least DROP_MIN_DOCUMENTS a worker left to read.
   */
  private holdsDroppedReader(slot: Slot): boolean {
    const coming = this.coming;
    if (coming === null) return false;
    let left = this.queue.length;
    for (const n of coming.values()) left += n;
    if (left < DROP_MIN_DOCUMENTS * this.slots.length) return false;
    return [...slot.formats].some((format) => DROPPED_READERS.has(format) && !coming.get(format) && !this.queue.some((q) => q.task.record.format === format));
  }

  /** Whether `slot`, free, still leaves the queue to a warm worker: it does for WARM_WAIT_MS from the first time it could have taken a task and did not, then no longer. */
  private waits(slot: Slot): boolean {
    if (slot.waiting === null) {
      const waiting = {
        timer: setTimeout(() => {
          waiting.over = true;
          this.dispatch();
        }, WARM_WAIT_MS),
        over: false,
      };
      waiting.timer.unref(); // the queue keeps the process alive (hold)
      slot.waiting = waiting;
    }
    return !slot.waiting.over;
  }

  private replied(slot: Slot, reply: WorkerReply): void {
    const busy = slot.busy;
    if (!busy || busy.task.id !== reply.id) return;
    clearTimeout(busy.timer);
    slot.busy = null;
    busy.settle(reply.ok ? { ok: true, entry: reply.entry } : { ok: false, stage: reply.stage, error: receivedError(reply.error) });
    this.dispatch();
  }

  private timedOut(slot: Slot, timeoutMs: number): void {
    const busy = slot.busy;
    if (!busy) return;
    busy.timer = undefined;
    this.fail(slot, `took longer than ${timeoutMs} ms to read`, 'the time limit is limits.pdf.timeoutMs or limits.workbook.timeoutMs in davs.config.json; raise it if the file is genuine');
    slot.child.kill('SIGKILL');
  }

  private exited(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    const i = this.slots.indexOf(slot);
    if (slot.busy) {
      const outOfMemory = /heap limit|out of memory|allocation failed/i.test(slot.stderr);
      const said = slot.stderr.trim().split('\n').filter((l) => l.trim() !== '').pop();
      const why = outOfMemory
        ? `needed more than the ${this.options.maxHeapMb} MB of memory a document may use`
        : `stopped the reading process (${signal ?? `exit code ${code}`}${said ? `: ${said.slice(0, 300)}` : ''})`;
      this.fail(slot, why, outOfMemory ? 'raise limits.pdf.maxHeapMb or limits.workbook.maxHeapMb in davs.config.json if the file is genuine' : undefined);
    }
    if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS && this.broken === null) {
      const said = slot.stderr.trim().split('\n').filter((l) => l.trim() !== '').pop();
      this.broken = `the document workers could not start (${signal ?? `exit code ${code}`}${said ? `: ${said.slice(0, 300)}` : ''})`;
    }
    if (i >= 0 && !this.closed && this.broken === null) this.slots[i] = this.spawn();
    this.dispatch();
  }

  private fail(slot: Slot, why: string, hint: string | undefined): void {
    const busy = slot.busy!;
    clearTimeout(busy.timer);
    slot.busy = null;
    busy.settle({ ok: false, stage: 'extract', error: new InputError(why, { code: 'input-unreadable', stage: 'extract', document: busy.task.record.file, hint }) });
  }
}

/** The document worker as a child process with the pool's heap limit, its stderr kept for the pool's errors. */
function forkWorker(options: PoolOptions): ChildProcess {
  return fork(modulePath(WORKER), [], {
    execArgv: [...moduleExecArgv(), `--max-old-space-size=${options.maxHeapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

/**
 * Which of the queued tasks (their documents' formats, in queue order) a free worker that has read
 * `mine` takes, while the others have read `others` (WorkerPool.nextFor): the first whose format it
 * has read or no other has, else the first. In that last case every queued document is of a format
 * another worker has read, and `wait` is set: that worker, free now or soon, reads it warm, so the
 * free worker leaves it to it for a while (WARM_WAIT_MS).
 */
export function taskFor(
  queued: ReadonlyArray<DocumentRecord['format']>,
  mine: ReadonlySet<DocumentRecord['format']>,
  others: ReadonlyArray<ReadonlySet<DocumentRecord['format']>>,
): { index: number; wait: boolean } {
  const index = queued.findIndex((format) => mine.has(format) || !others.some((other) => other.has(format)));
  return index >= 0 ? { index, wait: false } : { index: 0, wait: queued.length > 0 };
}

/** The pool a run with these limits uses: a worker per core, each allowed the larger heap limit of the two readers. */
export function poolOptions(limits: { pdf: { maxHeapMb: number }; workbook: { maxHeapMb: number } }): PoolOptions {
  return { size: availableParallelism(), maxHeapMb: Math.max(limits.pdf.maxHeapMb, limits.workbook.maxHeapMb) };
}

let shared: { key: string; pool: WorkerPool } | null = null;

/**
 * The process's pool for these options: started on first use and kept for the next run in the same
 * process (tests run many), replaced when the options change. Its workers hold nothing between
 * documents, and an idle pool does not keep the process alive.
 */
export function sharedPool(options: PoolOptions): WorkerPool {
  const key = JSON.stringify([options.size, options.maxHeapMb]);
  if (shared && shared.key === key && !shared.pool.isBroken()) return shared.pool;
  void shared?.pool.close();
  shared = { key, pool: new WorkerPool(options) };
  return shared.pool;
}

/** Close the process's pool (its workers exit); the next sharedPool starts a new one. */
export async function closeSharedPool(): Promise<void> {
  const pool = shared?.pool;
  shared = null;
  await pool?.close();
}
