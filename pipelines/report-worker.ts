/**
 * A report thread (pipelines/report-stage.ts writeReportInThread): writes the report of the job it
 * is given, says so, and ends. An error ends the thread with it, and the caller's promise rejects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeReport, type ReportJob } from './report-stage.js';

await writeReport(workerData as ReportJob);
parentPort!.postMessage('written');
