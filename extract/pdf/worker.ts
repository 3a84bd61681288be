/**
 * Child-process entry: reads a PDF from stdin, writes its positioned text items as JSON to stdout.
 * Runs apart from the pipeline (extract/pdf/read.ts) so a hostile PDF that hangs or eats memory
 * costs a timeout, not the run.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PdfItems } from './contracts.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

async function main(): Promise<void> {
  const data = await readStdin();
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const out: PdfItems = { pages: [] };
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const view = page.view;
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [a, b, c, d, e, f] = item.transform as number[];
      items.push({
        str: item.str,
        x: round(e!),
        y: round(f!),
        width: round(item.width),
        size: round(Math.hypot(c!, d!)),
        horizontal: Math.abs(b!) < 1e-6 && Math.abs(c!) < 1e-6 && a! > 0,
      });
    }
    out.pages.push({ page: p, width: round(view[2]! - view[0]!), height: round(view[3]! - view[1]!), items });
    page.cleanup();
  }
  await doc.destroy();
  process.stdout.write(JSON.stringify(out));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
