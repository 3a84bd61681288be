/**
 * A report thread (pipelines/report-stage.ts writeReportInThread): writes report.html of the job it
 * is given, says so, and ends (the caller writes the rest of the report meanwhile). An error ends
 * the thread with it, and the caller's promise rejects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeHtmlReport, type ReportJob } from './report-stage.js';

await writeHtmlReport(workerData as ReportJob);
parentPort!.postMessage('written');
