// The positioned text items of a PDF, read with pdfjs: what extract/pdf/layout.ts rebuilds lines
// from. Plain JavaScript on purpose: under tsx's loader, pdfjs-dist's 2 MB module is transformed on
// every start (3.9 s instead of 0.6 s). Run either in a child of its own (worker.mjs, for a caller
// outside the pipeline) or inside a pipeline worker, which is itself the process that a hostile
// PDF may hang or fill (pipelines/worker-pool.ts). Output is validated against PdfItems by the caller.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

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

