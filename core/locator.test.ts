import { describe, expect, it } from 'vitest';
import { formatLocator, parseLocator, type Locator } from './locator.js';

describe('parseLocator', () => {
  it('reads back what formatLocator printed, for lines, pages and cells (a sheet name may hold "!" and ":")', () => {
    const locators: Locator[] = [
      { kind: 'line', document: 'ons-2020.txt', line: 214 },
      { kind: 'page', document: 'insights.pdf', page: 12, line: 3 },
      { kind: 'cell', document: 'app.xlsx', sheet: 'T15a', cell: 'C7' },
      { kind: 'cell', document: 'app.xlsx', sheet: 'Table 1!: notes', cell: 'AB100' },
      { kind: 'line', document: 'a:L1.txt', line: 2 },
    ];
    for (const loc of locators) expect(parseLocator(formatLocator(loc), loc.document)).toEqual(loc);
  });

  it('refuses a locator of another file or of no known form', () => {
    expect(() => parseLocator('other.txt:L3', 'ons-2020.txt')).toThrow(/not a locator in ons-2020.txt/);
    expect(() => parseLocator('ons-2020.txt:line 3', 'ons-2020.txt')).toThrow(/not a locator/);
    expect(() => parseLocator('ons-2020.txt:L03', 'ons-2020.txt')).toThrow(/not a locator/);
  });
});
