/**
 * The report stage: findings.json, checks.json, report.md and report.html written into the run's
 * staging folder from the findings and what the run knows of them. It reads the evidence as printed
 * from the documents' cache entries and nothing from the warehouse, so it can run on a thread of its
 * own while the main thread finishes the warehouse (pipelines/run.ts): at 1,000 documents both take
 * about ten seconds, most of it JavaScript that one thread would do one after the other.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../checks/index.js';
import { renderHtmlTo, renderMarkdownTo, type LineSink, type ReportInput } from '../checks/report/index.js';
import { documentEvidenceByGroup, evidenceByDocument, evidenceTables, holdsEvidenceCells } from '../checks/report/sources.js';
import type { DocumentEvidence, EvidenceShelf } from '../checks/report/types.js';
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
  await writeLinesToFile(join(job.dir, 'findings.json'), (out) => prettyJsonLines(findings, collecting(out)));
  await writeFileAtomic(join(job.dir, 'checks.json'), `${JSON.stringify(canonical(summaries), null, 2)}\n`);
  // each written a batch of lines at a time as it is made: at 1,000 documents the HTML is tens of MB
  await writeLinesToFile(join(job.dir, 'report.md'), (out) => renderMarkdownTo(job.input, collecting(out)));
  collectGarbage();
  // the evidence as printed (tables, sentences), put on a shelf in the staging folder and read back
  // a document and check at a time as the HTML asks: it is most of what the report would hold otherwise
  const shelf = await shelveEvidence(join(job.dir, EVIDENCE_SHELF), job.entries, findings);
  try {
    const input: ReportInput = { ...job.input, evidence: shelf };
    await writeLinesToFile(join(job.dir, 'report.html'), (out) => renderHtmlTo(input, collecting(out)));
  } finally {
    await shelf.remove();
  }
}

/**
 * writeReport on a worker thread (pipelines/report-worker.ts), so the caller's thread is free
 * meanwhile. The job is copied to the thread; an error there rejects here, with its message.
 *
 * Tried (issue 12, 2026-12-05): only report.html on the thread, with findings.json, checks.json and
 * report.md written by the caller meanwhile (about 1.4 s of the thread's 7-8 s at 1,000 documents),
 * and the evidence files read four documents ahead. A cached night of 1,000 documents: report
 * stage 5.9-7.5 s against 6.5-8.0 (n=4, noisy); 2,000 documents cold: 14.3 s both ways, peaks 755
 * and 757 MiB. The read-ahead alone: 6.2-7.7 s against 6.4-6.6. Not worth a second way of
 * writing the report.
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

/** A part's key on the shelf: its document and check. */
function shelfKey(documentId: string, check: string): string {
  return `${documentId}\u0000${check}`;
}

/** The shelf's file in the staging folder: removed once the report is written (a killed run's goes with its staging folder). */
const EVIDENCE_SHELF = 'report-evidence.shelf';

/**
 * How many parts (a document's evidence for one check) the shelf keeps read back. The HTML takes the
 * findings check by check, each check's in document order, so a part is mostly read once, and again
 * when a later finding of its check compares another document with it: at 1,000 documents 1,971
 * parts (37 MB) were read 2,235 times, 48 MB of JSON parsed. With a part per document, holding
 * what every check's findings in it rest on, a document came back once for each check with findings
 * in it: 759 parts (30 MB) read 2,224 times, 133 MB parsed and indexed, 1.7 s of the report
 * thread's 9.6 s and more of its garbage. A cached night took 0.944 of the time (paired, n=4).
 */
const SHELF_PARTS_KEPT = 32;

/**
 * The tables and sentences findings' evidence rests on, reading each document that has evidence
 * from its entry, one at a time, and writing a part of it for each check with findings there to
 * `path` (JSON, one after another); then read back from there a part at a time, the last few kept.
 * Held as objects, the parts were most of the report thread's heap.
 */
async function shelveEvidence(path: string, entries: ReportJob['entries'], findings: readonly Finding[]): Promise<EvidenceShelf & { remove(): Promise<void> }> {
  const byDocument = evidenceByDocument(findings);
  const places = new Map<string, { at: number; bytes: number }>();
  const file = await open(path, 'w');
  let at = 0;
  try {
    const read = collectingEvery(GARBAGE_EVERY_DOCUMENTS);
    for (const entry of entries) {
      const byCheck = byDocument.get(entry.document_id);
      if (!byCheck) continue;
      const evidence = [...byCheck.values()].flat();
      // only the tables its evidence names, unless a cell was not where its id said (then all of them)
      const tables = evidenceTables(evidence);
      let x = await readEntryEvidence(entry, tables);
      if (tables !== 'all' && !holdsEvidenceCells(x, evidence)) x = await readEntryEvidence(entry, 'all');
      const parts = [...documentEvidenceByGroup(x, byCheck)].map(([check, part]) => ({ key: shelfKey(entry.document_id, check), bytes: Buffer.from(JSON.stringify(part)) }));
      await file.writeFile(Buffer.concat(parts.map((p) => p.bytes)));
      for (const { key, bytes } of parts) {
        places.set(key, { at, bytes: bytes.length });
        at += bytes.length;
      }
      read(1);
    }
  } finally {
    await file.close();
  }
  const fd = openSync(path, 'r');
  const kept = new Map<string, DocumentEvidence>();
  return {
    of(documentId, check) {
      const key = shelfKey(documentId, check);
      const held = kept.get(key);
      if (held) {
        // most recently used last
        kept.delete(key);
        kept.set(key, held);
        return held;
      }
      const place = places.get(key);
      if (!place) return null;
      const buffer = Buffer.alloc(place.bytes);
      if (readSync(fd, buffer, 0, place.bytes, place.at) !== place.bytes) throw new Error(`${path}: the evidence of ${documentId} for ${check} was cut short on the shelf`);
      const part = JSON.parse(buffer.toString('utf8')) as DocumentEvidence;
      kept.set(key, part);
      if (kept.size > SHELF_PARTS_KEPT) kept.delete(kept.keys().next().value!);
      return part;
    },
    async remove() {
      closeSync(fd);
      await rm(path, { force: true });
    },
  };
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
