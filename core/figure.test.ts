import { describe, expect, it } from 'vitest';
import { parseNumberText, readPublishedNumber } from './figure.js';

const read = (text: string, parenthesised?: Parameters<typeof readPublishedNumber>[1]) => {
  const n = readPublishedNumber(text, parenthesised);
  return n && { value: n.value, decimals: n.decimals, percent: n.percent, marker: n.marker, currency: n.currency };
};
const number = (value: number, marker: string | null = null, more: { decimals?: number; percent?: boolean; currency?: string | null } = {}) => ({
  value,
  decimals: more.decimals ?? 0,
  percent: more.percent ?? false,
  marker,
  currency: more.currency ?? null,
});

describe('readPublishedNumber: the number a publisher meant, and what was printed with it', () => {
  it('reads bare numbers as parseNumberText does, with no marker', () => {
    expect(read('1,234')).toEqual(number(1234));
    expect(read('12.5%')).toEqual(number(12.5, null, { decimals: 1, percent: true }));
    expect(read('99.4%')).toEqual(number(99.4, null, { decimals: 1, percent: true })); // 0.994 formatted as a percentage
    expect(read('-2')).toEqual(number(-2));
  });

  it('reads "-00" and "-0" as 0, not -0', () => {
    expect(Object.is(readPublishedNumber('-00')!.value, 0)).toBe(true);
    expect(Object.is(readPublishedNumber('-0')!.value, 0)).toBe(true);
    expect(Object.is(readPublishedNumber('−0.0')!.value, 0)).toBe(true);
    expect(readPublishedNumber('-0.0')!.decimals).toBe(1);
  });

  it('keeps a note symbol, glued or spaced', () => {
    expect(read('2*')).toEqual(number(2, '*'));
    expect(read('2 **')).toEqual(number(2, '**'));
    expect(read('1,234†')).toEqual(number(1234, '†'));
    expect(read('56‡')).toEqual(number(56, '‡'));
    expect(read('7 §')).toEqual(number(7, '§'));
    expect(read('8¶')).toEqual(number(8, '¶'));
    expect(read('9#')).toEqual(number(9, '#'));
    expect(read('12%*')).toEqual(number(12, '*', { percent: true }));
  });

  it('keeps one lowercase letter after a digit, glued or after a space', () => {
    expect(read('15a')).toEqual(number(15, 'a'));
    expect(read('15 a')).toEqual(number(15, 'a'));
    expect(read('1,234r')).toEqual(number(1234, 'r'));
    expect(read('12.5e')).toEqual(number(12.5, 'e', { decimals: 1 }));
  });

  it('keeps superscript digits and letters as the note they stand for', () => {
    expect(read('1,234¹')).toEqual(number(1234, '1'));
    expect(read('56 ¹²')).toEqual(number(56, '12'));
    expect(read('12ᵃ')).toEqual(number(12, 'a'));
  });

  it('keeps a bracketed note or flag: [note n], [r], [p]', () => {
    expect(read('12 [note 3]')).toEqual(number(12, '3'));
    expect(read('12[Note 14]')).toEqual(number(12, '14'));
    expect(read('12 [r]')).toEqual(number(12, 'r'));
    expect(read('4.5% [p]')).toEqual(number(4.5, 'p', { decimals: 1, percent: true }));
  });

  it('keeps several markers in printed order', () => {
    expect(read('15a*')).toEqual(number(15, 'a *'));
    expect(read('1,234 [note 3] [r]')).toEqual(number(1234, '3 r'));
  });

  it('reads a plain currency sign, before or after the number, and no multiplier', () => {
    expect(read('£29,242')).toEqual(number(29242, null, { currency: '£' }));
    expect(read('£ 1.20')).toEqual(number(1.2, null, { decimals: 2, currency: '£' }));
    expect(read('-£5')).toEqual(number(-5, null, { currency: '£' }));
    expect(read('£-5')).toEqual(number(-5, null, { currency: '£' }));
    expect(read('29 €')).toEqual(number(29, null, { currency: '€' }));
    expect(read('£29,242*')).toEqual(number(29242, '*', { currency: '£' }));
    expect(read('£29,242 [r]')).toEqual(number(29242, 'r', { currency: '£' }));
    for (const text of ['£1.2m', '£3bn', '£3b', '15k', '1.2m', '£5%', '£', '£ [x]']) expect(read(text), text).toBeNull();
  });

  it('reads parentheses as its context says: negative in an account, an estimate in a survey, not at all when it cannot tell', () => {
    expect(read('(23)', 'negative')).toEqual(number(-23));
    expect(read('(1,234.5)', 'negative')).toEqual(number(-1234.5, null, { decimals: 1 }));
    expect(read('(23)', 'estimate')).toEqual(number(23, '()'));
    expect(read('(23%)', 'estimate')).toEqual(number(23, '()', { percent: true }));
    expect(read('(23)*', 'estimate')).toEqual(number(23, '() *'));
    expect(read('(23)')).toBeNull(); // ambiguous is the default
    expect(read('(23)', 'ambiguous')).toBeNull();
    // a currency sign makes it an account, whatever the context
    expect(read('(£23)', 'estimate')).toEqual(number(-23, null, { currency: '£' }));
    expect(read('£(23)', 'estimate')).toEqual(number(-23, null, { currency: '£' }));
    // a sign inside the parentheses, or outside them, leaves nothing to read
    for (const text of ['(-23)', '-(23)', '-£(23)', '()', '(a)']) expect(read(text, 'negative'), text).toBeNull();
  });

  it('does not read ranges, words, shorthand or markers alone', () => {
    for (const text of ['12-15', 'see note', 'n.a.x', '[x]', '[c]', '*', '†', '..', '-', 'a', 'R', '<5', '1 234', '12 days', '15th', '12am', '15ab', '15 a b', '', '2019/20'])
      expect(read(text, 'estimate'), text).toBeNull();
  });

  it('does not turn labels into figures: a letter only follows a digit at the end', () => {
    for (const text of ['Table 15a', 'a15', 'Table 3a', 'Q1a', 'Section 2 a', 'Note 3*', 'Year 2020*']) expect(read(text, 'estimate'), text).toBeNull();
  });

  it('leaves parseNumberText, which decides what is a number elsewhere, to bare numbers', () => {
    for (const text of ['2a', '15a', '2*', '12 [note 3]', '£29,242', '(23)', '1,234†']) expect(parseNumberText(text), text).toBeNull();
  });

  it('reads a long cell in one pass and gives up on one longer than any number', () => {
    expect(read(`${'1'.repeat(60)}a`)).toBeNull();
    const started = performance.now();
    for (let i = 0; i < 2000; i++) readPublishedNumber('1 '.repeat(5000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
