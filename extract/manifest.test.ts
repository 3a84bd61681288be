import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../core/index.js';
import { sha256 } from '../core/index.js';
import { MAX_INFERRED_TITLE, documentId, inferMetadata, readCorpus, readCorpusRecords } from './manifest.js';

describe('raw/ manifest', () => {
  it('reads the bundled corpus with every file listed and no warnings', async () => {
    const { documents, warnings } = await readCorpus(join(import.meta.dirname, '..', 'raw'));
    expect(documents.map((d) => d.record.file)).toEqual([
      'ons-dav-2020-11-appendix-accessible.xlsx',
      'ons-dav-2020-11-appendix.xlsx',
      'ons-dav-2020-11.txt',
      'ons-dav-2021-11.txt',
      'ons-dav-2023-11.txt',
      'safelives-insights-idva-2019-20.pdf',
      'safelives-insights-idva-2019-20.txt',
      'safelives-practitioner-survey-2019.pdf',
      'safelives-practitioner-survey-2019.txt',
    ]);
    const pdf = documents.find((d) => d.record.file === 'safelives-insights-idva-2019-20.pdf')!.record;
    const txt = documents.find((d) => d.record.file === 'safelives-insights-idva-2019-20.txt')!.record;
    expect(pdf.edition_of).toBe(txt.document_id);
    expect(txt.edition_of).toBeNull();
    expect(warnings).toEqual([]);
    expect(documents.every((d) => d.record.metadata_source === 'manifest')).toBe(true);
  });

  it('describes the corpus without its bytes as it does with them, each file read whole into one buffer used again', async () => {
    const raw = join(import.meta.dirname, '..', 'raw');
    const withBytes = await readCorpus(raw);
    expect(await readCorpusRecords(raw)).toEqual({ documents: withBytes.documents.map((d) => d.record), warnings: withBytes.warnings });
    // a file larger than the buffer, then a smaller one: each hashed from its own bytes only
    const dir = await mkdtemp(join(tmpdir(), 'davs-raw-'));
    const large = 'Line of a long text.\n'.repeat(100_000);
    await writeFile(join(dir, 'a.txt'), large);
    await writeFile(join(dir, 'b.txt'), 'Short.\n');
    const { documents } = await readCorpusRecords(dir);
    expect(documents.map((d) => [d.file, d.bytes, d.sha256])).toEqual([
      ['a.txt', large.length, sha256(large)],
      ['b.txt', 7, sha256('Short.\n')],
    ]);
  });

  it('still ingests a file with no entry, inferring what the document says, with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-raw-'));
    await writeFile(join(dir, 'new release.txt'), 'Article\n\nDomestic abuse victim services: 2024\n\nRelease date:\n27 November 2024\n\nSee ons.gov.uk.\n');
    const { documents, warnings } = await readCorpus(dir);
    expect(documents[0]!.record).toMatchObject({ title: 'Domestic abuse victim services: 2024', release_date: '2024-11-27', publisher: 'Office for National Statistics', metadata_source: 'inferred' });
    expect(documents[0]!.record.document_id).toMatch(/^new-release-[0-9a-f]{12}$/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('no entry');
  });

  it('names the file and the field when the manifest is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-raw-'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ schema_version: 1, documents: [{ file: 'a.txt', publisher: 'X', title: 'T', release_date: '25/11/2020', format: 'text' }] }));
    const error = await readCorpus(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain('manifest.json');
    expect((error as Error).message).toContain('release_date');
  });

  it("records a document's own period labels and reference period, normalised, and refuses a value that is not one period", async () => {
    const { documents } = await readCorpus(join(import.meta.dirname, '..', 'raw'));
    const insights = documents.find((d) => d.record.file === 'safelives-insights-idva-2019-20.txt')!.record;
    expect(insights).toMatchObject({ period_labels: { '2019': 'YE 2019-03', '2020': 'YE 2020-03' }, reference_period: 'YE 2020-03', geography: 'England and Wales' });
    const survey = documents.find((d) => d.record.file === 'safelives-practitioner-survey-2019.txt')!.record;
    expect(survey.reference_period).toBe('2019');
    const dir = await mkdtemp(join(tmpdir(), 'davs-raw-'));
    const entry = { file: 'a.txt', publisher: 'X', title: 'T', release_date: '2020-11-25', format: 'text', period_labels: { '2020': 'sometime in 2019 or 2020' } };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ schema_version: 1, documents: [entry] }));
    const error = await readCorpus(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain('period_labels');
  });

  it('derives ids from the file name and content', () => {
    expect(documentId('ONS DAV 2020.txt', 'ab'.repeat(32))).toBe('ons-dav-2020-abababababab');
    expect(inferMetadata('# Title here\n').title).toBe('Title here');
  });

  it('takes no title from a first line too long to be one', () => {
    const heading = 'x'.repeat(MAX_INFERRED_TITLE);
    expect(inferMetadata(`${heading}\nThe text.\n`).title).toBe(heading);
    expect(inferMetadata(`${heading}y. The text goes on in one line.\n`).title).toBeNull();
  });
});
