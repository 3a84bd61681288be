import { describe, expect, it } from 'vitest';
import { Finding, CheckSummary } from '../contracts.js';
import { renderHtml, renderMarkdown, type ReportInput } from './index.js';

const error: Finding = {
  id: 'percent-sum-100:0123456789ab',
  check: 'percent-sum-100',
  severity: 'error',
  message: 'Percentages in table 3 sum to 97.0, not 100',
  expected: '100',
  actual: '97.0',
  tolerance: '±0.5 (3 parts at 1 dp)',
  evidence: [
    {
      document: 'ons-dav-2020-11.txt',
      locator: { kind: 'line', document: 'ons-dav-2020-11.txt', line: 129 },
      where: 'ons-dav-2020-11.txt:L129',
      excerpt: 'Female victims | 73.0% <script>alert("x")</script>\nnext line',
      value: '73.0%',
      source_kind: 'cell',
      source_id: 'ons-dav-2020-11:t3:r0c1',
      role: 'part',
    },
    {
      document: 'ons-dav-2020-11.txt',
      locator: { kind: 'line', document: 'ons-dav-2020-11.txt', line: 130 },
      where: 'ons-dav-2020-11.txt:L130',
      excerpt: "Male victims 24.0% (O'Brien & co)",
      value: '24.0%',
      source_kind: 'cell',
      source_id: 'ons-dav-2020-11:t3:r1c1',
      role: 'part',
    },
  ],
};

const warning: Finding = {
  id: 'total-matches-parts:abcdefabcdef',
  check: 'total-matches-parts',
  severity: 'warning',
  message: 'Total of IDVA caseload differs from the sum of regions',
  expected: '2,156',
  actual: '2,150',
  tolerance: '0',
  evidence: [
    {
      document: 'safelives-insights-2021.pdf',
      locator: { kind: 'page', document: 'safelives-insights-2021.pdf', page: 12, line: 3 },
      where: 'safelives-insights-2021.pdf#p12:L3',
      excerpt: 'Total cases 2,156',
      value: '2,156',
      source_kind: 'statement',
      source_id: 'safelives-insights-2021:s12',
      role: null,
    },
  ],
};

const info: Finding = {
  id: 'release-date-plausible:111111111111',
  check: 'release-date-plausible',
  severity: 'info',
  message: 'Release date is a weekend',
  expected: 'a weekday',
  actual: 'Saturday',
  tolerance: 'none',
  evidence: [
    {
      document: 'app.xlsx',
      locator: { kind: 'cell', document: 'app.xlsx', sheet: 'T15a', cell: 'C7' },
      where: 'app.xlsx!T15a!C7',
      excerpt: '',
      value: null,
      source_kind: null,
      source_id: null,
      role: null,
    },
  ],
};

const summaries: CheckSummary[] = [
  {
    check: 'total-matches-parts',
    title: 'Totals match their parts',
    severity: 'warning',
    evaluated: 10,
    passed: 8,
    failed: 1,
    undecided: 1,
    crashed: 0,
    crashes: [],
  },
  {
    check: 'percent-sum-100',
    title: 'Percentages sum to 100',
    severity: 'error',
    evaluated: 5,
    passed: 3,
    failed: 1,
    undecided: 0,
    crashed: 1,
    crashes: ['TypeError: boom | bad'],
  },
];

const input: ReportInput = {
  title: 'DAVS discrepancy report',
  corpus: [
    { file: 'safelives-insights-2021.pdf', title: 'Insights IDVA dataset', publisher: 'SafeLives', release_date: '2021-03-01' },
    { file: 'ons-dav-2020-11.txt', title: 'Domestic abuse victim services | England and Wales', publisher: 'ONS', release_date: null },
    { file: 'app.xlsx', title: 'Appendix tables', publisher: 'ONS', release_date: '2020-11-25' },
  ],
  problems: [{ file: 'broken.pdf', kind: 'failed', severity: 'error', stage: 'extract', message: 'pdf: bad xref\ntable' }],
  // deliberately not in severity order
  findings: [info, warning, error],
  summaries,
  describe: {
    'percent-sum-100': 'Shares of one whole published in a table add up to 100% within rounding.',
    'total-matches-parts': 'A published total equals the sum of its published parts.',
  },
};

const empty: ReportInput = { title: 'Empty run', corpus: input.corpus, problems: [], findings: [], summaries };

describe('fixtures', () => {
  it('are valid contract objects', () => {
    for (const f of [error, warning, info]) expect(() => Finding.parse(f)).not.toThrow();
    for (const s of summaries) expect(() => CheckSummary.parse(s)).not.toThrow();
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(input);

  it('has the title, summary line and sections in order', () => {
    expect(md.startsWith('# DAVS discrepancy report\n')).toBe(true);
    expect(md).toContain('1 error, 1 warning, 1 info over 3 documents (1 document problem, 1 failed).');
    const order = ['## Documents', '## Document problems', '## Checks', '## Errors (1)', '## Warnings (1)', '## Info (1)'];
    const at = order.map((h) => md.indexOf(`\n${h}\n`));
    for (const i of at) expect(i).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('lists errors before warnings before info', () => {
    const e = md.indexOf('### error: Percentages in table 3');
    const w = md.indexOf('### warning: Total of IDVA caseload');
    const i = md.indexOf('### info: Release date is a weekend');
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(w);
    expect(w).toBeLessThan(i);
  });

  it('shows id, check, expected, actual, tolerance and every evidence where', () => {
    expect(md).toContain('- id: `percent-sum-100:0123456789ab`');
    expect(md).toContain('- check: `percent-sum-100`');
    expect(md).toContain('- expected: 100');
    expect(md).toContain('- actual: 97.0');
    expect(md).toContain('- tolerance: ±0.5 (3 parts at 1 dp)');
    for (const f of [error, warning, info]) for (const e of f.evidence) expect(md).toContain(e.where);
    expect(md).toContain('- `ons-dav-2020-11.txt:L130` — part — value 24.0% — “Male victims 24.0% (O\'Brien & co)”');
  });

  it('keeps tables and lists intact: pipes escaped, excerpt newlines collapsed', () => {
    expect(md).toContain('Domestic abuse victim services \\| England and Wales');
    expect(md).toContain('pdf: bad xref table');
    const evidenceLine = md.split('\n').find((l) => l.includes('ons-dav-2020-11.txt:L129'));
    expect(evidenceLine).toBeDefined();
    expect(evidenceLine).toContain('next line');
    expect(evidenceLine).toContain('\\<script\\>');
    // every table row has the same number of unescaped cell separators as its header
    const checksTable = md.split('\n').filter((l) => l.startsWith('| ') && l.includes('Percentages sum to 100'));
    expect(checksTable).toHaveLength(1);
    expect(checksTable[0]!.replace(/\\\|/g, '').split('|').length).toBe(10);
  });

  it('has a checks table with counts and descriptions', () => {
    expect(md).toContain('| Check | Severity | What it tests | Evaluated | Passed | Failed | Undecided | Crashed |');
    expect(md).toContain('A published total equals the sum of its published parts.');
    expect(md).toContain('| 10 | 8 | 1 | 1 | 0 |');
    expect(md).toContain('TypeError: boom \\| bad');
  });

  it('is deterministic and independent of input order', () => {
    expect(renderMarkdown(input)).toBe(md);
    const shuffled = { ...input, findings: [error, info, warning], summaries: [...summaries].reverse(), corpus: [...input.corpus].reverse() };
    expect(renderMarkdown(shuffled)).toBe(md);
  });

  it('says so when there are no findings', () => {
    const out = renderMarkdown(empty);
    expect(out).toContain('No findings.');
    expect(out).not.toContain('## Document problems');
    expect(out).toContain('0 errors, 0 warnings, 0 info over 3 documents.');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(input);

  it('is a complete HTML5 document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('escapes a <script> in an excerpt and other special characters', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('O&#39;Brien &amp; co');
    // only the one inline script of the page itself
    expect(html.match(/<script\b/g)).toHaveLength(1);
  });

  it('loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('contains each finding id, card per finding with severity, and every where in monospace', () => {
    for (const f of [error, warning, info]) {
      expect(html).toContain(`<code class="fid">${f.id}</code>`);
      expect(html).toContain(`data-severity="${f.severity}" data-check="${f.check}"`);
      for (const e of f.evidence) expect(html).toContain(`<code class="where">${e.where}</code>`);
    }
    expect(html.match(/<article class="finding /g)).toHaveLength(3);
    const e = html.indexOf(`id="${error.id}"`);
    const w = html.indexOf(`id="${warning.id}"`);
    const i = html.indexOf(`id="${info.id}"`);
    expect(e).toBeLessThan(w);
    expect(w).toBeLessThan(i);
  });

  it('has a filter bar hidden until JS runs, and no hidden cards without JS', () => {
    expect(html).toContain('<form id="filters" hidden');
    for (const s of ['error', 'warning', 'info']) expect(html).toContain(`data-sev="${s}" checked`);
    expect(html).toContain('<option value="percent-sum-100">percent-sum-100</option>');
    expect(html).toContain('type="search"');
    expect(html).not.toMatch(/<article[^>]*\bhidden\b/);
  });

  it('shows badges, documents, document problems and checks', () => {
    expect(html).toContain('<span class="badge error">1 error</span>');
    expect(html).toContain('<span class="badge docs">3 documents</span>');
    expect(html).toContain('Document problems');
    expect(html).toContain('Domestic abuse victim services | England and Wales');
    expect(html).toContain('Shares of one whole published in a table add up to 100% within rounding.');
  });

  it('is deterministic and independent of input order', () => {
    expect(renderHtml(input)).toBe(html);
    const shuffled = { ...input, findings: [warning, error, info], summaries: [...summaries].reverse() };
    expect(renderHtml(shuffled)).toBe(html);
  });

  it('says so when there are no findings', () => {
    const out = renderHtml(empty);
    expect(out).toContain('No findings.');
    expect(out).not.toContain('<article');
    expect(out).not.toContain('Document problems');
  });
});
