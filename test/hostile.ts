/**
 * A raw folder as an unattended night may find it: the bundled corpus plus the documents and
 * mistakes that used to sink a run (issue 8). Built in a temporary folder by the tests; nothing
 * here is committed as a binary.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { RAW } from './helpers.js';

/** A PDF made with pdfkit's built-in Helvetica; `draw` lays out its pages. Fixed dates, so the bytes are reproducible. */
export async function makePdf(draw: (doc: InstanceType<typeof PDFDocument>) => void): Promise<Buffer> {
  const fixed = new Date('2020-01-01T00:00:00Z');
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 50, right: 50 }, compress: false, info: { CreationDate: fixed, ModDate: fixed, Title: 'davs test' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((ok) => doc.on('end', () => ok(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

export const PARAGRAPH =
  'In the year ending March 2020, Idvas supported 3,074 clients at intake, of whom 61% were referred by the police. ' +
  'The number of cases discussed at MARACs rose by 7% on the previous year.';

/** The same paragraph printed twice on one page, once over itself, as browser printing does with a repeated block. */
export function repeatedParagraphPdf(): Promise<Buffer> {
  return makePdf((doc) => {
    doc.font('Helvetica').fontSize(11);
    doc.text('Insights national dataset (browser print)', 50, 50);
    doc.text(PARAGRAPH, 50, 100, { width: 480 });
    doc.text(PARAGRAPH, 50, 100, { width: 480 });
    doc.text(PARAGRAPH, 50, 200, { width: 480 });
  });
}

/** A page with only shapes on it: what a scanned report looks like to a text extractor. */
export function imageOnlyPdf(): Promise<Buffer> {
  return makePdf((doc) => {
    for (let i = 0; i < 20; i++) doc.rect(50 + (i % 5) * 100, 60 + Math.floor(i / 5) * 120, 80, 100).fill(i % 2 ? '#333333' : '#999999');
  });
}

/** One TAB-separated table of `rows` data rows under a title and header, as a text release would print it. */
export function bigTableText(rows: number): string {
  const lines = ['Synthetic release', '', 'Table 1: Clients by referral route, year ending March 2020', '', 'Route\t2020\t', '\tCount\t%'];
  for (let i = 1; i <= rows; i++) lines.push(`Route ${i}\t${(i * 7) % 1000}\t${((i * 13) % 1000) / 10}`);
  lines.push('', 'Source: synthetic.', '');
  return lines.join('\n');
}

/**
 * The bundled corpus plus: a 60,000-line table, a PDF repeating a paragraph on one page, an
 * image-only PDF, a UTF-16 text, a file of an unknown extension, a release in a subfolder, and a
 * manifest entry whose file is missing.
 */
export async function hostileCorpus(dir: string): Promise<void> {
  await cp(RAW, dir, { recursive: true });
  await writeFile(join(dir, 'big-table.txt'), bigTableText(60_000));
  await writeFile(join(dir, 'repeated-paragraph.pdf'), await repeatedParagraphPdf());
  await writeFile(join(dir, 'scanned.pdf'), await imageOnlyPdf());
  const utf16 = 'Helpline report\n\nThe helpline answered 12,345 calls in 2020, 22% more than in 2019.\n';
  await writeFile(join(dir, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le')]));
  await writeFile(join(dir, 'minutes.docx'), 'not a release format');
  await mkdir(join(dir, 'archive'));
  await writeFile(join(dir, 'archive', 'old.txt'), 'An old release.\n');
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { documents: Array<Record<string, unknown>> };
  manifest.documents.push({ file: 'ons-dav-2022-11.txt', publisher: 'Office for National Statistics', title: 'Domestic abuse victim services, November 2022', release_date: '2022-11-25', format: 'text' });
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
