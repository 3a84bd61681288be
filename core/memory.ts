import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** A process resident in less than this is left to V8's own collections by collectGarbage. */
const SMALL_PROCESS_BYTES = 256 * 1024 * 1024;

/**
 * Collect garbage now. A batch run makes most of its garbage in bursts (every document's extraction
 * read for the report, every partition of observations judged) and V8, with memory to spare, lets it
 * pile up: at 1,000 documents the heap held over 600 MB of which under 150 MB was live. Collecting
 * between stages and every so many documents or partitions keeps the run's memory near what it
 * uses; a process under SMALL_PROCESS_BYTES resident is left alone. V8's own gc() is reached by
 * enabling --expose-gc for a new context (the usual way without a command-line flag); where that is
 * refused this does nothing.
 */
export function collectGarbage(): void {
  // a process this small holds too little garbage to matter, and a full collection still costs
  // 10-20 ms: a cold night of the bundled corpus spent 0.14 s in ten of them. (Whether the heap was
  // small was the wrong test: at 1,000 documents the main thread's heap is under 64 MiB while the
  // process holds 300-600 MiB, and skipping its collections there raised the peak by 78 MiB)
  if (process.memoryUsage.rss() < SMALL_PROCESS_BYTES) return;
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

/**
 * A function giving the one copy kept of each text it is given (the first it was given), so that
 * texts many records repeat are held once: a batch run reads the same labels, excerpts and file
 * names again from every document and row, each parse making its own copy. Its texts stay until
 * the function is let go.
 */
export function sharedTexts(): (value: string) => string {
  const kept = new Map<string, string>();
  return (value) => {
    const found = kept.get(value);
    if (found !== undefined) return found;
    kept.set(value, value);
    return value;
  };
}
