import { describe, expect, it } from 'vitest';
import { MEASURES, MEASURES_FILE, MeasureCatalogueError, parseMeasures } from './measures.js';

const line = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'x-count',
    title: 'X',
    definition: 'Number of x.',
    unit: 'count',
    publishers: ['SafeLives'],
    aggregation: 'sum',
    prose: { follows: '^\\s*x\\b', subject: null },
    table: { label: '^x$' },
    context: 'x',
    exclude: null,
    ...over,
  });

function errorOf(text: string): MeasureCatalogueError {
  try {
    parseMeasures(text, 'm.jsonl');
  } catch (e) {
    expect(e).toBeInstanceOf(MeasureCatalogueError);
    return e as MeasureCatalogueError;
  }
  throw new Error('no error');
}

describe('the measure catalogue (transform/measures.jsonl)', () => {
  it('reads the bundled catalogue: unique ids, the Insights breakdowns before the measures their categories are named like, each with its file and line', () => {
    const ids = MEASURES.map((d) => d.measure.measure_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 8)).toEqual(['insights-cases', 'insights-cases-percent', 'marac-cases', 'marac-meetings', 'marac-children', 'idva-fte', 'outreach-fte', 'ypva-fte']);
    expect(MEASURES.filter((d) => d.byLabels).map((d) => d.measure.measure_id)).toEqual(['insights-cases', 'insights-cases-percent', 'idva-services-by-size-percent']);
    for (const d of MEASURES) {
      expect(d.file).toBe(MEASURES_FILE);
      expect(d.line).toBeGreaterThan(0);
      if (d.measure.unit === 'percent' || d.measure.unit === 'rate') expect(d.aggregation).toBe('none');
    }
  });

  it('compiles patterns once, case-insensitive unless asked; null never matches', () => {
    const [d] = parseMeasures(`# comment\n\n${line({ context: { regex: 'MARAC', ignore_case: false } })}\n`, 'm.jsonl');
    expect(d!.line).toBe(3);
    expect(d!.follows.test(' X things')).toBe(true);
    expect(d!.context.test('marac')).toBe(false);
    expect(d!.context.test('MARAC')).toBe(true);
    expect(d!.subject.test('anything')).toBe(false);
    expect(d!.exclude.test('anything')).toBe(false);
    expect(d!.measure).toEqual({ measure_id: 'x-count', title: 'X', unit: 'count', description: 'Number of x.' });
  });

  it('a bad entry is an error naming the file and the line', () => {
    expect(errorOf(`# c\n${line()}\n{not json`).message).toMatch(/^m\.jsonl:3: not JSON/);
    expect(errorOf(`${line({ unit: 'bananas' })}`).message).toMatch(/^m\.jsonl:1: unit:/);
    expect(errorOf(`${line({ colour: 'red' })}`).message).toMatch(/^m\.jsonl:1: .*colour/);
    expect(errorOf(`${line()}\n${line()}`).message).toBe("m.jsonl:2: id 'x-count' is given twice (also line 1)");
    expect(errorOf(`\n${line({ unit: 'percent', aggregation: 'sum' })}`).message).toMatch(/^m\.jsonl:2: aggregation: a percent does not add up/);
  });

  it('a pattern that is not a regular expression is an error naming the file, the line and the field', () => {
    const e = errorOf(`# c\n# c\n${line({ table: { label: '^(unclosed' } })}`);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^m\.jsonl:3: table\.label: not a valid regular expression/);
  });
});
