// Child-process entry: reads a PDF from stdin, writes its positioned text items (items.mjs) as JSON
// to stdout. Runs apart from the caller (extract/pdf/read.ts) so a PDF that hangs or eats memory
// costs a timeout, not the process. Its output is validated against PdfItems by the parent.
import { pdfItems } from './items.mjs';

/** @returns {Promise<Uint8Array>} */
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function main() {
  process.stdout.write(JSON.stringify(await pdfItems(await readStdin())));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
