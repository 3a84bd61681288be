// Child-process entry: reads a workbook from stdin and writes its cells (cells.mjs) as JSON.
// Limits come as one JSON argument; a workbook over them exits 3 with the reason on stderr.
import { WorkbookLimitError, workbookCells } from './cells.mjs';

const limits = JSON.parse(process.argv[2] ?? '{}');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function main() {
  const data = await readStdin();
  let read;
  try {
    read = workbookCells(data, limits);
  } catch (err) {
    if (!(err instanceof WorkbookLimitError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(3);
  }
  process.stdout.write(JSON.stringify(read));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
