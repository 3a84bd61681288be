import { describe, expect, it } from 'vitest';
import { CHECKS, buildSubjects, runChecks } from '../checks/index.js';
import { extractDocument } from '../extract/index.js';
import { measures, transform } from '../transform/index.js';
import { syntheticRelease, syntheticText } from './synthetic.js';

describe('the synthetic scaling release', () => {
  it('is the same text for the same size, and a table of that many rows', () => {
    expect(syntheticText(50)).toBe(syntheticText(50));
    expect(syntheticText(50)).not.toBe(syntheticText(51));
    const lines = syntheticText(50).split('\n');
    expect(lines.filter((l) => l.startsWith('Local service '))).toHaveLength(50);
    expect(lines).toContain('\tCount\t%\tCount\t%');
  });

  // what issue 8 saw sink a night: a table of tens of thousands of rows (spread arguments overflowed the
  // stack in extraction; checks were quadratic). Only that it completes and what it gives are asserted;
  // how long it takes is `npm run bench`'s business.
  it('goes through extract, transform and checks with 20,000 rows', async () => {
    const release = syntheticRelease(20_000);
    const extraction = await extractDocument(release.record, release.bytes);
    expect(extraction.tables).toHaveLength(release.expected.tables);
    expect(extraction.tables[0]!.rows).toHaveLength(release.expected.rows);
    expect(extraction.cells).toHaveLength(release.expected.cells);
    expect(release.expected.cells).toBe(80_004);
    expect(new Set(extraction.cells.map((c) => c.cell_id)).size).toBe(extraction.cells.length);
    const table = extraction.tables[0]!;
    expect(table.columns.map((c) => [c.header_path.join(' › '), c.unit, c.base?.raw ?? null])).toEqual([
      ['2020 › Count', 'count', String(release.text.match(/^n=\t(\d+)/m)![1])],
      ['2020 › %', 'percent', String(release.text.match(/^n=\t(\d+)/m)![1])],
      ['2019 › Count', 'count', String(release.text.match(/^n=\t\d+\t\t(\d+)/m)![1])],
      ['2019 › %', 'percent', String(release.text.match(/^n=\t\d+\t\t(\d+)/m)![1])],
    ]);
    expect(table.rows[table.rows.length - 1]!.role).toBe('total');

    const observations = transform([extraction]);
    const results = runChecks(CHECKS, buildSubjects([extraction], observations, measures()));
    expect(results.summaries.map((s) => [s.check, s.crashed])).toEqual(CHECKS.map((c) => [c.id, 0]));
    const evaluated = Object.fromEntries(results.summaries.map((s) => [s.check, s.evaluated]));
    // every percentage, the Total row's too, is checked against its count and n
    expect(evaluated['count-percent-base']).toBe(2 * 20_001);
    expect(results.findings.filter((f) => f.severity === 'error')).toEqual([]);
  }, 120_000);
});
