import { describe, expect, it } from 'vitest';
import { LabelIndex, labelNames } from './labels.js';

/** A reproducible stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('LabelIndex', () => {
  // words and characters that test the boundaries and case folding of labelNames' pattern:
  // KELVIN SIGN and LONG S equal k and s, final sigma equals sigma, ß and ẞ, digits and punctuation
  const words = ['Agree', 'agree', 'AGREE', 'Disagree', 'Strongly', 'x', 'X', '1', '10', 'Total', 'all', 'café', 'CAFÉ', 'Straße', 'STRAẞE', 'ſtreet', 'Street', '\u212Aelvin', 'kelvin', 'σίσυφος', 'ΣΊΣΥΦΟΣ', 'σίσυφοσ', 'ι', 'Ι', '\u0345', 'İ', 'i', '16-24', '(BME)', 'BME', '–', '.', '😀', 'a😀b', '\u0001', 'ǅ', 'Ǆ', 'ǆ', 'ﬅ', 'ﬆ', '\u0390', '\u1FD3', 'µ', 'μ', 'Μ'];
  const joins = [' ', ' ', ' ', '', '-', ', ', '/'];

  it('finds exactly the labels that labelNames finds, in order', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const next = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
      const phrase = () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(words)).reduce((a, w) => `${a}${pick(joins)}${w}`);
      const labels = Array.from({ length: 1 + Math.floor(next() * 30) }, phrase);
      const index = new LabelIndex(labels);
      for (let q = 0; q < 20; q++) {
        const subject = q % 3 === 0 ? pick(labels) : phrase();
        const expected = labels.flatMap((l, i) => (labelNames(l, subject) ? [i] : []));
        expect(index.naming(subject), `${JSON.stringify(subject)} in ${JSON.stringify(labels)}`).toEqual(expected);
        const except = Math.floor(next() * labels.length);
        expect(index.naming(subject, { limit: 1, except })).toEqual(expected.filter((i) => i !== except).slice(0, 1));
      }
    }
  });

  it('answers for thousands of "Total X" rows without testing every pair', () => {
    const labels = Array.from({ length: 20000 }, (_, i) => (i % 2 ? `Total area ${i}x` : `Area ${i} services`));
    const index = new LabelIndex(labels);
    let named = 0;
    labels.forEach((label, i) => {
      if (label.startsWith('Total ')) named += index.naming(label.slice(6), { limit: 1, except: i }).length;
    });
    expect(named).toBe(0); // "area 1x" is in no label but its own ("area 11x" has "area 1" but not "area 1x")
    expect(index.naming('area 12 services')).toEqual([12]);
    const pattern = /(^|[^\p{L}])AREA 1($|[^\p{L}])/iu;
    expect(index.naming('AREA 1')).toEqual(labels.flatMap((l, k) => (pattern.test(l) ? [k] : [])));
  });
});
