import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReferenceTables, extractDocument, readCorpus, scoreAgainstReference, type Extraction } from '../extract/index.js';

/**
 * Extraction measured against tables keyed by hand from the source documents
 * (test/reference/tables.json, see its README), cell by cell, for the text and the PDF paths.
 */
const PATH = join(import.meta.dirname, 'reference', 'tables.json');
let reference: ReferenceTables;
let extractions: Extraction[];

beforeAll(async () => {
  reference = ReferenceTables.parse(JSON.parse(readFileSync(PATH, 'utf8')));
  const { documents } = await readCorpus(join(import.meta.dirname, '..', 'raw'));
  const wanted = new Set(reference.tables.map((t) => t.document.replace(/\.[^.]+$/, '')));
  extractions = await Promise.all(documents.filter((d) => wanted.has(d.record.file.replace(/\.[^.]+$/, ''))).map((d) => extractDocument(d.record, d.bytes)));
}, 120_000);

describe('extraction against hand-keyed tables', () => {
  it('keys at least 40 tables across the three long documents', () => {
    expect(reference.tables.length).toBeGreaterThanOrEqual(40);
    expect(new Set(reference.tables.map((t) => t.document)).size).toBeGreaterThanOrEqual(3);
  });

  it('text path: finds every keyed table and nearly every keyed cell', () => {
    const score = scoreAgainstReference(reference, extractions, 'text');
    expect(score.matchedTables).toBe(score.tables);
    expect(score.recall, score.missed.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('PDF path: the same on the tables of the reports that have a PDF edition', () => {
    const pdfTables = { ...reference, tables: reference.tables.filter((t) => t.document.startsWith('safelives-')) };
    const score = scoreAgainstReference(pdfTables, extractions, 'pdf');
    const text = scoreAgainstReference(pdfTables, extractions, 'text');
    expect(score.matchedTables).toBe(score.tables);
    expect(score.recall, score.missed.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    // the PDF path reads what the text path reads
    expect(score.truePositives).toBe(text.truePositives);
  });
});
