import { describe, expect, it } from 'vitest';
import { findPeriods, isPeriodText, periodOf } from './periods.js';

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
