/**
 * A thread of the checks (pipelines/partition-thread.ts judgePartitions): judges the partitions it
 * is sent (every observation of one geography and breakdown, as rows of the observations table) and
 * sends back each one's part with its index. An error ends the thread with it, and the caller's
 * promise rejects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { judgeRows, type PartitionMessage, type PartitionReply, type PartitionThreadData } from './partition-thread.js';

const data = workerData as PartitionThreadData;
const files = new Map(data.files);
const documents = new Map(data.documents.map((d) => [d.document_id, d]));

parentPort!.on('message', (message: PartitionMessage) => {
  if (message.kind === 'end') {
    parentPort!.close();
    return;
  }
  const reply: PartitionReply = { index: message.index, part: judgeRows(message.rows, files, documents) };
  parentPort!.postMessage(reply);
});
