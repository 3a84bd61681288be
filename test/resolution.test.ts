import { describe, expect, it } from 'vitest';
import { readSample, scoreResolution, scoreSample } from './resolution.js';

describe('resolution of figures to measure, period and geography (hand-labelled sample)', () => {
  it('holds at least 150 statements and 150 cells, each labelled', () => {
    const items = readSample();
    expect(items.filter((i) => i.kind === 'statement').length).toBeGreaterThanOrEqual(150);
    expect(items.filter((i) => i.kind === 'cell').length).toBeGreaterThanOrEqual(150);
    for (const i of items) if (i.measure !== null) expect([i.period, i.geography]).not.toContain(undefined);
  });

  it('resolves the bundled corpus with precision ≥ 0.95 and recall ≥ 0.8 on each of measure, period and geography', async () => {
    const score = await scoreResolution();
    expect(score.unmatched).toEqual([]);
    for (const d of score.dimensions) {
      expect({ dimension: d.dimension, precision: d.precision >= 0.95 }).toEqual({ dimension: d.dimension, precision: true });
      expect({ dimension: d.dimension, recall: d.recall >= 0.8 }).toEqual({ dimension: d.dimension, recall: true });
    }
  }, 120_000);

  it('scores a wrong answer against precision and a missing one against recall', () => {
    const item = { kind: 'statement' as const, file: 'a.txt', locator: 'a.txt:L1', raw: '5', occurrence: 1 };
    const key = (n: number) => JSON.stringify(['statement', 'a.txt', 'a.txt:L1', '5', n]);
    const resolution = (measure: string | null) =>
      ({ source_kind: 'statement', source_id: 's', measure: measure === null ? null : { measure: { measure_id: measure } }, period: '2019', geography: 'Wales', breakdown: '', table_ordinal: null }) as never;
    const score = scoreSample(
      [
        { ...item, measure: 'a', period: '2019', geography: 'Wales' },
        { ...item, occurrence: 2, measure: 'b', period: '2019', geography: 'Wales' },
        { ...item, occurrence: 3, measure: null, period: null, geography: null },
      ],
      new Map([
        [key(1), resolution('a')],
        [key(2), resolution(null)],
        [key(3), resolution('c')],
      ]),
    );
    const measure = score.dimensions.find((d) => d.dimension === 'measure')!;
    expect(measure).toMatchObject({ answered: 2, labelled: 2, right: 1, precision: 0.5, recall: 0.5 });
  });
});
