import { pathToFileURL } from 'node:url';
import { packagePath } from '../core/paths.js';

/**
 * Where the PDF and workbook readers run. By default each document is read in a child process of
 * its own, with the format's time and memory limits (extract/pdf/read.ts, extract/workbook/read.ts),
 * so a hostile file costs a timeout, not the caller. The pipeline's document workers
 * (pipelines/worker-pool.ts) are themselves such processes, killed and replaced by the pool when a
 * document goes over its limits; they read in-process, which saves a process and a module load per
 * document.
 */
let inProcess = false;

/** From now on this process reads PDFs and workbooks itself (a pipeline document worker calls it once). */
export function readInThisProcess(): void {
  inProcess = true;
}

export function readingInThisProcess(): boolean {
  return inProcess;
}

/** One of the readers' plain-JavaScript modules (extract/pdf/items.mjs, extract/workbook/cells.mjs), loaded once. */
const loaded = new Map<string, Promise<unknown>>();
export function readerModule<T>(...path: string[]): Promise<T> {
  const file = packagePath(...path);
  let module = loaded.get(file);
  if (!module) {
    module = import(pathToFileURL(file).href);
    loaded.set(file, module);
  }
  return module as Promise<T>;
}
