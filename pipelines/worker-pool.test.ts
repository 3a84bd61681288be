import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentRecord } from '../extract/index.js';
import { DROP_MIN_DOCUMENTS, WARM_WAIT_MS, WorkerPool, taskFor, type WorkerTask } from './worker-pool.js';

describe('taskFor: which queued document a free worker takes', () => {
  it('passes over a format another worker has read for one it has read or nobody has', () => {
    expect(taskFor(['pdf', 'xlsx', 'text'], new Set(), [new Set(['pdf'])])).toEqual({ index: 1, wait: false });
    expect(taskFor(['pdf', 'text', 'xlsx'], new Set(['xlsx']), [new Set(['pdf', 'text'])])).toEqual({ index: 2, wait: false });
  });

  it('takes the first when it has read that format or when no other has', () => {
    expect(taskFor(['pdf', 'xlsx'], new Set(['pdf']), [new Set(['pdf'])])).toEqual({ index: 0, wait: false });
    expect(taskFor(['pdf', 'xlsx'], new Set(), [new Set()])).toEqual({ index: 0, wait: false });
    expect(taskFor(['text'], new Set(), [])).toEqual({ index: 0, wait: false });
  });

  it('leaves to a worker warm for them documents only of formats others have read: the first, once its wait is over', () => {
    expect(taskFor(['pdf', 'pdf'], new Set(), [new Set(['pdf'])])).toEqual({ index: 0, wait: true });
    expect(taskFor(['pdf', 'text'], new Set(['xlsx']), [new Set(['pdf']), new Set(['text'])])).toEqual({ index: 0, wait: true });
  });
});

/** A stand-in for a document worker process: records what it is sent; the test says when it is ready and when it replies. */
class FakeWorker extends EventEmitter {
  readonly sent: WorkerTask[] = [];
  readonly stderr = new PassThrough();
  readonly channel = { unref: () => undefined };
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  unref(): void {}
  send(task: WorkerTask): boolean {
    this.sent.push(task);
    return true;
  }
  kill(signal: NodeJS.Signals): boolean {
    this.signalCode = signal;
    queueMicrotask(() => this.emit('exit', null, signal));
    return true;
  }
  ready(): void {
    this.emit('message', 'ready');
  }
  /** Reply to the last task it was sent. */
  done(): void {
    this.emit('message', { id: this.sent.at(-1)!.id, ok: true, entry: { dir: 'entry', summary: {}, rowFiles: [], judgingSha256: '' } });
  }
  files(): string[] {
    return this.sent.map((t) => t.record.file);
  }
}

const record = (file: string, format: DocumentRecord['format']) => ({ file, format }) as DocumentRecord;

/** A pool of `size` stand-in workers, under fake timers; `workers` lists every worker it starts, replacements included. */
function standInPool(size: number): { pool: WorkerPool; workers: FakeWorker[] } {
  vi.useFakeTimers();
  const workers: FakeWorker[] = [];
  const pool = new WorkerPool({ size, maxHeapMb: 64 }, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as ChildProcess;
  });
  return { pool, workers };
}

/** Close a stand-in pool and go back to real timers. */
async function closeStandIn(pool: WorkerPool): Promise<void> {
  const closing = pool.close();
  await vi.advanceTimersByTimeAsync(0);
  await closing;
  vi.useRealTimers();
}

describe('WorkerPool: a free worker waits for a warm one at the end of a night only', () => {
  let workers: FakeWorker[];
  let pool: WorkerPool;
  const run = (file: string, format: DocumentRecord['format'], last = false) => void pool.run(record(file, format), file, {}, 60_000, `entries/${file}`, { last });

  beforeEach(async () => {
    ({ pool, workers } = standInPool(2));
    for (const w of workers) w.ready();
    // the first worker reads a PDF, the second a text, so each is warm for its own format only
    run('a.pdf', 'pdf');
    run('b.txt', 'text');
    await vi.advanceTimersByTimeAsync(0);
    expect(workers.map((w) => w.files())).toEqual([['a.pdf'], ['b.txt']]);
    workers[1]!.done();
  });

  afterEach(() => closeStandIn(pool));

  it('leaves the last PDF to the worker that has read one when it comes free within WARM_WAIT_MS', async () => {
    run('c.pdf', 'pdf', true);
    await vi.advanceTimersByTimeAsync(WARM_WAIT_MS - 50);
    expect(workers[1]!.files()).toEqual(['b.txt']);
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers.map((w) => w.files())).toEqual([['a.pdf', 'c.pdf'], ['b.txt']]);
  });

  it('takes it itself once WARM_WAIT_MS is over', async () => {
    run('c.pdf', 'pdf', true);
    await vi.advanceTimersByTimeAsync(WARM_WAIT_MS - 1);
    expect(workers[1]!.files()).toEqual(['b.txt']);
    await vi.advanceTimersByTimeAsync(1);
    expect(workers.map((w) => w.files())).toEqual([['a.pdf'], ['b.txt', 'c.pdf']]);
  });

  it('does not wait before the end of a night: more documents are to come', async () => {
    run('c.pdf', 'pdf');
    await vi.advanceTimersByTimeAsync(0);
    expect(workers.map((w) => w.files())).toEqual([['a.pdf'], ['b.txt', 'c.pdf']]);
  });
});

describe('WorkerPool: a worker drops the PDF reader once no document of the night needs it', () => {
  let workers: FakeWorker[];
  let pool: WorkerPool;
  /** `coming`: how many documents of each format the caller gives after this one (undefined: it does not say). */
  const run = (file: string, format: DocumentRecord['format'], coming?: Partial<Record<DocumentRecord['format'], number>>) =>
    void pool.run(record(file, format), file, {}, 60_000, `entries/${file}`, coming === undefined ? {} : { coming: new Map(Object.entries(coming)) as Map<DocumentRecord['format'], number> });

  beforeEach(async () => {
    ({ pool, workers } = standInPool(1));
    workers[0]!.ready();
    run('a.pdf', 'pdf', { pdf: 1, text: DROP_MIN_DOCUMENTS + 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[0]!.files()).toEqual(['a.pdf']);
  });

  afterEach(() => closeStandIn(pool));

  it('is replaced before its first document of another format once no PDF is queued or to come, and the new worker reads it', async () => {
    run('b.txt', 'text', { text: DROP_MIN_DOCUMENTS });
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[0]!.signalCode).toBe('SIGKILL');
    expect(workers[0]!.files()).toEqual(['a.pdf']);
    expect(workers).toHaveLength(2);
    workers[1]!.ready();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[1]!.files()).toEqual(['b.txt']);
    // the new worker has not read a PDF: it keeps reading
    run('c.txt', 'text', { text: DROP_MIN_DOCUMENTS - 1 });
    workers[1]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.files()).toEqual(['b.txt', 'c.txt']);
  });

  it('keeps it while a PDF is queued or to come, or when the caller does not say what is to come', async () => {
    run('b.txt', 'text', { text: DROP_MIN_DOCUMENTS, pdf: 1 });
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[0]!.files()).toEqual(['a.pdf', 'b.txt']);
    run('c.txt', 'text', { text: DROP_MIN_DOCUMENTS, pdf: 1 });
    run('d.pdf', 'pdf', { text: DROP_MIN_DOCUMENTS });
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[0]!.files()).toEqual(['a.pdf', 'b.txt', 'c.txt']);
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers[0]!.files()).toEqual(['a.pdf', 'b.txt', 'c.txt', 'd.pdf']);
    run('e.txt', 'text');
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.files()).toEqual(['a.pdf', 'b.txt', 'c.txt', 'd.pdf', 'e.txt']);
  });

  it('keeps it when fewer than DROP_MIN_DOCUMENTS a worker are left to read', async () => {
    run('b.txt', 'text', { text: DROP_MIN_DOCUMENTS - 2 });
    workers[0]!.done();
    await vi.advanceTimersByTimeAsync(0);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.files()).toEqual(['a.pdf', 'b.txt']);
  });
});
