import { describe, expect, it } from 'vitest';
import type { Finding } from '../contracts.js';
import type { Observation } from '../../transform/contracts.js';
import { MAX_SHOWN_RELEASES, reportSeries } from './sources.js';

function observation(i: number, value: number): Observation {
  return {
    observation_id: `obs:${i}`,
    measure_id: 'marac_cases',
    period: 'YE 2020-03',
    geography: 'England and Wales',
    geography_code: 'K04000001',
    breakdown: '',
    figure: { raw: String(value), value, decimals: 0, unit: 'count' },
    document_id: `doc-${String(i).padStart(2, '0')}`,
    release_date: `20${String(10 + i).padStart(2, '0')}-11-25`,
    source_kind: 'statement',
    source_id: `s${i}`,
    excerpt: `There were ${value} MARAC cases.`,
    locator: { kind: 'line', document: `doc-${i}.txt`, line: 1 },
  };
}

function revised(ids: string[]): Finding {
  return {
    id: 'revised-figure:000000000001',
    check: 'revised-figure',
    severity: 'warning',
    message: 'revised',
    expected: '',
    actual: '',
    tolerance: '',
    evidence: ids.map((id) => ({ document: 'doc', locator: { kind: 'line', document: 'doc.txt', line: 1 }, where: 'doc.txt:L1', excerpt: '', value: null, source_kind: 'statement', source_id: id, role: null })),
  };
}

describe('reportSeries', () => {
  const documents = (n: number) => Array.from({ length: n }, (_, i) => ({ document_id: `doc-${String(i).padStart(2, '0')}`, release: `release ${String(i).padStart(2, '0')}` }));

  it('shows every release of a figure stated by a few', () => {
    const obs = Array.from({ length: MAX_SHOWN_RELEASES }, (_, i) => observation(i, 100 + i));
    const [series] = reportSeries(documents(MAX_SHOWN_RELEASES), obs, [revised(['s2', 's3'])], new Map())['revised-figure:000000000001']!;
    expect(series!.points).toHaveLength(MAX_SHOWN_RELEASES);
    expect(series!.omitted_releases).toBeUndefined();
  });

  it('shows the releases of the finding with the first and the last when many releases state the figure, and says how many are left out', () => {
    const obs = Array.from({ length: 20 }, (_, i) => observation(i, 100 + i));
    const [series] = reportSeries(documents(20), obs, [revised(['s5', 's6'])], new Map())['revised-figure:000000000001']!;
    expect(series!.points.map((p) => p.release)).toEqual(['release 00', 'release 05', 'release 06', 'release 19']);
    expect(series!.points.filter((p) => p.involved).map((p) => p.release)).toEqual(['release 05', 'release 06']);
    expect(series!.omitted_releases).toBe(16);
  });
});
