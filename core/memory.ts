import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Collect garbage now. A batch run makes most of its garbage in bursts (every document's extraction
 * read for the report, every partition of observations judged) and V8, with memory to spare, lets it
 * pile up: at 1,000 documents the heap held over 600 MB of which under 150 MB was live. Collecting
 * between stages and every so many documents or partitions keeps the run's memory near what it
 * uses. V8's own gc() is reached by enabling --expose-gc for a new context (the usual way without a
 * command-line flag); where that is refused this does nothing.
 */
export function collectGarbage(): void {
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
