// The positioned text items of a PDF, read with pdfjs: what extract/pdf/layout.ts rebuilds lines
// from. Plain JavaScript on purpose: under tsx's loader, pdfjs-dist's 2 MB module is transformed on
// every start (3.9 s instead of 0.6 s). Run either in a child of its own (worker.mjs, for a caller
// outside the pipeline) or inside a pipeline worker, which is itself the process that a hostile
// PDF may hang or fill (pipelines/worker-pool.ts). Output is validated against PdfItems by the caller.
// pdfjs's legacy build (the one for Node) carries core-js polyfills, and one of them replaces
// Array.prototype.push for the whole process with a JavaScript function: V8's push does not throw on
// an array whose length is read-only when given nothing to push, which core-js's test takes for a
// broken push. Every push in the process then runs through it (5% of a pipeline worker's time,
// measured). The engine's own push is put back once both pdfjs modules (the library and the worker
// code it runs in this thread) are loaded: pdfjs needs nothing of that edge case.
// The minified builds of those two modules (pdfjs-dist ships them beside the others: the same code,
// 1.6 MB of source instead of 3.0): a worker keeps a module's source alive, and after reading the
// bundled PDFs three times over one held 20.2 MB between documents instead of 23.9, its heap growing
// to four times that (core/tiering.ts). Cold nights of 100 documents, whose workers peak while they
// read PDFs, peaked at 482-495 MB for the job and its workers against 498-509 (three each,
// alternated); the bundled corpus's cold night took as long (0.996, paired, n=14), and its
// warehouse is the same.
const enginePush = Array.prototype.push;
const { getDocument, PDFWorker } = await import('pdfjs-dist/legacy/build/pdf.min.mjs');
// loaded here rather than by the first getDocument, so that its copy of the polyfill is undone too
const { WorkerMessageHandler } = await import('pdfjs-dist/legacy/build/pdf.worker.min.mjs');
Object.defineProperty(Array.prototype, 'push', { value: enginePush, writable: true, enumerable: false, configurable: true });

/**
 * The port pdfjs's two halves (the document's parser and the API) talk through, both in this
 * thread. pdfjs's own for that case (LoopbackPort, its "fake worker") copies every message with
 * structuredClone, which in Node 20 serialises and deserialises it: a fifth of the time pdfjs takes
 * to give a page's text (insights PDF, 218 -> 178 ms a document, warm). A message must still be
 * copied (pdfjs reuses what it sent), so this port copies the plain data messages are made of
 * (objects, arrays, strings, numbers) in JavaScript, and hands anything else (typed arrays, errors,
 * maps, a message that transfers buffers, or one nested deeper than any pdfjs sends) to
 * structuredClone as before. pdfjs takes a port through its public API: PDFWorker({ port }) on one
 * side, WorkerMessageHandler.initializeFromPort on the other.
 */
export class CopyingPort {
  /** @type {Map<(event: { data: unknown }) => void, (() => void) | null>} listener -> how to stop its signal's watch */
  #listeners = new Map();
  #deferred = Promise.resolve();

  /** @param {unknown} message @param {Transferable[]} [transfer] */
  postMessage(message, transfer) {
    const event = { data: transfer && transfer.length > 0 ? structuredClone(message, { transfer }) : copyMessage(message) };
    // delivered later, as a port does (and as pdfjs's own does)
    this.#deferred.then(() => {
      for (const listener of [...this.#listeners.keys()]) listener.call(this, event);
    });
  }

  /**
   * pdfjs's message handlers listen with an AbortSignal, which stops them when they are destroyed.
   * @param {string} type @param {(event: { data: unknown }) => void} listener @param {{ signal?: AbortSignal } | null} [options]
   */
  addEventListener(type, listener, options = null) {
    const signal = options?.signal;
    if (signal?.aborted) return;
    const stop = () => this.removeEventListener(type, listener);
    signal?.addEventListener('abort', stop);
    this.#listeners.set(listener, signal ? () => signal.removeEventListener('abort', stop) : null);
  }

  /** @param {string} _type @param {(event: { data: unknown }) => void} listener */
  removeEventListener(_type, listener) {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }

  terminate() {
    for (const unwatch of this.#listeners.values()) unwatch?.();
    this.#listeners.clear();
  }
}

/** Deeper than this, a message is copied by structuredClone (which also keeps a cycle a cycle). */
const MAX_PLAIN_DEPTH = 64;
const TOO_DEEP = Symbol('too deep');

/** @param {unknown} message */
function copyMessage(message) {
  try {
    return copyPlain(message, 0);
  } catch (err) {
    if (err === TOO_DEEP) return structuredClone(message);
    throw err;
  }
}

/** @param {unknown} value @param {number} depth @returns {unknown} */
function copyPlain(value, depth) {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_PLAIN_DEPTH) throw TOO_DEEP;
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const array = /** @type {unknown[]} */ (value);
    const out = new Array(array.length);
    for (let i = 0; i < array.length; i++) out[i] = copyPlain(array[i], depth + 1);
    return out;
  }
  if (proto === Object.prototype || proto === null) {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const key of Object.keys(value)) out[key] = copyPlain(/** @type {Record<string, unknown>} */ (value)[key], depth + 1);
    return out;
  }
  return structuredClone(value);
}

/** @param {number} n */
function round(n) {
  return Math.round(n * 100) / 100;
}

/**
 * The positioned text items of every page of a PDF.
 * @param {Uint8Array} data
 */
export async function pdfItems(data) {
  const port = new CopyingPort();
  WorkerMessageHandler.initializeFromPort(port);
  const worker = new PDFWorker({ port, verbosity: 0 });
  const loading = getDocument({ data, worker, useSystemFonts: false, isEvalSupported: false, verbosity: 0 });
  try {
    return await itemsOf(await loading.promise);
  } finally {
    // the document, then the worker given to it (a document does not destroy a worker it was given)
    await loading.destroy();
    worker.destroy();
    port.terminate();
  }
}

/** @param {Awaited<ReturnType<typeof getDocument>['promise']>} doc */
async function itemsOf(doc) {
  const out = { pages: /** @type {Array<object>} */ ([]) };
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const view = page.view;
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [a, b, c, d, e, f] = item.transform;
      items.push({
        str: item.str,
        x: round(e),
        y: round(f),
        width: round(item.width),
        size: round(Math.hypot(c, d)),
        horizontal: Math.abs(b) < 1e-6 && Math.abs(c) < 1e-6 && a > 0,
      });
    }
    out.pages.push({ page: p, width: round(view[2] - view[0]), height: round(view[3] - view[1]), items });
    page.cleanup();
  }
  return out;
}

