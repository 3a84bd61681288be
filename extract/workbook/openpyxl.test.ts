import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, buildSubjects, runChecks } from '../../checks/index.js';
import { measures, transform } from '../../transform/index.js';
import type { DocumentRecord, Extraction } from '../contracts.js';
import { extractDocument } from '../index.js';
import { documentId } from '../manifest.js';

/** Workbooks written by another program (openpyxl), in both styles, read as well as our own. */
const DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'workbooks');

async function read(file: string): Promise<Extraction> {
  const bytes = new Uint8Array(readFileSync(join(DIR, file)));
  const record: DocumentRecord = { document_id: documentId(file, '0'.repeat(64)), file, format: 'xlsx', publisher: 'test', title: file, release_date: null, release_date_precision: 'day', period_covered: null, sha256: '0'.repeat(64), bytes: bytes.byteLength, metadata_source: 'inferred', edition_of: null, reference_period: null, period_labels: {}, geography: null, release: file };
  return extractDocument(record, bytes);
}

describe('workbooks written by openpyxl', () => {
  it('old style: title rows, a merged header over the years, a number stored as text, notes below', async () => {
    const x = await read('openpyxl-old-style.xlsx');
    const [table] = x.tables;
    expect(table!.title).toMatch(/^Table 1: Domestic abuse victim services, by region/);
    expect(table!.columns.map((c) => c.header_path.join(' › '))).toEqual(['Year ending March › 2018', 'Year ending March › 2019', 'Year ending March › 2020']);
    const asText = x.cells.find((c) => c.locator.kind === 'cell' && c.locator.cell === 'C7')!;
    expect(asText.figure).toMatchObject({ raw: '1,234', value: 1234 });
    expect(table!.rows.find((r) => r.label === 'England and Wales')!.role).toBe('total');
    expect(table!.notes.map((n) => n.marker)).toEqual(expect.arrayContaining(['source', '1']));
    const r = runChecks(CHECKS, buildSubjects([x], transform([x]), measures()));
    const totals = r.summaries.find((s) => s.check === 'total-equals-sum')!;
    expect(totals).toMatchObject({ evaluated: 3, passed: 3 });
  });

  it('accessible style: title in A1, [note n] in headers linked to the Notes sheet, [x] and [c] kept as statuses', async () => {
    const x = await read('openpyxl-accessible.xlsx');
    const table = x.tables.find((t) => t.locator.kind === 'cell' && t.locator.sheet === 'Table_1')!;
    expect(table.title).toMatch(/^Table 1: /);
    expect(table.notes.map((n) => n.marker)).toEqual(expect.arrayContaining(['1', '2']));
    expect(x.statuses.map((s) => [s.raw, s.meaning, s.locator.kind === 'cell' ? s.locator.cell : ''])).toEqual(
      expect.arrayContaining([
        ['[c]', 'confidential', 'D6'],
        ['[x]', 'not available', 'D13'],
      ]),
    );
    const r = runChecks(CHECKS, buildSubjects([x], transform([x]), measures()));
    expect(r.summaries.find((s) => s.check === 'percent-sum-100')).toMatchObject({ evaluated: 10, passed: 10 });
  });
});
