/**
 * The report stage: findings.json, checks.json, report.md and report.html written into the run's
 * staging folder from the findings and what the run knows of them. It reads the evidence as printed
 * from the documents' cache entries and nothing from the warehouse, so it runs while DuckDB's
 * threads finish the warehouse (its digests and checkpoint: pipelines/run.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../checks/index.js';
import { renderHtmlTo, renderMarkdownTo, type LineSink, type ReportInput } from '../checks/report/index.js';
import { documentEvidenceByGroup, evidenceByDocument, evidenceTables, holdsEvidenceCells } from '../checks/report/sources.js';
import type { DocumentEvidence, EvidenceShelf } from '../checks/report/types.js';
import { canonical, collectGarbage, collectingEvery, writeFileAtomic, writeLinesToFile } from '../core/index.js';
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
 * in it: 759 parts (30 MB) read 2,224 times, 133 MB parsed and indexed, 1.7 s of the report's
 * 9.6 s (then on a thread of its own) and more of its garbage. A cached night took 0.944 of the time (paired, n=4).
 */
const SHELF_PARTS_KEPT = 32;

/**
 * The tables and sentences findings' evidence rests on, reading each document that has evidence
 * from its entry, one at a time, and writing a part of it for each check with findings there to
 * `path` (JSON, one after another); then read back from there a part at a time, the last few kept.
 * Held as objects, the parts were most of the report's heap.
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
