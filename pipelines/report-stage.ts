/**
 * The report stage: findings.json, checks.json, report.md and report.html written into the run's
 * staging folder from the findings and what the run knows of them. It reads the evidence as printed
 * from the documents' cache entries and nothing from the warehouse, so it can run on a thread of its
 * own while the main thread finishes the warehouse (pipelines/run.ts): at 1,000 documents both take
 * about ten seconds, most of it JavaScript that one thread would do one after the other.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../checks/index.js';
import { renderHtmlTo, renderMarkdownTo, type LineSink, type ReportInput } from '../checks/report/index.js';
import { documentEvidence, evidenceByDocument, evidenceTables, holdsEvidenceCells, joinEvidence } from '../checks/report/sources.js';
import { canonical, collectGarbage, collectingEvery, threadScript, writeFileAtomic, writeLinesToFile } from '../core/index.js';
import { readEntryEvidence } from './cache.js';

/** What the report stage is given: the report's input but for the evidence, the cache entries to read that from, and where to write. */
export interface ReportJob {
  /** The staging folder of the run. */
  dir: string;
  input: Omit<ReportInput, 'tables' | 'statements'>;
  /** The primary documents' cache entries, in corpus order: their evidence as printed is read from them. */
  entries: ReadonlyArray<{ document_id: string; dir: string }>;
}

/** How many documents' extractions are read, and how many characters of report written, between collecting their garbage (core/memory.ts). */
const GARBAGE_EVERY_DOCUMENTS = 100;
/** (Making a report of 1,000 documents, tens of MB, leaves several times that in garbage.) */
const GARBAGE_EVERY_CHARACTERS = 16_000_000;

/** Write the run's findings.json, checks.json, report.md and report.html into `job.dir`. */
export async function writeReport(job: ReportJob): Promise<void> {
  const { findings, summaries } = job.input;
  // evidence as printed (tables, sentences)
  const input: ReportInput = { ...job.input, ...(await evidenceSources(job.entries, findings)) };
  await writeLinesToFile(join(job.dir, 'findings.json'), (out) => prettyJsonLines(findings, collecting(out)));
  await writeFileAtomic(join(job.dir, 'checks.json'), `${JSON.stringify(canonical(summaries), null, 2)}\n`);
  // each written a batch of lines at a time as it is made: at 1,000 documents the HTML is tens of MB
  await writeLinesToFile(join(job.dir, 'report.md'), (out) => renderMarkdownTo(input, collecting(out)));
  collectGarbage();
  await writeLinesToFile(join(job.dir, 'report.html'), (out) => renderHtmlTo(input, collecting(out)));
}

/**
 * writeReport on a worker thread (pipelines/report-worker.ts), so the caller's thread is free
 * meanwhile. The job is copied to the thread; an error there rejects here, with its message.
 */
export function writeReportInThread(job: ReportJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(threadScript('pipelines/report-worker'), { eval: true, workerData: job });
    let written = false;
    worker.once('message', () => {
      written = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (written ? resolve() : reject(new Error(`the report thread stopped (exit code ${code}) before the report was written`))));
  });
}

/** The tables and sentences findings' evidence rests on, reading each document that has evidence from its entry, one at a time. */
async function evidenceSources(entries: ReportJob['entries'], findings: readonly Finding[]): Promise<ReturnType<typeof joinEvidence>> {
  const byDocument = evidenceByDocument(findings);
  const parts = [];
  const read = collectingEvery(GARBAGE_EVERY_DOCUMENTS);
  for (const entry of entries) {
    const evidence = byDocument.get(entry.document_id);
    if (!evidence) continue;
    // only the tables its evidence names, unless a cell was not where its id said (then all of them)
    const tables = evidenceTables(evidence);
    let x = await readEntryEvidence(entry, tables);
    if (tables !== 'all' && !holdsEvidenceCells(x, evidence)) x = await readEntryEvidence(entry, 'all');
    parts.push(documentEvidence(x, evidence));
    read(1);
  }
  return joinEvidence(parts);
}

/** `out`, collecting garbage as the characters pushed to it add up. */
function collecting(out: LineSink): LineSink {
  const written = collectingEvery(GARBAGE_EVERY_CHARACTERS);
  return {
    push: (...lines: string[]) => {
      out.push(...lines);
      for (const line of lines) written(line.length);
    },
  };
}

/**
 * The lines of JSON.stringify(canonical(items), null, 2) (keys sorted at every level), pushed one
 * item at a time: findings.json at 1,000 documents is tens of megabytes.
 */
function prettyJsonLines(items: readonly unknown[], out: LineSink): void {
  if (items.length === 0) {
    out.push('[]');
    return;
  }
  out.push('[');
  items.forEach((item, i) => {
    // the item's lines, each indented by two spaces, the last with a comma unless it is the last item's
    out.push(`  ${JSON.stringify(canonical(item), null, 2).replaceAll('\n', '\n  ')}${i < items.length - 1 ? ',' : ''}`);
  });
  out.push(']');
}
