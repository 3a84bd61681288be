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
const enginePush = Array.prototype.push;
const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
// loaded here rather than by the first getDocument, so that its copy of the polyfill is undone too
// (pdfjs runs the worker code in this thread when it finds globalThis.pdfjsWorker, which this sets)
await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
Object.defineProperty(Array.prototype, 'push', { value: enginePush, writable: true, enumerable: false, configurable: true });

/** @param {number} n */
function round(n) {
  return Math.round(n * 100) / 100;
}

/**
 * The positioned text items of every page of a PDF.
 * @param {Uint8Array} data
 */
export async function pdfItems(data) {
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
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
  await doc.destroy();
  return out;
}

