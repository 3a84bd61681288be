import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Below this much of the heap in use, collectGarbage leaves the heap to V8. */
const SMALL_HEAP_BYTES = 64 * 1024 * 1024;

/**
 * Collect garbage now. A batch run makes most of its garbage in bursts (every document's extraction
 * read for the report, every partition of observations judged) and V8, with memory to spare, lets it
 * pile up: at 1,000 documents the heap held over 600 MB of which under 150 MB was live. Collecting
 * between stages and every so many documents or partitions keeps the run's memory near what it
 * uses; a heap with under SMALL_HEAP_BYTES in use is left alone. V8's own gc() is reached by
 * enabling --expose-gc for a new context (the usual way without a command-line flag); where that is
 * refused this does nothing.
 */
export function collectGarbage(): void {
  // a heap this small holds too little garbage to matter, and a full collection of it still costs
  // 10-20 ms: a cold night of the bundled corpus spent 0.14 s in ten of them
  if (getHeapStatistics().used_heap_size < SMALL_HEAP_BYTES) return;
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const found: unknown = runInNewContext('gc');
      gc = typeof found === 'function' ? (found as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/** A count of work done that collects garbage (collectGarbage) each time `every` more has been counted. */
export function collectingEvery(every: number): (done: number) => void {
  let since = 0;
  return (done) => {
    since += done;
    if (since >= every) {
      collectGarbage();
      since = 0;
    }
  };
}
