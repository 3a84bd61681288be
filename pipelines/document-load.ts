/**
 * The document tables loaded while the documents are still being read: each document's row files go
 * into the staging warehouse, in batches, as its worker finishes it (or the cache gives it), not all
 * after the last one. On two cores the load used to run alone on one of them for about 9 s after the
 * extract of 1,000 documents, the other idle; now it runs beside the workers, and what is left after
 * the extract is the last batch.
 *
 * The rows go in in the order the documents finish, which differs from night to night; nothing reads
 * them in storage order (every reader sorts by a total key) and a table's digest does not depend on
 * its rows' order (load/index.ts, tableDigestSql), so the warehouse's content and hash do not either.
 */
import { performance } from 'node:perf_hooks';
import { sortBy } from '../core/index.js';
import { DOCUMENT_TABLES, beginWarehouse, rowFilesByTable, type WarehouseLoading, type WarehouseWriter } from '../load/index.js';
import type { CacheEntry } from './cache.js';

/** Rows queued before they are loaded at once: few enough transactions (about twenty at 1,000 documents), each a bounded amount of DuckDB's memory. */
const BATCH_ROWS = 100_000;
/** The longest a finished document waits to be loaded with others: a small corpus loads while its slowest document is read. */
const BATCH_WAIT_MS = 400;

/** Rows of an entry's row files, all tables. */
function rowsOf(entry: CacheEntry): number {
  return entry.rowFiles.reduce((sum, f) => sum + f.rows, 0);
}

export class DocumentLoad {
  private queue: CacheEntry[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<WarehouseLoading> | null = null;
  private lane: Promise<void> = Promise.resolve();
  private readonly loaded = new Set<string>();

  /** `path`: the staging warehouse file, begun with the first batch. */
  constructor(
    private readonly path: string,
    private readonly batchRows = BATCH_ROWS,
    private readonly waitMs = BATCH_WAIT_MS,
  ) {}

  /** A document read (from its worker or the cache) and certain to be kept: loaded with the next batch. */
  add(entry: CacheEntry): void {
    this.queue.push(entry);
    this.queuedRows += rowsOf(entry);
    if (this.queuedRows >= this.batchRows) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.waitMs);
      this.timer.unref();
    }
  }

  /**
   * Once every document is read: the kept entries not loaded yet go in (the last batch), every key is
   * checked, and the warehouse is ready to query. Rejects with the first batch's failure.
   */
  async finish(kept: readonly CacheEntry[]): Promise<{ writer: WarehouseWriter; loadedLast: number; ms: number }> {
    this.stopTimer();
    this.queue = [];
    const rest = kept.filter((e) => !this.loaded.has(e.summary.document.document_id));
    const t0 = performance.now();
    this.enqueue(rest);
    await this.lane;
    const writer = await (await this.begun()).loaded();
    return { writer, loadedLast: rest.length, ms: performance.now() - t0 };
  }

  /** After a failure elsewhere: the batch under way settles, then the file is removed. */
  async abort(): Promise<void> {
    this.stopTimer();
    this.queue = [];
    await this.lane.catch(() => undefined);
    const loading = await this.loading?.catch(() => null);
    await loading?.abort();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.stopTimer();
    const batch = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    this.enqueue(batch);
  }

  private begun(): Promise<WarehouseLoading> {
    this.loading ??= beginWarehouse(this.path, DOCUMENT_TABLES);
    return this.loading;
  }

  /** `batch` loaded after what is queued on the lane (in document-id order within it); a failure stays the lane's. */
  private enqueue(batch: readonly CacheEntry[]): void {
    for (const e of batch) this.loaded.add(e.summary.document.document_id);
    const sorted = sortBy(batch, (e) => [e.summary.document.document_id]);
    this.lane = this.lane.then(async () => {
      const loading = await this.begun();
      if (sorted.length > 0) await loading.load(rowFilesByTable(sorted.flatMap((e) => e.rowFiles), DOCUMENT_TABLES));
    });
    this.lane.catch(() => undefined); // awaited by finish or abort
  }
}
