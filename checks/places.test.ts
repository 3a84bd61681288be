import { describe, expect, it } from 'vitest';
import { PLACES_PER_VALUE, otherValues, placesByValue, uncountedPlaces } from './places.js';

describe('placesByValue', () => {
  it('groups places by value in the order values first appear, keeping the first few of each and counting all', () => {
    const items = ['a1', 'b1', 'a2', 'a3', 'a4', 'a5', 'b2', 'c1'];
    const places = placesByValue(items, (s) => s[0]!);
    expect(places.map((p) => p.key)).toEqual(['a', 'b', 'c']);
    expect(places[0]).toEqual({ key: 'a', shown: ['a1', 'a2', 'a3'].slice(0, PLACES_PER_VALUE), count: 5 });
    expect(places[1]).toEqual({ key: 'b', shown: ['b1', 'b2'], count: 2 });
    expect(uncountedPlaces(places[0]!)).toBe(` (stated in 5 places, ${PLACES_PER_VALUE} named)`);
    expect(uncountedPlaces(places[1]!)).toBe('');
  });

  it('names a bounded number of places however often a value is stated', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `x${i}`);
    const [only] = placesByValue(items, () => 'x');
    expect(only!.shown).toHaveLength(PLACES_PER_VALUE);
    expect(only!.count).toBe(10_000);
  });

  it('counts the values left unnamed', () => {
    expect(otherValues(3, 3)).toBe('');
    expect(otherValues(4, 3)).toBe(', and 1 other value');
    expect(otherValues(13, 10)).toBe(', and 3 other values');
  });
});
