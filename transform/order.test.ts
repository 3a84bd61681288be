import { describe, expect, it } from 'vitest';
import { compareKeys } from '../core/index.js';
import type { Locator } from '../core/locator.js';
import { compareObservations, type Observation } from './index.js';

/** The order orderObservations gave as compareKeys of each observation's key (before compareObservations compared field by field). */
function byKeys(a: Observation, b: Observation): number {
  const key = (o: Observation) => [o.measure_id, o.period, o.geography, o.document_id, o.locator.document, o.locator.kind === 'cell' ? 0 : o.locator.line, o.source_id];
  return compareKeys(key(a), key(b));
}

function observation(i: number, locator: Locator): Observation {
  return {
    observation_id: `o${i}`,
    measure_id: ['marac-cases', 'idva-cases'][i % 2]!,
    period: ['2020', 'YE 2020-03'][(i >> 1) % 2]!,
    geography: 'England',
    geography_code: null,
    breakdown: '',
    figure: { raw: '1', value: 1, decimals: 0, unit: 'count' },
    document_id: ['a-000000000000', 'b-000000000000'][(i >> 2) % 2]!,
    release_date: null,
    source_kind: 'cell',
    source_id: `s${i % 5}`,
    excerpt: '',
    locator,
  };
}

describe('the order of observations', () => {
  it('is the order of their keys compared as compareKeys compares them, for lines, workbook cells and pages alike', () => {
    const places: Locator[] = [
      { document: 'a.txt', kind: 'line', line: 9 },
      { document: 'a.txt', kind: 'line', line: 10 },
      { document: 'a.txt', kind: 'line', line: 100 },
      { document: 'a.xlsx', kind: 'cell', sheet: 'Table 1', cell: 'B2' },
      { document: 'a.pdf', kind: 'page', page: 3, line: 40 },
      { document: 'a.pdf', kind: 'page', page: 1, line: 7 },
      { document: 'a.pdf', kind: 'line', line: 2 },
    ];
    const all = Array.from({ length: 48 }, (_, i) => observation(i, places[Math.floor(i / 8) % places.length]!));
    for (const a of all) for (const b of all) expect(Math.sign(compareObservations(a, b)), `${a.observation_id} ${b.observation_id}`).toBe(Math.sign(byKeys(a, b)));
  });
});
