import { describe, expect, it } from 'vitest';
import { CheckSummary, Finding, type Evidence } from '../contracts.js';
import { formatLocator, type Locator } from '../../core/locator.js';
import { renderHtml, renderMarkdown, type ReportInput } from './index.js';
import { clipText, oneLine, severityLabel } from './shared.js';
import { locateEvidence } from './evidence.js';
import { rawLinkBase } from './sources.js';
import type { ReportSeries, ReportTable } from './types.js';

const FILE = 'insights.txt';
const line = (n: number): Locator => ({ kind: 'line', document: FILE, line: n });

/** A question table: 2020 Count and %, a row per category, the base n over the columns; 30 rows, so it is cut down. */
const labels = ['Yes', 'No', "Don't know", 'Missing', ...Array.from({ length: 26 }, (_, i) => `Other answer ${i + 1}`)];
const table: ReportTable = {
  table_id: 'ins:t017',
  file: FILE,
  title: 'Has the client experienced an Adverse Childhood Experience (ACE)?',
  subtitle: null,
  locator: line(540),
  columns: [
    { index: 0, header_path: ['2020', 'Count'], base: '3074' },
    { index: 1, header_path: ['2020', '%'], base: '3074' },
    { index: 2, header_path: ['2019', '%'], base: '3754' },
  ],
  rows: labels.map((label, i) => ({ index: i, label_path: [label], role: 'category', locator: line(543 + i) })),
  cells: labels.flatMap((_, i) => [
    { row: i, column: 0, raw: String(100 + i), cell_id: `ins:t017:r${i}c0`, locator: line(543 + i) },
    { row: i, column: 1, raw: `${i}%`, cell_id: `ins:t017:r${i}c1`, locator: line(543 + i) },
    { row: i, column: 2, raw: `${i + 1}%`, cell_id: `ins:t017:r${i}c2`, locator: line(543 + i) },
  ]),
  notes: ['1 Figures may not add up to 100% because of rounding, which applies to every column of this table without exception.'],
};

const cellEvidence = (row: number, column: number, role: string): Evidence => {
  const cell = table.cells.find((c) => c.row === row && c.column === column)!;
  return { document: FILE, locator: cell.locator, where: formatLocator(cell.locator), excerpt: `${table.title} — ${labels[row]} × 2020 › Count: ${cell.raw}`, value: cell.raw, source_kind: 'cell', source_id: cell.cell_id, role };
};

const sumFinding: Finding = {
  id: 'count-sum-base:6e2015eccd9c',
  check: 'count-sum-base',
  severity: 'error',
  message: 'Has the client experienced an ACE?, column "2020 › Count": the counts add up to 406, 6 more than n = 400',
  expected: 'n = 400',
  actual: '406',
  tolerance: 'exact (counts are not rounded)',
  evidence: [
    { document: FILE, locator: line(540), where: `${FILE}:L540`, excerpt: `${table.title} — column "2020 › Count": n = 400`, value: '400', source_kind: null, source_id: null, role: 'base' },
    cellEvidence(0, 0, 'part'),
    cellEvidence(1, 0, 'part'),
    cellEvidence(2, 0, 'part'),
    cellEvidence(3, 0, 'part'),
  ],
};

const regions: ReportTable = {
  table_id: 'srv:t003',
  file: 'survey.pdf',
  title: 'Table 3: FTE Idvas in health settings',
  subtitle: null,
  locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 3 },
  columns: [{ index: 0, header_path: ['FTE'], base: null }],
  rows: [
    { index: 0, label_path: ['London'], role: 'category', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 5 } },
    { index: 1, label_path: ['Wales'], role: 'category', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 6 } },
    { index: 2, label_path: ['England and Wales'], role: 'total', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 7 } },
  ],
  cells: [
    { row: 0, column: 0, raw: '23.0', cell_id: 'srv:t003:r0c0', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 5 } },
    { row: 1, column: 0, raw: '3.5', cell_id: 'srv:t003:r1c0', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 6 } },
    { row: 2, column: 0, raw: '25.5', cell_id: 'srv:t003:r2c0', locator: { kind: 'page', document: 'survey.pdf', page: 12, line: 7 } },
  ],
  notes: [],
};

const totalFinding: Finding = {
  id: 'total-equals-sum:06245acb6f9c',
  check: 'total-equals-sum',
  severity: 'warning',
  message: 'Table 3, column "FTE": the total 25.5 differs from the sum of its 2 components, 26.5',
  expected: '26.5',
  actual: '25.5',
  tolerance: '± 0.15',
  evidence: regions.cells.map((c, i) => ({ document: 'survey.pdf', locator: c.locator, where: formatLocator(c.locator), excerpt: `Table 3 — ${regions.rows[i]!.label_path[0]} × FTE: ${c.raw}`, value: c.raw, source_kind: 'cell' as const, source_id: c.cell_id, role: i === 2 ? 'total' : 'part' })),
};

const xlsx: Locator = { kind: 'cell', document: 'app.xlsx', sheet: 'Table 2', cell: 'D6' };
const sentence = 'In the 12-month period up to March 2019, 93,892 cases were discussed at Marac in England and Wales, an increase of 7% from the same time period in 2017/18.';
const changeFinding: Finding = {
  id: 'change-on-earlier:5dc81b668325',
  check: 'change-on-earlier',
  severity: 'warning',
  message: 'Cases discussed at MARACs, YE 2019-03: "increase of 7%" to 93,892, but against 88,461 gives 6.1%',
  expected: '6.1%',
  actual: '+7%',
  tolerance: '± 0.5',
  evidence: [
    { document: 'app.xlsx', locator: xlsx, where: formatLocator(xlsx), excerpt: 'Table 2 — Number of cases discussed × 2018: 88,461', value: '88,461', source_kind: 'cell', source_id: 'app:t002:r1c0', role: 'earlier' },
    { document: 'survey.txt', locator: { kind: 'line', document: 'survey.txt', line: 651 }, where: 'survey.txt:L651', excerpt: sentence, value: '93,892', source_kind: 'statement', source_id: 'srv:s651', role: 'stated' },
  ],
};

const series: ReportSeries = {
  measure_id: 'marac-cases',
  measure: 'Cases discussed at MARACs',
  geography: 'England and Wales',
  breakdown: '',
  unit: 'count',
  points: [
    { period: 'YE 2018-03', release: 'ons-2020', release_date: '2020-11-25', value: 88461, raw: '88,461', locator: xlsx, places: 3, involved: true },
    { period: 'YE 2019-03', release: 'survey-2019', release_date: '2019-06-01', value: 93892, raw: '93,892', locator: { kind: 'line', document: 'survey.txt', line: 651 }, places: 1, involved: true },
    { period: 'YE 2019-03', release: 'ons-2020', release_date: '2020-11-25', value: 93892, raw: '93,892', locator: xlsx, places: 3, involved: false },
    { period: 'YE 2020-03', release: 'ons-2020', release_date: '2020-11-25', value: 99447, raw: '99,447', locator: xlsx, places: 7, involved: false },
    { period: 'YE 2020-03', release: 'ons-2021', release_date: '2021-11-24', value: 99966, raw: '99,966', locator: xlsx, places: 1, involved: false },
  ],
};

/** A percentage distribution whose check was downgraded: declared error, raised warnings only. */
const pctFinding: Finding = {
  id: 'percent-sum-100:b809736f25c8',
  check: 'percent-sum-100',
  severity: 'warning',
  message: 'Table 3b, column "2018": the 3 percentages add up to 98%',
  expected: '100%',
  actual: '98%',
  tolerance: '± 1.5',
  evidence: [cellEvidence(0, 1, 'part'), cellEvidence(5, 1, 'part'), cellEvidence(29, 1, 'part')],
};

const longWords = 'Which agencies do you feel have made the difference to your safety and wellbeing, and which of them did the client contact first after the incident that led to the referral — a question asked at intake and again at exit, whose answers are';
const cutExcerpt = `${longWords} recorded by the Idva on the case management system for every case that closed in the year, including thos`.slice(0, 296) + '…'; // '… system for ev…': cut inside a word, as checks/run.ts cuts at 300
const proseFinding: Finding = {
  id: 'prose-share:222222222222',
  check: 'prose-share',
  severity: 'warning',
  message: 'A share in prose',
  expected: '28%',
  actual: '30%',
  tolerance: '± 1',
  evidence: [{ document: FILE, locator: line(10), where: `${FILE}:L10`, excerpt: cutExcerpt, value: '30%', source_kind: null, source_id: null, role: 'stated' }],
};

const summaries: CheckSummary[] = [
  { check: 'percent-sum-100', title: 'Percentages sum to 100', severity: 'error', evaluated: 20, passed: 18, failed: 2, undecided: 0, crashed: 0, crashes: [] },
  { check: 'count-sum-base', title: 'Counts add up to n', severity: 'error', evaluated: 9, passed: 8, failed: 1, undecided: 0, crashed: 0, crashes: [] },
  { check: 'total-equals-sum', title: 'Totals', severity: 'error', evaluated: 4, passed: 3, failed: 1, undecided: 0, crashed: 0, crashes: [] },
  { check: 'inferred-base', title: 'Common base', severity: 'error', evaluated: 4, passed: 4, failed: 0, undecided: 0, crashed: 0, crashes: [] },
];

const RAW = '../../../raw/';
const input: ReportInput = {
  title: 'davs report',
  corpus: [{ file: FILE, title: 'Insights', publisher: 'SafeLives', release_date: '2020' }],
  problems: [],
  findings: [sumFinding, totalFinding, changeFinding, pctFinding, proseFinding],
  summaries,
  tables: { [table.table_id]: table, [regions.table_id]: regions },
  statements: { 'srv:s651': { statement_id: 'srv:s651', sentence_id: 'srv:sent651', sentence, offset: sentence.indexOf('93,892'), raw: '93,892', locator: { kind: 'line', document: 'survey.txt', line: 651 } } },
  series: { [changeFinding.id]: [series] },
  rawBase: RAW,
};

function card(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  expect(at).toBeGreaterThan(0);
  return html.slice(at, html.indexOf('</article>', at));
}

describe('fixtures', () => {
  it('are valid contract objects', () => {
    for (const f of input.findings) expect(() => Finding.parse(f)).not.toThrow();
    for (const s of summaries) expect(() => CheckSummary.parse(s)).not.toThrow();
  });
});

describe('evidence as printed', () => {
  const html = renderHtml(input);

  it('renders the table as printed, with caption, header scopes and the involved cells marked', () => {
    const c = card(html, sumFinding.id);
    expect(c).toContain('<table class="asprinted">');
    expect(c).toMatch(/<caption>Has the client experienced an Adverse Childhood Experience \(ACE\)\?/);
    expect(c).toContain('<th scope="colgroup" colspan="2">2020</th>');
    expect(c).toContain('<th scope="col" class="hitcol">Count<br><span class="base">n = 3074</span></th>');
    expect(c).toContain('<th scope="row">Yes</th><td class="n hit"><mark>100</mark>');
    expect(c).toContain('<th scope="row">Missing</th><td class="n hit"><mark>103</mark>');
    // uninvolved cells are printed as they are, not marked
    expect(c).toContain('<td class="n">0%</td>');
    expect(c.match(/<td class="n hit">/g)).toHaveLength(4);
    // the parts added up, with what the finding expects them to make
    expect(c).toContain('<td class="n sum">406 <span class="exp">expected n = 400</span></td>');
  });

  it('limits a big table to the rows involved and their neighbours, saying what is left out', () => {
    const c = card(html, sumFinding.id);
    expect(c).toContain('showing the 5 of 30 rows involved');
    expect(c).toContain('<th scope="row">Other answer 1</th>');
    expect(c).not.toContain('Other answer 2<');
    expect(c).toContain('⋯ 25 rows not shown');
  });

  it('puts the expected value beside the printed total', () => {
    const c = card(html, totalFinding.id);
    expect(c).toContain('<tr class="total"><th scope="row">England and Wales</th><td class="n hit"><mark>25.5</mark> <span class="exp">expected 26.5</span>');
    expect(c).toContain('<td class="n sum">26.5</td>');
  });

  it('shows a prose finding as its sentence with the number marked', () => {
    const c = card(html, changeFinding.id);
    expect(c).toContain('<blockquote class="prose"><p>In the 12-month period up to March 2019, <mark>93,892</mark> cases were discussed');
  });
});

describe('locators as links', () => {
  const html = renderHtml(input);

  it('link text files at the line, PDFs at the page and workbooks to the file naming sheet and cell', () => {
    expect(html).toContain(`<a class="src" href="${RAW}insights.txt#L543"`);
    expect(html).toContain(`<a class="src" href="${RAW}survey.pdf#page=12"`);
    expect(html).toContain(`<a class="src" href="${RAW}app.xlsx" title="open app.xlsx; go to sheet Table 2, cell D6"><code class="where">app.xlsx!Table 2!D6</code> <span class="cellref">(sheet Table 2, cell D6)</span></a>`);
  });

  it('links nowhere but the raw folder and the page itself', () => {
    for (const [, href] of html.matchAll(/\bhref="([^"]*)"/g)) expect(href!.startsWith(RAW) || href!.startsWith('#')).toBe(true);
    expect(html).not.toMatch(/\bsrc\s*=|https?:\/\/|<link\b|@import|url\(/i);
  });

  it('gives raw/ relative to reports/latest, which runs/<id> shares', () => {
    expect(rawLinkBase('/srv/davs/warehouse/reports/latest', '/srv/davs/raw')).toBe('../../../raw/');
    expect(rawLinkBase('/srv/davs/warehouse/reports/latest', '/srv/davs/raw data')).toBe('../../../raw%20data/');
  });
});

describe('pictures', () => {
  const html = renderHtml(input);

  it('draws a revision chart with a text alternative and the same figures as a table', () => {
    const c = card(html, changeFinding.id);
    expect(c).toMatch(/<svg class="chart"[^>]* role="img" aria-labelledby="fig-change-on-earlier-5dc81b668325-s0-t fig-change-on-earlier-5dc81b668325-s0-d">/);
    expect(c).toContain('<title id="fig-change-on-earlier-5dc81b668325-s0-t">Every release&#39;s value of Cases discussed at MARACs, England and Wales, by period</title>');
    expect(c).toContain('3 periods, YE 2018-03 to YE 2020-03, 3 releases; 2 values this finding is about ringed in red: YE 2018-03 88,461 (ons-2020); YE 2019-03 93,892 (survey-2019)');
    expect(c).toContain('<table class="series">');
    expect(c).toContain('<tr><th scope="row">YE 2020-03</th><td class="n">—</td><td class="n">99,447 <span class="meta">×7</span></td><td class="n">99,966</td></tr>');
    expect(c.match(/stroke="#b42318"/g)).toHaveLength(2 + 1); // two ringed values and the legend's ring
  });

  it('draws percentage findings as a bar to 100% with a text alternative', () => {
    const c = card(html, sumFinding.id);
    expect(c).toMatch(/<svg class="chart bar"[^>]* role="img" aria-labelledby="[^"]+-b0-t [^"]+-b0-d">/);
    expect(c).toContain('4 parts as shares of n = 400 add up to 101.5%, 1.5 points over 100% (406 of n = 400)');
    const p = card(html, pctFinding.id);
    expect(p).toContain('3 parts add up to 34%, 66 points short of 100%');
    expect(p).toContain('<table class="parts">');
  });

  it('are byte-stable: same input, same bytes, whatever the order of the input', () => {
    const again = renderHtml({ ...input, findings: [...input.findings].reverse(), summaries: [...summaries].reverse(), tables: { [regions.table_id]: regions, [table.table_id]: table } });
    expect(again).toBe(html);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(3);
    for (const svg of svgs) expect(svg).not.toMatch(/NaN|Infinity|undefined|\de[+-]\d/);
  });
});

describe('a page people can use', () => {
  const html = renderHtml(input);
  const md = renderMarkdown(input);

  it('labels each check with what it raised, not only what it is declared as', () => {
    expect(severityLabel(summaries[0]!, { error: 0, warning: 2, info: 0 })).toBe('error (raised: 0 errors, 2 warnings)');
    expect(severityLabel(summaries[3]!, undefined)).toBe('error');
    expect(html).toContain('<span class="sev error">error</span> <span class="raised">(raised: 0 errors, 1 warning)</span>');
    expect(html).toContain('<tr><th scope="row"><code>inferred-base</code><br><span class="title">Common base</span></th><td><span class="sev error">error</span></td>');
    expect(md).toContain('| `percent-sum-100` Percentages sum to 100 | error (raised: 0 errors, 1 warning) |');
    expect(md).toContain('| `count-sum-base` Counts add up to n | error (raised: 1 error, 0 warnings) |');
  });

  it('gives every table a caption and its headers a scope', () => {
    const tables = html.match(/<table\b[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(5);
    for (const tb of tables) {
      expect(tb).toMatch(/^<table[^>]*>\s*<caption>/);
      for (const th of tb.match(/<th\b[^>]*>/g) ?? []) expect(th).toMatch(/scope="(?:col|row|colgroup)"/);
    }
  });

  it('has a live count for the filters', () => {
    expect(html).toContain('<output id="shown" aria-live="polite"></output>');
    expect(html).toContain("'Showing ' + shown + ' of ' + cards.length");
  });

  it('prints the findings, not the chrome', () => {
    const print = html.slice(html.lastIndexOf('@media print{'));
    expect(print).toContain('#filters');
    expect(print).toMatch(/\*\{position:static!important\}/);
    expect(print).toMatch(/overflow-wrap:anywhere/);
    expect(print).toMatch(/\.print-only\{display:inline!important\}/);
  });

  it('oneLine collapses whitespace as replace(/\\s+/g, " ").trim() does, text already on one line included', () => {
    const pieces = ['a', 'bc', ' ', '  ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', 'é', '…', '12,3'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: next() % 8 }, () => pieces[next() % pieces.length]).join('');
      expect(oneLine(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it('cuts no excerpt mid-word, and keeps the full text', () => {
    expect(clipText('alpha beta gamma delta', 13)).toEqual({ text: 'alpha beta…', clipped: true });
    expect(clipText('short enough', 40)).toEqual({ text: 'short enough', clipped: false });
    // a check cut it at 300 characters inside a word: back to the last whole word
    expect(cutExcerpt.endsWith(' for ev…')).toBe(true);
    expect(clipText(cutExcerpt, 300).text.endsWith(' system for…')).toBe(true);
    const c = card(html, proseFinding.id);
    const shown = /<span class="clip">([^<]*)<\/span>/.exec(c)?.[1] ?? '';
    expect(shown.endsWith('…')).toBe(true);
    const words = new Set(cutExcerpt.replace('…', '').split(/\s+/));
    const lastWord = shown.slice(0, -1).split(/\s+/).pop()!;
    expect(words.has(lastWord)).toBe(true);
    expect(c).toContain('<details class="full noprint"><summary>full text</summary>');
    expect(c).toContain('<span class="print-only">');
    expect(c).not.toContain('for ev…');
    expect(c).toContain('system for…</details>');
    // every clipped text on the page ends on a whole word of its full text
    for (const m of html.matchAll(/<span class="clip">([^<]*)…<\/span><details class="full noprint"><summary>full text<\/summary>([^<]*)<\/details>/g)) {
      const [, head, full] = m;
      expect(full!.startsWith(head!)).toBe(true);
      expect(/[\s,;:.—–-]|$/.test(full!.charAt(head!.length)) || full!.charAt(head!.length) === '' || /\s/.test(full!.charAt(head!.length))).toBe(true);
    }
    expect(md).not.toContain('for ev…');
    expect(md).toContain('system for…');
  });
});

describe('evidence without a source id', () => {
  it('is found in its table by place and value, the excerpt telling apart two cells of one line that print the same', () => {
    const t2: ReportTable = {
      table_id: 'ins:t020',
      file: FILE,
      title: 'Abuse experienced',
      subtitle: null,
      locator: line(600),
      columns: [
        { index: 0, header_path: ['2020', '%'], base: null },
        { index: 1, header_path: ['2019', '%'], base: null },
      ],
      rows: [{ index: 0, label_path: ['Jealous and controlling'], role: 'category', locator: line(607) }],
      cells: [
        { row: 0, column: 0, raw: '79%', cell_id: 'ins:t020:r0c0', locator: line(607) },
        { row: 0, column: 1, raw: '79%', cell_id: 'ins:t020:r0c1', locator: line(607) },
      ],
      notes: [],
    };
    const f: Finding = {
      id: 'repeated-run:0af87191b86a',
      check: 'repeated-run',
      severity: 'warning',
      message: 'a run repeated',
      expected: 'values of their own',
      actual: '79%',
      tolerance: 'exact',
      evidence: [{ document: FILE, locator: line(607), where: `${FILE}:L607`, excerpt: 'Abuse experienced — Jealous and controlling × 2019 › %: 79%', value: '79%', source_kind: null, source_id: null, role: null }],
    };
    const html = renderHtml({ ...input, findings: [f], tables: { [t2.table_id]: t2 } });
    expect(html).toContain('<th scope="row">Jealous and controlling</th><td class="n">79%</td><td class="n hit"><mark>79%</mark></td>');
  });
});

describe('finding the evidence cells', () => {
  it('places a finding the report does not list as it places the ones it does', () => {
    // a copy of a finding is not one the report lists
    for (const f of input.findings) {
      const hits = locateEvidence(f, input);
      expect(hits).toEqual(locateEvidence({ ...f }, input));
      expect(hits.some((h) => h !== null)).toBe(f !== proseFinding && f !== changeFinding);
    }
    // the sum finding's cells and its base (by place, no source), asked for by a report that lists another finding only
    const other = { ...input, findings: [totalFinding] };
    expect(locateEvidence(sumFinding, other)).toEqual(locateEvidence(sumFinding, input));
    expect(locateEvidence(sumFinding, other).filter((h) => h !== null).length).toBe(sumFinding.evidence.filter((e) => e.source_kind === 'cell').length);
  });
});

describe('evidence as printed, a document at a time', () => {
  /** input's tables and statements as parts by document, as the report stage's shelf gives them (documents as the evidence names them). */
  const shelf = (documentOf: (file: string) => string) => {
    const read: string[] = [];
    return {
      read,
      of(documentId: string) {
        read.push(documentId);
        const tables = Object.fromEntries(Object.entries(input.tables!).filter(([, t]) => documentOf(t.file) === documentId));
        const statements = Object.fromEntries(Object.entries(input.statements!).filter(([, st]) => documentOf(st.locator.document) === documentId));
        return Object.keys(tables).length + Object.keys(statements).length === 0 ? null : { tables, statements };
      },
    };
  };
  const { tables: _tables, statements: _statements, ...bare } = input;

  it('shows the same report as every table and sentence at once', () => {
    const parts = shelf((file) => file);
    const html = renderHtml({ ...bare, evidence: parts });
    expect(html).toBe(renderHtml(input));
    expect(html).toContain('class="asprinted"');
    expect(html).toContain('<blockquote class="prose">');
    // each document asked for by name, and only those with evidence
    expect(new Set(parts.read)).toEqual(new Set(input.findings.flatMap((f) => f.evidence.map((e) => e.document))));
  });

  it("looks a finding's evidence up in its own check's part of each document", () => {
    // parts by document and check, as the report stage's shelf files them: each holds what that check's findings there rest on
    const byCheck = (checkOf: (check: string) => string) => {
      const asked: string[] = [];
      const parts = shelf((file) => file);
      return {
        asked,
        of(documentId: string, check: string) {
          asked.push(check);
          const part = parts.of(documentId);
          if (part === null) return null;
          const evidence = input.findings.filter((f) => checkOf(f.check) === check).flatMap((f) => f.evidence);
          const tables = Object.fromEntries(Object.entries(part.tables).filter(([, t]) => evidence.some((e) => e.source_kind === 'cell' ? t.cells.some((c) => c.cell_id === e.source_id) : e.source_kind === null && t.file === e.document)));
          const statements = Object.fromEntries(Object.entries(part.statements).filter(([id]) => evidence.some((e) => e.source_id === id)));
          return { tables, statements };
        },
      };
    };
    const own = byCheck((check) => check);
    expect(renderHtml({ ...bare, evidence: own })).toBe(renderHtml(input));
    expect(new Set(own.asked)).toEqual(new Set(input.findings.filter((f) => f.evidence.length > 0).map((f) => f.check)));
    // every check's evidence filed under another check: nothing is shown as printed
    const html = renderHtml({ ...bare, evidence: byCheck((check) => `not-${check}`) });
    expect(html).not.toContain('class="asprinted"');
    expect(html).not.toContain('<blockquote class="prose">');
  });

  it("looks a piece of evidence up in its own document's part only", () => {
    // every table and sentence filed under another document: nothing is shown as printed
    const html = renderHtml({ ...bare, evidence: shelf((file) => `not-${file}`) });
    expect(html).not.toContain('class="asprinted"');
    expect(html).not.toContain('<blockquote class="prose">');
    expect(locateEvidence(sumFinding, { ...bare, evidence: shelf((file) => `not-${file}`) }).every((h) => h === null)).toBe(true);
  });
});
