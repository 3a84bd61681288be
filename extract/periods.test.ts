import { describe, expect, it } from 'vitest';
import { findPeriods, findRelativePeriods, isPeriodText, periodFromLabel, periodOf, shiftPeriod, typePeriod } from './periods.js';

describe('periods', () => {
  it('normalises the ways a year ending March is written', () => {
    expect(periodOf('Year ending March 2020')).toBe('YE 2020-03');
    expect(periodOf('April 2019 to March 2020')).toBe('YE 2020-03');
    expect(periodOf('2019-20')).toBe('YE 2020-03');
    expect(periodOf('In the 12-month period up to March 2019')).toBe('YE 2019-03');
  });

  it('keeps snapshot months and plain years apart', () => {
    expect(periodOf('March 2020')).toBe('2020-03');
    expect(periodOf('2020')).toBe('2020');
    expect(periodOf('April 2016 to June 2016')).toBe('2016-04/2016-06');
  });

  it('finds every period of a sentence in order, longest match first', () => {
    const found = findPeriods('from 28% in the year ending March 2018 to 31% in the year ending March 2020');
    expect(found.map((p) => p.period)).toEqual(['YE 2018-03', 'YE 2020-03']);
  });

  it('tells a whole-period header from a label that mentions one', () => {
    expect(isPeriodText('2020')).toBe(true);
    expect(isPeriodText('FTE Outreach 2019')).toBe(false);
  });
});

describe('relative periods', () => {
  it('finds "this year", "last year", "the previous year", "the year before", "… earlier", "… ago"', () => {
    const found = (t: string) => findRelativePeriods(t).map((r) => [r.text, r.years, r.deictic]);
    expect(found('this year, last year and the previous year')).toEqual([['this year', 0, true], ['last year', 1, true], ['the previous year', 1, false]]);
    expect(found('in the year before, compared with two years earlier, 3 years before; five years ago')).toEqual([
      ['the year before', 1, false],
      ['two years earlier', 2, false],
      ['3 years before', 3, false],
      ['five years ago', 5, true],
    ]);
    // not a period: the 12 months up to now, a possessive, "before" something else
    expect(found('in the last year; this year’s survey; the year before the pandemic; two years before it')).toEqual([]);
  });

  it('counts back from a year-long period only', () => {
    expect(shiftPeriod('YE 2020-03', 1)).toBe('YE 2019-03');
    expect(shiftPeriod('YE 2020-12', 2)).toBe('YE 2018-12');
    expect(shiftPeriod('2019', 1)).toBe('2018');
    expect(shiftPeriod('2020-03', 1)).toBeNull();
    expect(shiftPeriod('2016-04/2016-06', 1)).toBeNull();
    expect(periodOf('2017/18')).toBe('YE 2018-03');
  });
});

describe('findPeriods on long text', () => {
  it('finds in a long text what it finds in each of its parts (one sweep per pattern, not every match against every period)', () => {
    const parts = Array.from({ length: 3000 }, (_, i) => `year ending March ${2000 + (i % 30)}, 2019-20 and April 2018 to March 2019 or ${1990 + (i % 40)}/${(91 + i) % 100} in May ${1950 + (i % 150)}`);
    const text = parts.join('; ');
    const expected: Array<{ period: string; offset: number; end: number }> = [];
    let at = 0;
    for (const part of parts) {
      for (const p of findPeriods(part)) expected.push({ period: p.period, offset: p.offset + at, end: p.end + at });
      at += part.length + 2;
    }
    expect(findPeriods(text).map(({ period, offset, end }) => ({ period, offset, end }))).toEqual(expected);
    expect(expected.length).toBeGreaterThan(12000);
  });
});

describe('typePeriod: a normalised period as data', () => {
  it('types a year ending as the 12 months up to the end of its month', () => {
    expect(typePeriod('YE 2020-03')).toEqual({ type: 'year_ending', start: '2019-04-01', end: '2020-03-31', label: 'YE 2020-03' });
    expect(typePeriod('YE 2020-12')).toMatchObject({ type: 'year_ending', start: '2020-01-01', end: '2020-12-31' });
    expect(typePeriod('YE 2020-02')).toMatchObject({ start: '2019-03-01', end: '2020-02-29' }); // leap year
    expect(typePeriod('YE 2020-03', 'Year ending March 2020')).toMatchObject({ type: 'year_ending', label: 'Year ending March 2020' });
  });

  it('types April to March as a financial year only when the printed label is one', () => {
    expect(typePeriod('YE 2018-03', '2017/18')).toEqual({ type: 'financial_year', start: '2017-04-01', end: '2018-03-31', label: '2017/18' });
    expect(typePeriod('YE 2018-03', 'financial year ending March 2018')?.type).toBe('financial_year');
    // the label must name the same year, and a financial year ends in March
    expect(typePeriod('YE 2019-03', '2017/18')?.type).toBe('year_ending');
    expect(typePeriod('YE 2018-06', '2017/18')?.type).toBe('year_ending');
  });

  it('types a plain year as the calendar year', () => {
    expect(typePeriod('2019')).toEqual({ type: 'calendar_year', start: '2019-01-01', end: '2019-12-31', label: '2019' });
  });

  it('types three months from January, April, July or October as a quarter, other spans as a range', () => {
    expect(typePeriod('2016-04/2016-06')).toMatchObject({ type: 'quarter', start: '2016-04-01', end: '2016-06-30' });
    expect(typePeriod('2019-10/2019-12')).toMatchObject({ type: 'quarter', start: '2019-10-01', end: '2019-12-31' });
    expect(typePeriod('2016-05/2016-07')).toMatchObject({ type: 'range', start: '2016-05-01', end: '2016-07-31' });
    expect(typePeriod('2019-04/2019-09')).toMatchObject({ type: 'range', start: '2019-04-01', end: '2019-09-30' });
  });

  it('types a month on its own, or a day, as a snapshot', () => {
    expect(typePeriod('2020-03')).toMatchObject({ type: 'snapshot', start: '2020-03-01', end: '2020-03-31' });
    expect(typePeriod('2021-02')).toMatchObject({ start: '2021-02-01', end: '2021-02-28' });
    expect(typePeriod('2020-03-31')).toMatchObject({ type: 'snapshot', start: '2020-03-31', end: '2020-03-31' });
  });

  it('gives null for a bad or unknown period, not a guess', () => {
    for (const bad of ['', 'YE 2020-13', 'YE 2020-00', 'YE 20-03', '2020-13', '2021-02-29', '2020-06/2020-04', '2020-04/2020-13', 'FY 2019', '2019/20', 'last year', ' 2019', 'YE 2020-03 '])
      expect(typePeriod(bad), bad).toBeNull();
  });

  it('is the same function of every period findPeriods gives', () => {
    for (const p of findPeriods('in the year ending March 2020, in 2019-20, from April 2016 to June 2016, in March 2020 and in 2019')) {
      expect(typePeriod(p.period), p.period).not.toBeNull();
    }
  });
});

describe('periodFromLabel: a printed label as a typed period', () => {
  it('reads the label and keeps it as printed', () => {
    expect(periodFromLabel('2017/18')).toEqual({ type: 'financial_year', start: '2017-04-01', end: '2018-03-31', label: '2017/18' });
    expect(periodFromLabel('Financial year 2017/18')).toMatchObject({ type: 'financial_year', start: '2017-04-01' });
    expect(periodFromLabel('Year ending March 2020')).toMatchObject({ type: 'year_ending', start: '2019-04-01', end: '2020-03-31' });
    expect(periodFromLabel('April 2016 to June 2016')).toMatchObject({ type: 'quarter' });
  });

  it('gives null unless the whole label is one period', () => {
    for (const bad of ['Q1 2020', 'January to March 2020', '2020/21 Q1', 'FTE Outreach 2019', '2018 and 2019', 'this year'])
      expect(periodFromLabel(bad), bad).toBeNull();
  });
});
