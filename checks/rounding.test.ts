import { describe, expect, it } from 'vitest';
import type { Figure } from '../core/index.js';
import { EXACT_TERMS, IMPROBABLE_ROUNDING, errorOf, formatLikelihood, formatOdds, roundingExplains, roundingOddsOfDerived, roundingOddsOfPair, withinRounding } from './rounding.js';

const unit = () => ({ low: -0.5, high: 0.5 });

describe('rounding weighed by probability', () => {
  it('gives the exact Irwin–Hall tails for small k', () => {
    // one part and its total: the gap is triangular on (−1, 1); P(|gap| ≥ ½) = ¼
    expect(roundingExplains(0.5, 1)).toBeCloseTo(0.25, 12);
    // two parts and the total: P(|S₃| ≥ 1) = 2 × ½³ / 3!
    expect(roundingExplains(1, 2)).toBeCloseTo(2 * 0.125 / 6, 12);
    // five parts and the total: P(|S₆| ≥ 2) = 2 × 1 / 6!
    expect(roundingExplains(2, 5)).toBeCloseTo(2 / 720, 12);
  });

  it('is 1 for no gap and 0 beyond the worst case (k + 1) / 2', () => {
    expect(roundingExplains(0, 12)).toBe(1);
    expect(roundingExplains(6.5, 12)).toBe(0);
    expect(roundingExplains(7, 12)).toBe(0);
  });

  it('finds twelve whole parts 4 off their total inside the bound but below the threshold', () => {
    const errors = Array.from({ length: 13 }, unit);
    expect(withinRounding(4, errors)).toBe(true);
    expect(roundingExplains(4, 12)).toBeLessThan(0.0001);
    expect(roundingExplains(4, 12)).toBeLessThan(IMPROBABLE_ROUNDING);
    expect(roundingExplains(1, 12)).toBeGreaterThan(0.3);
  });

  it('switches to a normal approximation above EXACT_TERMS without a jump', () => {
    const exact = roundingExplains(4, EXACT_TERMS - 1);
    const approx = roundingExplains(4, EXACT_TERMS);
    expect(Math.abs(exact - approx) / exact).toBeLessThan(0.25);
    expect(roundingExplains(10, 60)).toBeLessThan(IMPROBABLE_ROUNDING);
  });

  it('knows a 0 of a count, FTE, rate or share cannot stand for a negative value', () => {
    const zero = { raw: '0', value: 0, decimals: 0, unit: 'fte' as const };
    expect(errorOf(zero)).toEqual({ low: 0, high: 0.5 });
    expect(errorOf({ ...zero, unit: 'currency' })).toEqual({ low: -0.5, high: 0.5 });
    expect(errorOf({ ...zero, unit: 'count' })).toEqual({ low: 0, high: 0 });
    // three zeros and a rounded total can only fall short of the total by 1.5 and exceed it by 0.5
    const errors = [errorOf(zero), errorOf(zero), errorOf(zero), unit()];
    expect(withinRounding(1.5, errors)).toBe(true);
    expect(withinRounding(-1, errors)).toBe(false);
  });
});

describe('rounding odds of a finding', () => {
  const pct = (raw: string): Figure => ({ raw, value: Number(raw.replace('%', '')), decimals: raw.includes('.') ? raw.split('.')[1]!.replace('%', '').length : 0, unit: 'percent' });
  const count = (value: number): Figure => ({ raw: String(value), value, decimals: 0, unit: 'count' });
  const fte = (value: number): Figure => ({ raw: String(value), value, decimals: 0, unit: 'fte' });

  it('gives likelihood 1 to two figures that match exactly, and 0 to a gap beyond the bound', () => {
    expect(roundingOddsOfPair(pct('74%'), pct('74%'))).toEqual({ bound: 1, gap: 0, likelihood: 1 });
    expect(roundingOddsOfPair(count(99447), count(99467))).toEqual({ bound: 0, gap: 20, likelihood: 0 });
    const far = roundingOddsOfPair(pct('74%'), pct('76%'));
    expect(far.bound).toBe(1);
    expect(far.likelihood).toBe(0);
  });

  it('weighs a gap inside the bound: 980 and 980.2 FTE, and 74% against 74.6%', () => {
    const close = roundingOddsOfPair(fte(980), { raw: '980.2', value: 980.2, decimals: 1, unit: 'fte' });
    expect(close.bound).toBeCloseTo(0.55, 12);
    expect(close.likelihood).toBeGreaterThan(0.5);
    expect(close.likelihood).toBeLessThan(1);
    // one error on ±0.5 and one on ±0.05: |D| ≥ 0.6 is impossible, ≥ 0.3 happens with probability 0.4
    expect(roundingOddsOfPair(pct('74%'), pct('74.3%')).likelihood).toBeCloseTo(0.4, 9);
  });

  it('gives a derived value the share of the inputs’ rounding box that rounds to the stated figure', () => {
    const ratio = ([a, b]: readonly number[]) => (a! / b!) * 100;
    // counts are exact: 833 ÷ 1,120 = 74.375% rounds to 74%, always
    expect(roundingOddsOfDerived(pct('74%'), [count(833), count(1120)], ratio)).toMatchObject({ likelihood: 1 });
    expect(roundingOddsOfDerived(pct('75%'), [count(833), count(1120)], ratio).likelihood).toBe(0);
    // 10 ÷ 20 FTE, each ± 0.5, lies in 46.3%–53.8%: 53% (52.5–53.5) covers a thin slice of that box
    const odds = roundingOddsOfDerived(pct('53%'), [fte(10), fte(20)], ratio);
    expect(odds.gap).toBeCloseTo(3, 12);
    expect(odds.bound).toBeCloseTo(10.5 / 19.5 * 100 - 50 + 0.5, 9);
    expect(odds.likelihood).toBeGreaterThan(0);
    expect(odds.likelihood).toBeLessThan(0.1);
    // deterministic: the same answer every time
    expect(roundingOddsOfDerived(pct('53%'), [fte(10), fte(20)], ratio)).toEqual(odds);
    // the share is in (0, 1) and is larger for a figure nearer the centre
    expect(roundingOddsOfDerived(pct('51%'), [fte(10), fte(20)], ratio).likelihood).toBeGreaterThan(odds.likelihood);
  });

  it('says it in words for the tolerance', () => {
    expect(formatOdds({ bound: 0.5, gap: 1, likelihood: 0 }, 0)).toBe('± 0.5 from rounding; gap 1; rounding alone explains it: never (0%)');
    expect(formatOdds({ bound: 0, gap: 20, likelihood: 0 }, 0)).toBe('exact (counts are not rounded); gap 20; rounding alone explains it: never (0%)');
    expect(formatOdds({ bound: 0.55, gap: 0.2, likelihood: 0.6 }, 1)).toBe('± 0.55 from rounding; gap 0.2; rounding alone explains it: with probability 60%');
    expect(formatLikelihood(1)).toBe('certainly (100%)');
    expect(formatLikelihood(0.00001)).toBe('with probability < 0.01%');
  });
});
