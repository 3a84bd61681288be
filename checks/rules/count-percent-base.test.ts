import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './count-percent-base.js';

describe('count-percent-base', () => {
  it('passes percentages that round from count ÷ n (11 of 3,074 shown as 0%)', async () => {
    const r = await runFixture(check, 'count-percent-base', 'pass');
    expect(r.summary.passed).toBe(3);
    expect(r.findings).toEqual([]);
  });

  it('fails a percentage that does not follow from its count (410 of 3,074 shown as 31%)', async () => {
    const r = await runFixture(check, 'count-percent-base', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.expected).toBe('13.3%');
    expect(r.findings[0]!.actual).toBe('31%');
    // the count and the percentage, each with its cell_id, and the base n
    const evidence = r.findings[0]!.evidence;
    expect(evidence.map((e) => e.role).sort()).toEqual(['base', 'count', 'percent']);
    const base = evidence.find((e) => e.role === 'base')!;
    expect(base.value?.replace(',', '')).toBe('3074');
    expect(base.source_id).toBeNull();
    const cells = evidence.filter((e) => e.role !== 'base');
    for (const e of cells) expect(e.source_kind).toBe('cell');
    expect(new Set(cells.map((e) => e.source_id)).size).toBe(2);
  });
});
