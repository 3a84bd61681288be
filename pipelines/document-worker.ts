/**
 * A pipeline document worker: a long-lived child process of the pool (pipelines/worker-pool.ts) that
 * takes one document at a time over IPC (its record and the path of its file, which it reads),
 * runs its document stage (pipelines/document-stage.ts) and writes its entry (the result, and its
 * rows as the files the load stage reads in bulk: the document cache, pipelines/cache.ts), and
 * sends back the entry or the error with the stage it failed in. It reads PDFs and workbooks
 * in-process: it is itself the process a hostile document may hang or fill, and the pool kills and
 * replaces it then.
 */
import { ContractError } from '../core/index.js';
import { setHeapGrowing, setTieringBudget } from '../core/tiering.js';
import { readInThisProcess } from '../extract/index.js';
import { writeCacheEntry } from './cache.js';
import { DocumentStageError, processDocument, readDocumentFile } from './document-stage.js';
import { sendableError } from './sent-error.js';
import { WORKER_READY, type WorkerReply, type WorkerTask } from './worker-pool.js';

// before any document: the readers' code (pdfjs, SheetJS) loads and compiles on a worker's first document of its kind
setTieringBudget();
setHeapGrowing();
readInThisProcess();

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve, reject) => process.send!(reply, undefined, undefined, (err) => (err ? reject(err) : resolve())));
}

process.on('message', (task: WorkerTask) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      const processed = await processDocument(task.record, await readDocumentFile(task.path, task.record), task.limits);
      // writing the rows checks every value against its column: a value that does not fit refuses the document at load
      const entry = await writeCacheEntry(task.entryDir, processed).catch((err: unknown) => {
        throw err instanceof ContractError ? new DocumentStageError('load', err) : err;
      });
      reply = { id: task.id, ok: true, entry };
    } catch (err) {
      const stage = err instanceof DocumentStageError ? err.stage : 'extract';
      reply = { id: task.id, ok: false, stage, error: sendableError(err instanceof DocumentStageError ? err.error : err) };
    }
    await send(reply);
  })().catch((err: unknown) => {
    // the reply could not be sent: the pool sees this process exit and records the document as failed
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
process.send!(WORKER_READY);
