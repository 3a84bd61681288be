import { describe, expect, it } from 'vitest';
import type { PdfItem, PdfPage } from './contracts.js';
import { rebuildLines } from './layout.js';

/** A text item as pdfjs reports it, 10 pt, glyphs 5 pt wide unless said. */
function item(str: string, x: number, y: number, glyph = 5): PdfItem {
  return { str, x, y, width: glyph * str.length, size: 10, horizontal: true };
}

const page = (items: PdfItem[]): PdfPage => ({ page: 1, width: 600, height: 800, items });

describe('PDF layout: cells of a table', () => {
  it('reads an item that holds several figures (a bold totals row set as one run) as that many cells', () => {
    const table = [
      item('Force', 50, 700),
      item('Arc', 200, 700, 3),
      item('Red', 220, 700, 3),
      item('Aim', 245, 700, 3),
      item('Avon', 50, 688),
      item('29', 200, 688),
      item('145', 220, 688),
      item('18', 245, 688),
      item('Total', 50, 676),
      // drawn as one item: its figures fall under Arc, Red and Aim
      item('70 1623 138', 200, 676),
    ];
    expect(rebuildLines([page(table)]).map((l) => l.text)).toEqual(['Force\tArc\tRed\tAim', 'Avon\t29\t145\t18', 'Total\t70\t1623\t138']);
  });

  it('keeps an item of words with figures in it whole', () => {
    const lines = rebuildLines([page([item('Age', 50, 700), item('Count', 200, 700), item('Aged 16 to 24', 50, 688), item('12', 200, 688), item('n= 3074 3754', 50, 676), item('9', 200, 676)])]);
    expect(lines.map((l) => l.text)).toEqual(['Age\tCount', 'Aged 16 to 24\t12', 'n= 3074 3754\t9']);
  });
});
