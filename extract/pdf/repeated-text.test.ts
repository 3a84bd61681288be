import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../core/index.js';
import type { DocumentRecord } from '../contracts.js';
import { extractDocument } from '../index.js';

/**
 * Browser-printed PDFs draw some blocks twice: one copy right after the other (rejoined into one
 * paragraph, so one line holds the same sentences twice) or one copy over the other. Every id the
 * extractor makes must still be unique, or the warehouse load dies on a primary key.
 */
const FONT = readFileSync(join(import.meta.dirname, '..', '..', 'editions', 'pdf', 'fonts', 'DejaVuSans.ttf'));
const PARAGRAPH =
  'In the year ending March 2020, Idvas supported 3,074 clients at intake, of whom 61% were referred by the police. ' +
  'The number of cases discussed at MARACs rose by 7% on the previous year.';
const TABLE = [
  ['Referral route', '2020', ''],
  ['', 'Count', '%'],
  ['Police', '874', '63%'],
  ['Marac', '513', '37%'],
  ['Total', '1387', '100%'],
];

function repeatedPdf(): Promise<Buffer> {
  const fixed = new Date('2020-01-01T00:00:00Z');
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 50, right: 50 }, compress: false, info: { CreationDate: fixed, ModDate: fixed, Title: 'davs test' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((ok) => doc.on('end', () => ok(Buffer.concat(chunks))));
  doc.registerFont('Body', FONT);
  doc.font('Body').fontSize(10);
  doc.text('Insights national dataset (browser print)', 50, 50, { lineBreak: false });
  // the paragraph, then the same paragraph again straight after it: one paragraph to the reader
  doc.text(PARAGRAPH, 50, 100, { width: 480 });
  doc.text(PARAGRAPH, 50, undefined, { width: 480 });
  // a table printed twice over itself, and once more below
  const table = (top: number) => TABLE.forEach((row, r) => row.forEach((cell, c) => doc.text(cell, [50, 250, 330][c]!, top + r * 15, { lineBreak: false })));
  table(300);
  table(300);
  table(420);
  // the paragraph printed twice over itself
  doc.text(PARAGRAPH, 50, 560, { width: 480 });
  doc.text(PARAGRAPH, 50, 560, { width: 480 });
  doc.end();
  return done;
}

describe('a PDF that prints a paragraph twice on a page', () => {
  it('gives every statement, sentence, table and cell an id of its own', async () => {
    const bytes = new Uint8Array(await repeatedPdf());
    const record: DocumentRecord = {
      document_id: 'repeated-000000000000',
      file: 'repeated.pdf',
      format: 'pdf',
      publisher: 'test',
      title: 'A browser-printed report',
      release_date: null,
      release_date_precision: 'day',
      period_covered: null,
      sha256: sha256(bytes),
      bytes: bytes.byteLength,
      metadata_source: 'inferred',
      edition_of: null,
      reference_period: null,
      period_labels: {},
      geography: null,
      release: 'repeated',
    };
    const x = await extractDocument(record, bytes);
    const unique = (ids: string[]) => expect(new Set(ids).size).toBe(ids.length);

    // the copy after the paragraph is read as the same sentences again on the same line: two statements each
    const statements = x.statements.filter((s) => s.locator.kind === 'page' && s.locator.line === 2);
    expect(statements.map((s) => s.figure.raw)).toEqual(['3,074', '61%', '7%', '3,074', '61%', '7%']);
    expect(statements[0]!.sentence).toBe(statements[3]!.sentence);
    expect(statements[3]!.statement_id).toBe(statements[0]!.statement_id.replace(/:o(\d+)$/, '-2:o$1'));
    unique(x.statements.map((s) => s.statement_id));
    // a sentence id stands for one sentence: two copies are two sentences, with three statements each
    const perSentence = new Map<string, number>();
    for (const s of x.statements.slice(0, 6)) perSentence.set(s.sentence_id, (perSentence.get(s.sentence_id) ?? 0) + 1);
    expect([...perSentence.values()]).toEqual([2, 1, 2, 1]);

    expect(x.tables.length).toBeGreaterThan(0);
    expect(x.cells.length).toBeGreaterThan(0);
    unique(x.tables.map((t) => t.table_id));
    unique(x.cells.map((c) => c.cell_id));
    unique(x.cells.map((c) => `${c.table_id}:${c.row_index}:${c.column_index}`).concat(x.statuses.map((s) => `${s.table_id}:${s.row_index}:${s.column_index}`)));
    for (const t of x.tables) {
      unique(t.rows.map((r) => String(r.index)));
      unique(t.columns.map((c) => String(c.index)));
    }
  });
});
