import { describe, expect, it } from 'vitest';
import { lineLocator } from '../../core/index.js';
import { extractTextStatements, plainProse, splitSentences } from './statements.js';
import { sectionsByLine } from './sections.js';

function statementsOf(text: string) {
  const lines = text.split('\n');
  return extractTextStatements({ lines, documentId: 'doc-000000000000', sections: sectionsByLine(lines), locate: (i) => lineLocator('doc.txt', i + 1) });
}

describe('prose statements', () => {
  it('takes every number of a sentence with its unit, period and line', () => {
    const s = statementsOf('Intro\n\nIn the year ending March 2020 the helpline had 29,166 phone calls, a 14% decrease from 33,853 calls in the previous year.\n');
    expect(s.map((x) => [x.figure.raw, x.figure.value, x.figure.unit, x.period])).toEqual([
      ['29,166', 29166, 'count', 'YE 2020-03'],
      ['14%', 14, 'percent', 'YE 2020-03'],
      ['33,853', 33853, 'count', 'YE 2020-03'],
    ]);
    expect(s[0]!.locator).toEqual({ kind: 'line', document: 'doc.txt', line: 3 });
    expect(s[0]!.section).toBe('Intro');
  });

  it('leaves out years, dates, references, rates’ denominators and list numbering', () => {
    const s = statementsOf('Text\n\nThe survey ran from 21st January 2019 (Appendix Table 15a, page 10); 43 cases per 10,000 adult females were discussed in 2019.\n');
    expect(s.map((x) => [x.figure.raw, x.figure.unit])).toEqual([['43', 'rate']]);
  });

  it('keeps a from–to pair’s second value from taking the first one’s period', () => {
    const s = statementsOf('Text\n\nIn Wales the number rose from 69 in 2017 to 119 this year.\n');
    expect(s.map((x) => x.period)).toEqual(['2017', null]);
  });

  it('splits sentences but not at abbreviations', () => {
    expect(splitSentences('There were 3, e.g. small ones. Then 4 more.').map((s) => s.text)).toEqual(['There were 3, e.g. small ones.', 'Then 4 more.']);
  });

  it('reads markdown links as their words', () => {
    expect(plainProse('at [multi-agency risk assessment conferences \\(MARACs\\)](#) in')).toBe('at multi-agency risk assessment conferences (MARACs) in');
  });
});
