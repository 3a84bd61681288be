/**
 * PDF editions of the SafeLives text releases, laid out like a designed report, so the PDF
 * extractor can be exercised on documents whose content is known.
 *
 *   npm run build:pdf      writes raw/safelives-insights-idva-2019-20.pdf and
 *                          raw/safelives-practitioner-survey-2019.pdf
 *
 * Everything in the PDF is visible, positioned text and a few rules: no tags, no hidden markers, no
 * metadata about cells. Each table cell is drawn as its own text at the x of its column; headings,
 * prose, running header and footer are ordinary text. The output is byte-for-byte reproducible:
 * fonts are embedded from editions/pdf/fonts (never the machine's), dates are fixed and
 * the file ID is a hash of the input.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import PDFDocument from 'pdfkit';
import {
  DEFAULT_TABLE_OPTIONS,
  layoutTable,
  parseBlocks,
  styledLines,
  wrapRuns,
  type Measure,
  type PlacedLine,
  type TableBlock,
} from './layout.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

const FONT_REGULAR = readFileSync(resolve(here, 'fonts/DejaVuSans.ttf'));
const FONT_BOLD = readFileSync(resolve(here, 'fonts/DejaVuSans-Bold.ttf'));

/** Fixed dates: the PDF must not change with the time of the build. */
export const FIXED_DATE = new Date('2020-01-01T00:00:00Z');

/** Plain glyph advances: no kerning, so every run's width is the sum of its glyphs. */
const FEATURES = { kern: false } as const;

// A4 in points, 20 mm side margins
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 56.7, right: 56.7, top: 72, bottom: 66 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;

const COLOR = { text: '#222222', heading: '#1d3f5e', title: '#1d3f5e', running: '#808080', rule: '#b4b4b4' };

const STYLE = {
  title: { size: 18, leading: 23, bold: true, color: COLOR.title },
  heading: { size: 11.5, leading: 15, bold: true, color: COLOR.heading },
  body: { size: 9.5, leading: 13.3, bold: false, color: COLOR.text },
  running: { size: 7.5 },
  /** Space between blocks, and extra space before a heading. */
  blockGap: 9,
  headingGapBefore: 5,
  /** Table rows: baseline-to-baseline distance, in ems of the table's font size. */
  rowLeading: 1.5,
};

type TextStyle = { size: number; leading: number; bold: boolean; color: string };

class ReportWriter {
  readonly doc: InstanceType<typeof PDFDocument>;
  private pageNo = 0;
  /** Top of the next line box. */
  private y = 0;

  constructor(
    private readonly runningTitle: string,
    id: Uint8Array,
  ) {
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      autoFirstPage: false,
      compress: true,
      info: {
        Title: runningTitle,
        Author: 'SafeLives (text); davs pdf-edition builder (layout)',
        Subject: 'PDF edition of a text release, for testing the davs PDF extractor',
        // the builder's old path, kept: the metadata is part of the bytes raw/ holds (build.test.ts)
        Creator: 'davs pipelines/pdf-edition',
        Producer: 'davs pdf-edition (pdfkit)',
        CreationDate: FIXED_DATE,
        ModDate: FIXED_DATE,
      },
    });
    // pdfkit derives the trailer /ID from the info dictionary (md5); make it depend on the input too
    (this.doc as unknown as { _id: Uint8Array })._id = id;
    this.doc.registerFont('Body', FONT_REGULAR);
    this.doc.registerFont('Bold', FONT_BOLD);
    this.newPage();
  }

  readonly measure: Measure = (text, size, bold) =>
    this.doc.font(bold ? 'Bold' : 'Body').fontSize(size).widthOfString(text, { features: { ...FEATURES } });

  private draw(text: string, x: number, top: number, size: number, bold: boolean, color: string): void {
    this.doc
      .font(bold ? 'Bold' : 'Body')
      .fontSize(size)
      .fillColor(color)
      .text(text, x, top, { lineBreak: false, features: { ...FEATURES } });
  }

  private rule(x0: number, x1: number, y: number, color = COLOR.rule, width = 0.5): void {
    this.doc.lineWidth(width).strokeColor(color).moveTo(x0, y).lineTo(x1, y).stroke();
  }

  newPage(): void {
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.pageNo += 1;
    const { size } = STYLE.running;
    this.draw(this.runningTitle, MARGIN.left, 34, size, false, COLOR.running);
    this.rule(MARGIN.left, PAGE.width - MARGIN.right, 47);
    const footer = `Page ${this.pageNo}`;
    const fw = this.measure(footer, size, false);
    this.rule(MARGIN.left, PAGE.width - MARGIN.right, PAGE.height - 50);
    this.draw(footer, PAGE.width - MARGIN.right - fw, PAGE.height - 42, size, false, COLOR.running);
    this.y = MARGIN.top;
  }

  private atTop(): boolean {
    return this.y === MARGIN.top;
  }

  /** Vertical space before the next block (none at the top of a page). */
  gap(points: number): void {
    if (!this.atTop()) this.y += points;
  }

  /** Move to a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y + height > CONTENT_BOTTOM && !this.atTop()) this.newPage();
  }

  private placeLines(lines: PlacedLine[], style: TextStyle): void {
    for (const line of lines) {
      this.ensure(style.leading);
      for (const run of line.runs) {
        this.draw(run.text, MARGIN.left + run.x, this.y, style.size, run.bold, style.color);
      }
      this.y += style.leading;
    }
  }

  heading(text: string, style: TextStyle): void {
    const lines = styledLines([text], style.bold).flatMap((runs) => wrapRuns(runs, style.size, CONTENT_WIDTH, this.measure));
    this.gap(STYLE.blockGap + STYLE.headingGapBefore);
    // keep a heading with at least two lines of what follows
    this.ensure(lines.length * style.leading + 2 * STYLE.body.leading + STYLE.blockGap);
    this.placeLines(lines, style);
  }

  paragraph(sourceLines: string[]): void {
    const style = STYLE.body;
    const lines = styledLines(sourceLines).flatMap((runs) => wrapRuns(runs, style.size, CONTENT_WIDTH, this.measure));
    this.gap(STYLE.blockGap);
    this.placeLines(lines, style);
  }

  table(block: TableBlock): void {
    const opts = DEFAULT_TABLE_OPTIONS;
    const layout = layoutTable(block.rows, CONTENT_WIDTH, this.measure, opts);
    const size = layout.size;
    const leading = STYLE.rowLeading * size;
    this.gap(STYLE.blockGap);
    // start on a new page unless the first few rows fit
    this.ensure(Math.min(block.rows.length, 3) * leading + 3);
    const x0 = MARGIN.left;
    const x1 = MARGIN.left + Math.max(layout.width, 0);
    this.rule(x0, x1, this.y - 2.5);
    /** Just under the ink of the row drawn last (DejaVu: ascent + descent = 1.164 em). */
    const underLastRow = (): number => this.y - leading + 1.164 * size + 2;
    block.rows.forEach((row, r) => {
      if (this.y + leading > CONTENT_BOTTOM) {
        this.rule(x0, x1, underLastRow());
        this.newPage();
        this.rule(x0, x1, this.y - 2.5);
      }
      const bold = r < layout.boldRows;
      row.forEach((cell, c) => {
        if (cell.trim() === '') return;
        this.draw(cell, MARGIN.left + (layout.colX[c] ?? 0), this.y, size, bold, COLOR.text);
      });
      this.y += leading;
    });
    this.rule(x0, x1, underLastRow());
  }

  end(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolveDone, reject) => {
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolveDone(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.doc.end();
    return done;
  }
}

/**
 * Lay `text` (a text release) out as a report titled `title` (running header and /Title) and
 * return the PDF bytes. Same inputs, same bytes.
 */
export async function buildPdf(text: string, title: string): Promise<Buffer> {
  const id = new Uint8Array(createHash('md5').update(`${title}\n${text}`, 'utf8').digest());
  const w = new ReportWriter(title, id);
  let first = true;
  for (const block of parseBlocks(text)) {
    if (block.kind === 'heading') w.heading(block.text, first ? STYLE.title : STYLE.heading);
    else if (block.kind === 'paragraph') w.paragraph(block.lines);
    else w.table(block);
    first = false;
  }
  return w.end();
}

export interface Edition {
  input: string;
  output: string;
  title: string;
}

/** The editions `npm run build:pdf` writes (paths relative to the repository root). */
export const EDITIONS: Edition[] = [
  {
    input: 'raw/safelives-insights-idva-2019-20.txt',
    output: 'raw/safelives-insights-idva-2019-20.pdf',
    title: 'SafeLives · Insights Idva dataset 2019-20',
  },
  {
    input: 'raw/safelives-practitioner-survey-2019.txt',
    output: 'raw/safelives-practitioner-survey-2019.pdf',
    title: 'SafeLives · Domestic abuse practitioner survey 2019',
  },
];

async function main(): Promise<void> {
  for (const e of EDITIONS) {
    const text = readFileSync(resolve(repoRoot, e.input), 'utf8');
    const pdf = await buildPdf(text, e.title);
    writeFileSync(resolve(repoRoot, e.output), pdf);
    const sha = createHash('sha256').update(pdf).digest('hex');
    process.stdout.write(`${e.output}\t${pdf.length} bytes\tsha256 ${sha}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
