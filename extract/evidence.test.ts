/**
 * A document's evidence file (evidenceLines) read back (readEvidence): whole, the evidence as it was
 * made; with some tables named, those tables with exactly their cells and statuses, whatever their
 * ids hold.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceLines, evidenceOf, readEvidence, tableOfCell, type EvidenceExtraction } from './evidence.js';
import { extractDocument, readCorpus } from './index.js';

const RAW = join(import.meta.dirname, '..', 'raw');
const bytesOf = (x: EvidenceExtraction) => Buffer.from(evidenceLines(x).join('\n'), 'utf8');

describe('evidence file', () => {
  it('reads back a real document whole, and any of its tables with exactly their cells and statuses', async () => {
    const { documents } = await readCorpus(RAW);
    const text = documents.find((d) => d.record.file === 'safelives-insights-idva-2019-20.txt')!;
    const x = evidenceOf(await extractDocument(text.record, text.bytes, {}));
    expect(x.tables.length).toBeGreaterThan(10);
    const bytes = bytesOf(x);
    expect(readEvidence(bytes, 'all')).toEqual(x);
    const wanted = new Set([x.tables[3]!.table_id, x.tables[7]!.table_id]);
    const some = readEvidence(bytes, wanted);
    expect(some.tables.map((t) => t.table_id)).toEqual([...wanted]);
    expect(some.cells).toEqual(x.cells.filter((c) => wanted.has(c.table_id)));
    expect(some.statuses).toEqual(x.statuses.filter((c) => wanted.has(c.table_id)));
    expect(some.statements).toEqual(x.statements);
    expect(some.cells.length).toBeGreaterThan(0);
    // every cell's id names its table
    for (const c of x.cells) expect(tableOfCell(c.cell_id)).toBe(c.table_id);
    expect(readEvidence(bytes, new Set(['no such table'])).tables).toEqual([]);
  });

  it('tells tables apart by ids with tabs, newlines, quotes, backslashes and other scripts in them', () => {
    const ids = ['a\tb', 'a\nb', 'a"b', 'a\\b', '中:😀', 'a'];
    const x: EvidenceExtraction = {
      document: { file: 'f.txt' },
      tables: ids.map((id) => ({ table_id: id, title: `title\t${id}`, subtitle: null, locator: { kind: 'line', document: 'f.txt', line: 1 }, columns: [], rows: [], notes: [] })),
      cells: ids.map((id, i) => ({ cell_id: `${id}:r0c0`, table_id: id, row_index: 0, column_index: i, figure: { raw: `${i}\n` }, locator: { kind: 'line', document: 'f.txt', line: i + 1 } })),
      statuses: [],
      statements: [],
    };
    const bytes = bytesOf(x);
    expect(readEvidence(bytes, 'all')).toEqual(x);
    for (const id of ids) {
      const one = readEvidence(bytes, new Set([id]));
      expect(one.tables.map((t) => t.table_id)).toEqual([id]);
      expect(one.cells.map((c) => c.cell_id)).toEqual([`${id}:r0c0`]);
      expect(tableOfCell(one.cells[0]!.cell_id)).toBe(id);
    }
  });
});
