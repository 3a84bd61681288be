import { describe, expect, it } from 'vitest';
import { lineLocator } from '../../core/index.js';
import { findPeriods } from '../periods.js';
import { MONTH_BEFORE, REFERENCE_BEFORE, SentenceScan, extractTextStatements, hasEmailAddress, plainProse, splitSentences } from './statements.js';
import { sectionsByLine } from './sections.js';
import { extractText } from './index.js';

function statementsOf(text: string, documentPeriod?: string | null) {
  const lines = text.split('\n');
  return extractTextStatements({ lines, documentId: 'doc-000000000000', sections: sectionsByLine(lines), locate: (i) => lineLocator('doc.txt', i + 1), documentPeriod });
}

describe('prose statements', () => {
  it('takes every number of a sentence with its unit, period and line', () => {
    const s = statementsOf('Intro\n\nIn the year ending March 2020 the helpline had 29,166 phone calls, a 14% decrease from 33,853 calls in the previous year.\n');
    expect(s.map((x) => [x.figure.raw, x.figure.value, x.figure.unit, x.period])).toEqual([
      ['29,166', 29166, 'count', 'YE 2020-03'],
      ['14%', 14, 'percent', 'YE 2020-03'],
      ['33,853', 33853, 'count', 'YE 2019-03'],
    ]);
    expect(s[0]!.locator).toEqual({ kind: 'line', document: 'doc.txt', line: 3 });
    expect(s[0]!.section).toBe('Intro');
  });

  it('leaves out years, dates, references, rates’ denominators and list numbering', () => {
    const s = statementsOf('Text\n\nThe survey ran from 21st January 2019 (Appendix Table 15a, page 10); 43 cases per 10,000 adult females were discussed in 2019.\n');
    expect(s.map((x) => [x.figure.raw, x.figure.unit])).toEqual([['43', 'rate']]);
  });

  it('leaves out numbers that are part of a name or a compound word ("COVID-19", "24-hour", "16-year-old")', () => {
    const s = statementsOf('Text\n\nDuring the COVID-19 pandemic the 24-hour helpline took 1,204 calls from 16-year-old callers.\n');
    expect(s.map((x) => [x.figure.raw, x.figure.unit])).toEqual([['1,204', 'count']]);
  });

  it('keeps a from–to pair’s second value from taking the first one’s period', () => {
    const s = statementsOf('Text\n\nIn Wales the number rose from 69 in 2017 to 119 this year.\n');
    expect(s.map((x) => x.period)).toEqual(['2017', null]);
  });

  describe('a period given relatively', () => {
    const periods = (text: string, documentPeriod?: string | null) => statementsOf(`Text\n\n${text}\n`, documentPeriod).map((x) => [x.figure.raw, x.period]);

    it('counts "the previous year", "the year before", "… earlier" back from the period the sentence names', () => {
      expect(periods('In the year ending March 2021 there were 49,756 calls, up from 40,859 in the previous year.')).toEqual([['49,756', 'YE 2021-03'], ['40,859', 'YE 2020-03']]);
      expect(periods('In 2019 there were 120 cases and 98 the year before.')).toEqual([['120', '2019'], ['98', '2018']]);
      expect(periods('There were 80 refuges in 2019-20, compared with 75 two years earlier.')).toEqual([['80', 'YE 2020-03'], ['75', 'YE 2018-03']]);
      expect(periods('There were 75 refuges two years earlier and 80 in 2019/20.')).toEqual([['75', 'YE 2018-03'], ['80', 'YE 2020-03']]);
      expect(periods('There were 80 refuges in 2017/18, compared with 75 a year earlier.')).toEqual([['80', 'YE 2018-03'], ['75', 'YE 2017-03']]);
    });

    it('else from the period the paragraph named before it, its section heading, or the document', () => {
      expect(periods('In the year ending March 2020 calls fell. There were 33,853 calls in the previous year.')).toEqual([['33,853', 'YE 2019-03']]);
      expect(statementsOf('Calls in the year ending March 2020\n\nThere were 33,853 calls in the previous year.\n').map((x) => x.period)).toEqual(['YE 2019-03']);
      expect(periods('There were 33,853 calls in the previous year.', 'year ending March 2020')).toEqual([['33,853', 'YE 2019-03']]);
      expect(periods('There were 33,853 calls in the previous year.', 'April 2019 to March 2020')).toEqual([['33,853', 'YE 2019-03']]);
    });

    it('counts "this year", "last year" and "… ago" back from the document’s period only', () => {
      expect(periods('The number rose from 69 last year to 119 this year.', 'year ending March 2020')).toEqual([['69', 'YE 2019-03'], ['119', 'YE 2020-03']]);
      expect(periods('It rose from 15% in 2017 to 20% this year.', '2019')).toEqual([['15%', '2017'], ['20%', '2019']]);
      expect(periods('There were 57 services five years ago.', 'year ending March 2020')).toEqual([['57', 'YE 2015-03']]);
    });

    it('gives null, not a guess, when there is nothing to count back from or it is not a year', () => {
      expect(periods('There were 33,853 calls in the previous year.')).toEqual([['33,853', null]]);
      expect(periods('The number rose from 69 last year to 119 this year.')).toEqual([['69', null], ['119', null]]);
      expect(periods('The number rose from 69 last year to 119 this year.', 'January to March 2019 (provision at the end of 2018-19)')).toEqual([['69', null], ['119', null]]);
      expect(periods('In March 2020 there were 12 cases, and 10 in the previous year.')).toEqual([['12', '2020-03'], ['10', null]]);
    });

    it('is not the period of a figure compared with it, of an age, or of "in the last year"', () => {
      expect(periods('In the year ending March 2021 there were 61% more visitors than the previous year.')).toEqual([['61%', 'YE 2021-03']]);
      expect(periods('In the year ending March 2020 cases rose by 7% on the previous year.')).toEqual([['7%', 'YE 2020-03']]);
      // an age takes no period from the relative phrase after it (only what it took before: the named period before it)
      expect(periods('Adults aged 16 to 74 experienced abuse in the previous year.', 'year ending March 2020')).toEqual([['16', null], ['74', null]]);
      expect(periods('In the year ending March 2020, 5.5% of adults aged 16 to 74 experienced abuse in the previous year.')).toEqual([['5.5%', 'YE 2020-03'], ['16', 'YE 2020-03'], ['74', 'YE 2020-03']]);
      expect(periods('In the year ending March 2020, 5.5% of women experienced abuse in the last year.', '2018')).toEqual([['5.5%', 'YE 2020-03']]);
      expect(periods('The year before the pandemic there were 12 cases in 2019.')).toEqual([['12', '2019']]);
    });
  });

  it('splits sentences but not at abbreviations', () => {
    expect(splitSentences('There were 3, e.g. small ones. Then 4 more.').map((s) => s.text)).toEqual(['There were 3, e.g. small ones.', 'Then 4 more.']);
  });

  it('reads markdown links as their words', () => {
    expect(plainProse('at [multi-agency risk assessment conferences \\(MARACs\\)](#) in')).toBe('at multi-agency risk assessment conferences (MARACs) in');
  });
});

describe('statement ids', () => {
  const paragraph = 'In the year ending March 2020, Idvas supported 3,074 clients at intake, of whom 61% were referred by the police. The number of cases discussed rose by 7% on the previous year.';

  it('are unique when one paragraph is printed twice at one place (two copies rejoined into one line)', () => {
    const once = statementsOf(`Intro\n\n${paragraph}\n`);
    const twice = statementsOf(`Intro\n\n${paragraph} ${paragraph}\n`);
    expect(once.map((s) => s.figure.raw)).toEqual(['3,074', '61%', '7%']);
    expect(twice).toHaveLength(6);
    const ids = twice.map((s) => s.statement_id);
    expect(new Set(ids).size).toBe(ids.length);
    // the first copy keeps the ids it always had; the second copy's sentences are numbered
    expect(ids.slice(0, 3)).toEqual(once.map((s) => s.statement_id));
    expect(twice.slice(3).map((s) => s.sentence_id)).toEqual(once.map((s) => `${s.sentence_id}-2`));
    expect(twice.slice(3).map((s) => [s.figure.raw, s.offset, s.period])).toEqual(once.map((s) => [s.figure.raw, s.offset, s.period]));
    expect(new Set(twice.map((s) => s.sentence_id)).size).toBe(4);
  });

  it('number a third copy -3, and leave the same sentence on another line alone', () => {
    const s = statementsOf(`Intro\n\nThere were 12 cases. There were 12 cases. There were 12 cases.\n\nThere were 12 cases.\n`);
    expect(s.map((x) => x.statement_id.replace(/^doc-000000000000:/, '').replace(/:s[0-9a-f]{12}/, ':s'))).toEqual(['L3:s:o11', 'L3:s-2:o11', 'L3:s-3:o11', 'L5:s:o11']);
  });
});

/** A small reproducible generator of awkward text for the readers that replace end-anchored patterns. */
function randomText(seed: number, alphabet: readonly string[], length: number): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

describe('the linear readers agree with the patterns they stand for', () => {
  const pieces = ['Table', 'tables', 'Appendix ', 'appendix tables ', 'Pages', 'page', 'note', 'x', 'Wave', ' ', '  ', '\t', ',', ', ', '&', ' and ', 'and', ' to ', 'to', 'AND', '1', '2', '15', '3a', 'b', '4 ', '.', '(', 'per', 'PER ', 'March', 'march ', 'Dec', 'December ', '_', 'é', 'from', 'From ', 'by ', 'of'];

  it('REFERENCE_BEFORE, MONTH_BEFORE, "per ", "to " and "from" before every position', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const text = randomText(seed, pieces, 30);
      const scan = new SentenceScan(text, []);
      for (let at = 0; at <= text.length; at++) {
        const before = text.slice(0, at);
        expect(scan.referenceBefore(at), `${JSON.stringify(before)}`).toBe(REFERENCE_BEFORE.test(before));
        expect(scan.monthBefore(at)).toBe(MONTH_BEFORE.test(before));
        expect(scan.perBefore(at)).toBe(/\bper\s+$/i.test(before));
        expect(scan.fromBefore(at)).toBe(/\bfrom\b/i.test(before));
      }
    }
  });

  it('a period, a sentence’s periods and the period a figure takes', () => {
    const text = 'From 69 in 2017 to 119 in the year ending March 2019, and 40 in 2019-20; then to 12 from 2020 to March 2021, 5';
    const periods = findPeriods(text);
    const scan = new SentenceScan(text, periods);
    for (let start = 0; start < text.length; start++) {
      for (const end of [start + 1, start + 2, start + 3]) {
        const next = periods.find((p) => p.offset >= end);
        const between = next ? text.slice(end, next.offset) : '';
        const before = text.slice(0, start);
        const expected =
          next && !/[;,]|\d/.test(between) && between.length <= 60
            ? next.period
            : /\bto\s+$/i.test(before) && /\bfrom\b/i.test(before)
              ? null
              : ([...periods].reverse().find((p) => p.end <= start)?.period ?? null);
        expect(scan.periodFor(start, end)).toBe(expected);
      }
      expect(scan.inPeriod(start)).toBe(periods.some((p) => start >= p.offset && start < p.end));
    }
  });

  it('markdown links, e-mail addresses and abbreviations', () => {
    const link = (line: string) => line.replace(/\[((?:[^\]\\]|\\.)*)\]\([^)]*\)/g, '$1').replace(/\\([()[\]*_#])/g, '$1').replace(/\*\*([^*]+)\*\*/g, '$1');
    const linkPieces = ['[', ']', '(', ')', '\\', '\\]', 'a', ' ', '#', '*', '**', '\n', '_'];
    const mailPieces = ['@', '.', 'a', ' ', '\t', 'b', '@.', '..'];
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomText(seed, linkPieces, 1 + (seed % 25));
      expect(plainProse(text), JSON.stringify(text)).toBe(link(text));
      const mail = randomText(seed, mailPieces, 1 + (seed % 12));
      expect(hasEmailAddress(mail), JSON.stringify(mail)).toBe(/\S+@\S+\.\S+/.test(mail));
    }
    expect(splitSentences('There were 3, e.g. small ones. Dr. No saw 4. A. B. Smith saw 5. Then approx. 6 more.').map((s) => s.text)).toEqual([
      'There were 3, e.g. small ones.',
      'Dr. No saw 4.',
      'A. B. Smith saw 5.',
      'Then approx. 6 more.',
    ]);
  });

  it('read a long sentence of figures and references in one pass each (no quadratic patterns)', () => {
    // 20,000 figures in one sentence, a list of references, a long unclosed "[" run and a long word with an "@"
    const sentence = `Tables ${Array.from({ length: 5000 }, (_, i) => i + 1).join(', ')} and 5001 list ${Array.from({ length: 20000 }, (_, i) => `${i + 3000} cases`).join(' and ')}.`;
    const s = statementsOf(`Intro\n\n${sentence}\n\n${'['.repeat(50000)} 12 more.\n\n${'a'.repeat(50000)}@b 13.\n`);
    expect(s.filter((x) => x.locator.kind === 'line' && x.locator.line === 3)).toHaveLength(20000);
    expect(s.filter((x) => x.figure.raw === '12' || x.figure.raw === '13')).toHaveLength(2);
  });

  it('reads "this year" against the period the document record covers, when the pipeline passes it', () => {
    const text = 'Text\n\nThe number of services rose from 69 in 2017 to 119 this year.\n';
    const of = (period: string | null) => extractText(text, 'doc.txt', 'doc-000000000000', period).statements.find((x) => x.figure.raw === '119')!.period;
    expect(of('year ending March 2020')).toBe('YE 2020-03');
    expect(of(null)).toBeNull();
  });
});
