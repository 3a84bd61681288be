import { describe, expect, it } from 'vitest';
import type { Finding } from '../contracts.js';
import type { Observation } from '../../transform/contracts.js';
import type { EvidenceExtraction } from '../../extract/evidence.js';
import { MAX_SHOWN_RELEASES, evidenceTables, holdsEvidenceCells, reportSeries, seriesKey } from './sources.js';

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

  it('gives each finding the series of all its figures when the figures are read in batches of consecutive keys, with every source\'s first observation of all', () => {
    // three figures (two breakdowns and a geography); source s1 is an observation of two of them, first of 'b'
    const of = (i: number, value: number, geography: string, breakdown: string, source = `s${i}`): Observation => ({ ...observation(i, value), observation_id: `obs:${i}:${geography}:${breakdown}`, geography, breakdown, source_id: source });
    const all = [
      of(1, 10, 'England', 'b'),
      of(1, 11, 'England', 'a'),
      of(2, 12, 'England', 'a'),
      of(3, 13, 'Wales', ''),
      of(4, 14, 'England', 'b'),
      of(5, 15, 'Wales', ''),
    ];
    const findings = [{ ...revised(['s1', 's2', 's3']), id: 'revised-figure:000000000001' }, { ...revised(['s4', 's5']), id: 'revised-figure:000000000002' }];
    const whole = reportSeries(documents(6), all, findings, new Map());
    expect(Object.values(whole).map((list) => list.length)).toEqual([3, 2]);
    const firstOf = new Map<string, Observation>();
    for (const o of all) if (!firstOf.has(o.source_id)) firstOf.set(o.source_id, o);
    const keys = [...new Set(all.map(seriesKey))].sort();
    for (const size of [1, 2]) {
      const merged: Record<string, ReturnType<typeof reportSeries>[string]> = {};
      for (let at = 0; at < keys.length; at += size) {
        const batch = new Set(keys.slice(at, at + size));
        for (const [id, list] of Object.entries(reportSeries(documents(6), all.filter((o) => batch.has(seriesKey(o))), findings, new Map(), firstOf))) merged[id] = [...(merged[id] ?? []), ...list];
      }
      expect(merged).toEqual(whole);
    }
    // a finding on s1 alone is drawn for 'b', where s1 is first: a batch of 'a' alone draws it only when not told so
    const onS1 = [{ ...revised(['s1']), id: 'revised-figure:000000000003' }];
    const batchA = all.filter((o) => o.breakdown === 'a');
    expect(reportSeries(documents(6), all, onS1, new Map())['revised-figure:000000000003']!.map((s) => s.breakdown)).toEqual(['b']);
    expect(reportSeries(documents(6), batchA, onS1, new Map(), firstOf)).toEqual({});
    expect(reportSeries(documents(6), batchA, onS1, new Map())['revised-figure:000000000003']!.map((s) => s.breakdown)).toEqual(['a']);
  });
});

describe('evidenceTables', () => {
  const evidence = (source_kind: 'cell' | 'statement' | null, source_id: string | null, value: string | null) => ({ document: 'doc', locator: { kind: 'line' as const, document: 'doc.txt', line: 1 }, where: 'doc.txt:L1', excerpt: '', value, source_kind, source_id, role: null });

  it('names the tables of the cells evidence reads, and every table when a piece is placed by where it is and what it reads', () => {
    expect(evidenceTables([evidence('cell', 'doc:t001:r0c1', '5'), evidence('statement', 's1', '5'), evidence('cell', 'doc:t003:r2c0', '7'), evidence(null, null, null)])).toEqual(new Set(['doc:t001', 'doc:t003']));
    expect(evidenceTables([evidence('cell', 'doc:t001:r0c1', '5'), evidence(null, null, '1697')])).toBe('all');
  });

  it('says whether the evidence read holds every cell the evidence names', () => {
    const x = { cells: [{ cell_id: 'doc:t001:r0c1' }] } as unknown as EvidenceExtraction;
    expect(holdsEvidenceCells(x, [evidence('cell', 'doc:t001:r0c1', '5'), evidence('statement', 's1', '5')])).toBe(true);
    expect(holdsEvidenceCells(x, [evidence('cell', 'odd-id', '5')])).toBe(false);
  });
});
