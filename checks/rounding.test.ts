import { describe, expect, it } from 'vitest';
import { EXACT_TERMS, IMPROBABLE_ROUNDING, errorOf, roundingExplains, withinRounding } from './rounding.js';

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
