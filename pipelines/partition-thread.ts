/**
 * The observation groups of the checks that compare documents, judged on this thread and on one
 * more (pipelines/partition-worker.ts) at once: at 1,000 documents they were one core of JavaScript
 * for 8 s (reading half a million observations back, grouping and judging them) while the other core
 * was half idle. This thread reads the partitions' rows from the warehouse; while the other has work
 * waiting it sends it the next partition, else it judges that one itself. The parts come back in
 * partition order: the parts checkAcrossDocuments gives, so the same findings.
 */
import { Worker } from 'node:worker_threads';
import { CHECKS, judgePartition, type CheckPart } from '../checks/index.js';
import { threadScript } from '../core/index.js';
import type { DocumentRecord } from '../extract/index.js';
import { observationOfRow, type DocumentFiles } from '../load/index.js';
import { measures, orderObservations } from '../transform/index.js';

/** What the thread is started with: each document's file (locators are read in it) and the primary editions' records. */
export interface PartitionThreadData {
  files: Array<[string, string]>;
  documents: DocumentRecord[];
}

/** To the thread: a partition's rows (observationOfRow's) and its index; then the end. */
export type PartitionMessage = { kind: 'partition'; index: number; rows: string[] } | { kind: 'end' };
/** From the thread: a partition's part. */
export interface PartitionReply {
  index: number;
  part: CheckPart;
}

/** Rows sent to the thread and not yet judged there, at most, before this thread judges the next partition itself. */
const ROWS_IN_FLIGHT = 20_000;

/** Judge one partition from its rows (on either thread). */
export function judgeRows(rows: readonly string[], files: DocumentFiles, documents: Map<string, DocumentRecord>): CheckPart {
  return judgePartition(
    rows.map((row) => observationOfRow(row, files)),
    { checks: CHECKS, measures: measures(), documents, order: orderObservations },
  );
}

/**
 * The part of each partition `partitions` gives (observationRowPartitions), in its order, judged here
 * and on a thread of its own. Resolves once every partition is judged and the thread has ended.
 */
export async function judgePartitions(partitions: AsyncIterable<string[]>, files: DocumentFiles, documents: readonly DocumentRecord[], rowsInFlight = ROWS_IN_FLIGHT): Promise<CheckPart[]> {
  const byId = new Map(documents.map((d) => [d.document_id, d]));
  const data: PartitionThreadData = { files: [...files], documents: [...documents] };
  const worker = new Worker(threadScript('pipelines/partition-worker'), { eval: true, workerData: data });
  const parts: CheckPart[] = [];
  const waiting = new Map<number, number>(); // index -> rows, sent and not yet judged
  let inFlight = 0;
  let failed: Error | null = null;
  let ended: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => {
    worker.on('message', (reply: PartitionReply) => {
      parts[reply.index] = reply.part;
      inFlight -= waiting.get(reply.index) ?? 0;
      waiting.delete(reply.index);
      if (waiting.size === 0) ended();
    });
    worker.once('error', (err) => {
      failed ??= err;
      ended();
    });
    worker.once('exit', (code) => {
      if (waiting.size > 0) failed ??= new Error(`the checks thread stopped (exit code ${code}) before it had judged every partition sent to it`);
      ended();
      resolve();
    });
  });
  try {
    let index = 0;
    for await (const rows of partitions) {
      if (failed !== null) throw failed;
      if (inFlight < rowsInFlight) {
        worker.postMessage({ kind: 'partition', index, rows } satisfies PartitionMessage);
        waiting.set(index, rows.length);
        inFlight += rows.length;
      } else parts[index] = judgeRows(rows, files, byId);
      index++;
    }
    // what the thread still has, then its end
    if (waiting.size > 0) await new Promise<void>((resolve) => (ended = resolve));
    if (failed !== null) throw failed;
    worker.postMessage({ kind: 'end' } satisfies PartitionMessage);
    await exited;
    if (failed !== null) throw failed;
    return parts;
  } finally {
    await worker.terminate();
  }
}
