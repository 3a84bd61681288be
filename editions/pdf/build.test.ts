import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { buildPdf } from './build.js';
import { layoutTable, parseBlocks } from './layout.js';

const TITLE = 'Sample edition · test';

const NARROW = [
  ['Age of client', 'Count', '%'],
  ['18-20', '187', '6%'],
  ['┆ Of whom aged 18', '41', '1%'],
  ['21-30', '1022', '34%'],
  ['Average age', '35', ''],
];

const WIDE = [
  ['Region', ...Array.from({ length: 11 }, (_, i) => `Col ${i + 1}`)],
  ['North', ...Array.from({ length: 11 }, (_, i) => `${10 + i},${100 + i}`)],
  ['└ North East', ...Array.from({ length: 11 }, (_, i) => `${20 + i},${200 + i}`)],
  ['South', '', ...Array.from({ length: 10 }, (_, i) => `${30 + i}%`)],
];

const SAMPLE = [
  'Sample Report of Services',
  '',
  'Who uses the service',
  '',
  'This paragraph is long enough to be wrapped onto more than one line when it is set at the body size across the width of an A4 page with the margins the builder uses, and it has **bold words** in it.',
  '',
  NARROW.map((r) => r.join('\t')).join('\n'),
  '',
  'A wide table',
  '',
  WIDE.map((r) => r.join('\t')).join('\n'),
  '',
].join('\n');

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

async function pageItems(pdf: Buffer): Promise<Item[][]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pages: Item[][] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    const items: Item[] = [];
    for (const it of content.items) {
      if (!('str' in it) || it.str.trim() === '') continue;
      const t = it.transform as number[];
      items.push({ str: it.str, x: t[4]!, y: t[5]!, width: it.width, size: Math.hypot(t[2]!, t[3]!) });
    }
    pages.push(items);
  }
  await doc.destroy();
  return pages;
}

/** Items grouped by baseline, top to bottom, each line left to right. */
function lines(items: Item[]): Item[][] {
  const byY = new Map<number, Item[]>();
  for (const it of items) {
    const key = Math.round(it.y * 10) / 10;
    byY.set(key, [...(byY.get(key) ?? []), it]);
  }
  return [...byY.entries()].sort((a, b) => b[0] - a[0]).map(([, l]) => l.sort((a, b) => a.x - b.x));
}

/** For each row of `rows`, the line whose items are exactly its non-empty cells, item per cell. */
function findTable(all: Item[][], rows: string[][]): Array<Array<Item | undefined>> {
  return rows.map((row) => {
    const want = row.filter((c) => c !== '');
    const line = all.find((l) => l.length === want.length && l.every((it, i) => it.str === want[i]));
    expect(line, `row ${JSON.stringify(row)} as one item per cell on one baseline`).toBeDefined();
    let k = 0;
    return row.map((c) => (c === '' ? undefined : line![k++]));
  });
}

function expectColumnsAligned(placed: Array<Array<Item | undefined>>): void {
  const n = Math.max(...placed.map((r) => r.length));
  const xs: number[] = [];
  for (let c = 0; c < n; c++) {
    const col = placed.map((r) => r[c]).filter((i): i is Item => i !== undefined);
    const x0 = col[0]!.x;
    for (const it of col) expect(Math.abs(it.x - x0), `column ${c} (${it.str})`).toBeLessThan(0.01);
    xs.push(x0);
  }
  // columns run left to right, with clear white between a cell and the next column
  for (let c = 1; c < n; c++) expect(xs[c]!).toBeGreaterThan(xs[c - 1]!);
  for (const row of placed) {
    for (let c = 0; c + 1 < row.length; c++) {
      const a = row[c];
      const b = row[c + 1];
      if (a && b) expect(b.x - (a.x + a.width)).toBeGreaterThan(a.size);
    }
  }
}

describe('pdf-edition layout', () => {
  it('parses headings, paragraphs and tables, keeping cells as they are', () => {
    const blocks = parseBlocks(SAMPLE);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'heading', 'paragraph', 'table', 'heading', 'table']);
    expect(blocks[3]).toEqual({ kind: 'table', rows: NARROW });
    expect(blocks[5]).toEqual({ kind: 'table', rows: WIDE });
  });

  it('scales a table down rather than wrap it', () => {
    const measure = (t: string, size: number): number => t.length * size * 0.6;
    const narrow = layoutTable(NARROW, 480, measure);
    expect(narrow.size).toBe(8.5);
    const wide = layoutTable(WIDE, 480, measure);
    expect(wide.size).toBeLessThan(8.5);
    expect(wide.width).toBeLessThanOrEqual(480);
    expect(wide.colX).toEqual([...wide.colX].sort((a, b) => a - b));
  });
});

describe('buildPdf', () => {
  it('is byte-for-byte reproducible', async () => {
    const a = await buildPdf(SAMPLE, TITLE);
    const b = await buildPdf(SAMPLE, TITLE);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    // different input, different file ID
    const c = await buildPdf(`${SAMPLE}\nOne more line.\n`, TITLE);
    const id = (buf: Buffer): string | undefined => /\/ID \[<([0-9a-f]+)>/.exec(buf.toString('latin1'))?.[1];
    expect(id(a)).toBeDefined();
    expect(id(c)).not.toBe(id(a));
  });

  it('places every table cell as its own text item on its row, columns sharing x', async () => {
    const pdf = await buildPdf(SAMPLE, TITLE);
    const pages = await pageItems(pdf);
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    const all = lines(page);

    // running header at the top, footer at the bottom
    expect(all[0]!.map((i) => i.str)).toEqual([TITLE]);
    expect(all[all.length - 1]!.map((i) => i.str)).toEqual(['Page 1']);
    expect(all[0]!.at(0)!.size).toBeLessThan(9);

    // nothing but visible text: no tabs, no tagged structure
    expect(page.some((i) => i.str.includes('\t'))).toBe(false);
    expect(pdf.toString('latin1')).not.toMatch(/StructTreeRoot|MarkInfo/);

    const narrow = findTable(all, NARROW);
    expectColumnsAligned(narrow);
    expect(narrow[2]![0]!.str).toBe('┆ Of whom aged 18');
    // rows top to bottom, evenly spaced
    const ys = narrow.map((r) => r[0]!.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i - 1]! - ys[i]!).toBeCloseTo(ys[0]! - ys[1]!, 5);

    const wide = findTable(all, WIDE);
    expectColumnsAligned(wide);
    const wideItems = wide.flat().filter((i): i is Item => i !== undefined);
    const size = wideItems[0]!.size;
    expect(size).toBeLessThan(8.5);
    expect(size).toBeGreaterThanOrEqual(4.5);
    // fits between the margins
    expect(Math.max(...wideItems.map((i) => i.x + i.width))).toBeLessThanOrEqual(595.28 - 56.7 + 0.01);
    expect(Math.min(...wideItems.map((i) => i.x))).toBeCloseTo(56.7, 1);

    // prose is wrapped and the heading is present; bold words are drawn without their markers
    const text = page.map((i) => i.str).join(' ');
    expect(text).toContain('Who uses the service');
    expect(text).toContain('bold words');
    expect(text).not.toContain('**');
  });
});

describe('the PDF editions in raw/', () => {
  it('are exactly what the builder makes from the text editions (so anyone can rebuild and check them)', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { createHash } = await import('node:crypto');
    const { EDITIONS } = await import('./build.js');
    const root = resolve(import.meta.dirname, '..', '..');
    for (const e of EDITIONS) {
      const built = await buildPdf(readFileSync(resolve(root, e.input), 'utf8'), e.title);
      const committed = readFileSync(resolve(root, e.output));
      expect(createHash('sha256').update(built).digest('hex'), e.output).toBe(createHash('sha256').update(committed).digest('hex'));
    }
  }, 60_000);
});
