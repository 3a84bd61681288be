import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareEditionDigests, compareEditions, editionCellDigests, extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import { transformDocument } from '../transform/index.js';

/**
 * The text and PDF editions of each SafeLives report are one document in two formats: the PDF
 * path (positioned text → lines, cells, columns) must read the same tables, cell for cell.
 */
let byFile: Map<string, Extraction>;
beforeAll(async () => {
  const { documents } = await readCorpus(join(import.meta.dirname, '..', 'raw'));
  const wanted = documents.filter((d) => d.record.file.startsWith('safelives-'));
  byFile = new Map(await Promise.all(wanted.map(async (d) => [d.record.file, await extractDocument(d.record, d.bytes)] as const)));
}, 120_000);

describe('text and PDF editions agree', () => {
  for (const stem of ['safelives-insights-idva-2019-20', 'safelives-practitioner-survey-2019']) {
    it(`${stem}: at least 99% of cells, and the same tables`, () => {
      const text = byFile.get(`${stem}.txt`)!;
      const pdf = byFile.get(`${stem}.pdf`)!;
      const agreement = compareEditions(text, pdf);
      expect(agreement.differences).toEqual([]);
      expect(agreement.agreement).toBeGreaterThanOrEqual(0.99);
      expect(pdf.tables.map((t) => t.title)).toEqual(text.tables.map((t) => t.title));
      expect(pdf.document.edition_of).toBe(text.document.document_id);
    });
  }

  it("gives another edition's cells the areas a resolution against every measure gives them, and no observations", () => {
    for (const stem of ['safelives-insights-idva-2019-20', 'safelives-practitioner-survey-2019']) {
      const pdf = byFile.get(`${stem}.pdf`)!;
      const edition = transformDocument(pdf);
      const asPrimary = transformDocument({ ...pdf, document: { ...pdf.document, edition_of: null } });
      expect(edition.observations).toEqual([]);
      expect(asPrimary.observations.length).toBeGreaterThan(0);
      expect(edition.cell_geographies).toEqual(asPrimary.cell_geographies);
      expect(edition.cell_geographies.filter((g) => g.geography_code !== null).length, stem).toBeGreaterThan(0);
    }
  });

  it('the digests the pipeline compares give compareEditions\'s counts, also where cells differ or are missing', () => {
    const text = byFile.get('safelives-insights-idva-2019-20.txt')!;
    const pdf = byFile.get('safelives-insights-idva-2019-20.pdf')!;
    const counts = ({ differences: _, ...rest }: ReturnType<typeof compareEditions>) => rest;
    expect(compareEditionDigests(editionCellDigests(text), editionCellDigests(pdf))).toEqual(counts(compareEditions(text, pdf)));
    // one cell printed otherwise, a table's last cell missing
    const changed: Extraction = { ...pdf, cells: pdf.cells.slice(0, -1).map((c, i) => (i === 5 ? { ...c, figure: { ...c.figure, raw: `${c.figure.raw}0` } } : c)) };
    const expected = counts(compareEditions(text, changed));
    expect(expected.agreeing).toBe(text.cells.length - 2);
    expect(compareEditionDigests(editionCellDigests(text), editionCellDigests(changed))).toEqual(expected);
  });

  it('gives PDF cells page locators', () => {
    const pdf = byFile.get('safelives-insights-idva-2019-20.pdf')!;
    const cell = pdf.cells.find((c) => c.figure.raw === '2196')!;
    expect(cell.locator).toMatchObject({ kind: 'page', document: 'safelives-insights-idva-2019-20.pdf' });
    expect(cell.locator.kind === 'page' && cell.locator.page).toBeGreaterThan(1);
  });
});
