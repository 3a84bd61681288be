import { describe, expect, it } from 'vitest';
import { extractText } from '../extract/text/index.js';
import { withDocumentPeriods, type DocumentRecord, type Extraction } from '../extract/index.js';
import { EXTRACT_SCHEMA_VERSION } from '../extract/contracts.js';
import { MEASURES } from './measures.js';
import { observationsOf, resolveExtraction } from './observations.js';

const FILE = 'report.txt';
const ID = 'report-000000000000';

function record(over: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    document_id: ID,
    file: FILE,
    format: 'text',
    publisher: 'SafeLives',
    title: 'A report',
    release_date: '2020-06-01',
    release_date_precision: 'day',
    period_covered: null,
    sha256: '0'.repeat(64),
    bytes: 1,
    metadata_source: 'manifest',
    edition_of: null,
    release: 'report',
    reference_period: null,
    period_labels: {},
    geography: null,
    ...over,
  };
}

function extraction(text: string, document: DocumentRecord): Extraction {
  const read = withDocumentPeriods(extractText(text, FILE, ID), document.period_labels);
  return { schema_version: EXTRACT_SCHEMA_VERSION, document, ...read };
}

const INSIGHTS = [
  'Referral route\t2020\t\t2019',
  '\tCount\t%\t%',
  'Police\t861\t28%\t25%',
  'Self-referral\t300\t10%\t10%',
  '',
  'Referral route\t2020\t',
  '\tCount\t%',
  'Police\t11\t30%',
  '',
].join('\n');

describe('observations of breakdown measures (the Insights tables)', () => {
  const document = record({ title: 'Insights Idva dataset 2019-20', geography: 'England and Wales', period_labels: { '2019': 'YE 2019-03', '2020': 'YE 2020-03' } });

  it("keys each category by its table and labels, and reads the report's '2020' as its own reporting year", () => {
    const obs = observationsOf(extraction(INSIGHTS, document), MEASURES);
    const police = obs.filter((o) => o.measure_id === 'insights-cases' && o.period === 'YE 2020-03' && o.figure.raw === '861');
    expect(police).toHaveLength(1);
    expect(police[0]).toMatchObject({ geography: 'England and Wales', geography_code: 'K04000001' });
    expect(police[0]!.breakdown).toMatch(/^Referral route \(table \d+\) › (?:.+ › )?Police$/);
    expect(obs.some((o) => o.period === '2020' || o.period === '2019')).toBe(false);
  });

  it('tells apart two tables of one title by their ordinal, so no key holds two categories', () => {
    const obs = observationsOf(extraction(INSIGHTS, document), MEASURES);
    const keys = obs.map((o) => JSON.stringify([o.measure_id, o.period, o.geography, o.breakdown]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads the calendar year when the document does not define its labels', () => {
    const obs = observationsOf(extraction(INSIGHTS, record({ title: 'Insights Idva dataset 2019-20', geography: 'England and Wales' })), MEASURES);
    expect(obs.some((o) => o.period === '2020')).toBe(true);
  });
});

describe('periods and areas a figure does not state', () => {
  const SURVEY = [
    "SafeLives' survey of practitioners, England and Wales",
    '',
    'Table 1: Idva provision',
    '',
    'Region\tFTE Idvas',
    'North East\t41',
    'Wales\t76',
    '',
    'There were 980 FTE Idvas across England and Wales.',
    'In 2017 there were 897 FTE Idvas and the number has risen since.',
  ].join('\n');

  it("takes the document's reference period for a table or sentence that names none, never for a sentence that names another", () => {
    const x = extraction(SURVEY, record({ title: "SafeLives' survey of practitioners, England and Wales", reference_period: '2019' }));
    const obs = observationsOf(x, MEASURES).filter((o) => o.measure_id === 'idva-fte');
    expect(obs.map((o) => [o.geography, o.period, o.figure.raw])).toEqual(
      expect.arrayContaining([
        ['North East', '2019', '41'],
        ['Wales', '2019', '76'],
        ['England and Wales', '2019', '980'],
        ['England and Wales', '2017', '897'],
      ]),
    );
  });

  it('gives no area to a row whose labels another row of its table repeats (an area column davs did not read)', () => {
    const text = ['Table 3: Referrals of women to refuge services, England and Wales', '', '\tYear ending March 2019', 'Total referrals\t35,250', 'Total referrals\t2,156', ''].join('\n');
    const resolved = resolveExtraction(extraction(text, record({ title: 'Domestic abuse victim services, England and Wales' })), MEASURES).filter((r) => r.source_kind === 'cell');
    expect(resolved.map((r) => [r.measure?.measure.measure_id, r.geography])).toEqual([
      ['refuge-referrals', null],
      ['refuge-referrals', null],
    ]);
  });
});

describe("the document's title as a sentence's context", () => {
  it('is tested against each measure once per document, not once per sentence, with the same resolutions', () => {
    // the sentences do not name MARACs: only the title says what their cases are
    const title = 'MARAC statistics, England and Wales';
    const text = Array.from({ length: 40 }, (_, i) => `There were ${1000 + i} cases in the quarter.`).join(' ');
    const x = extraction(text, record({ title }));
    let titleTests = 0;
    class Counting extends RegExp {
      override test(s: string): boolean {
        if (s === title) titleTests++;
        return super.test(s);
      }
    }
    const counting = MEASURES.map((d) => ({ ...d, context: new Counting(d.context.source, d.context.flags) }));
    const resolved = resolveExtraction(x, counting);
    expect(x.statements.length).toBeGreaterThan(30);
    expect(titleTests).toBeGreaterThan(0);
    expect(titleTests).toBeLessThanOrEqual(MEASURES.length);
    const name = (rs: typeof resolved) => rs.map((r) => [r.source_id, r.measure?.measure.measure_id ?? null]);
    expect(name(resolved)).toEqual(name(resolveExtraction(x, MEASURES)));
    expect(resolved.filter((r) => r.measure?.measure.measure_id === 'marac-cases').length).toBeGreaterThan(30);
  });
});
