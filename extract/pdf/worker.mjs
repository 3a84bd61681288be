// Child-process entry: reads a PDF from stdin, writes its positioned text items as JSON to stdout.
// Runs apart from the pipeline (extract/pdf/read.ts) so a hostile PDF that hangs or eats memory
// costs a timeout, not the run. Plain JavaScript on purpose: under tsx's loader, pdfjs-dist's 2 MB
// module is transformed on every start (3.9 s instead of 0.6 s per PDF). Its output is validated
// against extract/pdf/contracts.ts (PdfItems) by the parent.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** @returns {Promise<Uint8Array>} */
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** @param {number} n */
function round(n) {
  return Math.round(n * 100) / 100;
}

async function main() {
  const data = await readStdin();
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
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
