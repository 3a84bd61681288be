import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { PLACES_PER_VALUE, VALUES_NAMED } from '../places.js';
import { check } from './change-on-earlier.js';

describe('change-on-earlier', () => {
  it('passes "increased by 8% to 107,400 … compared with the previous year" against 99,447 stated in the earlier release', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'pass');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(1);
  });

  it('warns where the stated change does not follow from the earlier value, naming both places', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'fail');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.severity).toBe('warning');
    expect(f!.actual).toBe('+12%');
    expect(f!.expected).toBe('8.0%');
    expect(f!.evidence.map((e) => e.where.split(':')[0]).sort()).toEqual(['a-2021.txt', 'b-2022.txt']);
    expect(f!.tolerance).toBe('± 0.5 from rounding; gap 4; rounding alone explains it: never (0%)');
    expect(f!.evidence.map((e) => e.role).sort()).toEqual(['earlier', 'stated']);
  });

  it('names each earlier value once with its first places and how many state it, however many releases repeat it', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'many');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.message).toContain(`against the year before (YE 2021-03) 99,447 gives 8.0% (stated in 5 places, ${PLACES_PER_VALUE} named), 99,500 gives 7.9%`);
    expect(f!.expected).toBe('8.0% or 7.9%');
    const earlier = f!.evidence.filter((e) => e.role === 'earlier').map((e) => e.where.split(':')[0]);
    expect(earlier).toEqual([...['a1-2021.txt', 'a2-2021.txt', 'a3-2021.txt'].slice(0, PLACES_PER_VALUE), 'c-2021.txt']);
    expect(f!.evidence.filter((e) => e.role === 'stated').map((e) => e.where.split(':')[0])).toEqual(['b-2022.txt']);
  });

  it('names at most VALUES_NAMED earlier values, the nearest to the stated change, and counts the others', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'values');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    // 12 earlier values, 99,410 … 99,421: a rise of 12% is nearest from the lowest
    const named = Array.from({ length: VALUES_NAMED }, (_, i) => `99,4${10 + i}`);
    expect(f!.message).toContain(`${named.map((v) => `${v} gives 8.0%`).join(', ')}, and ${12 - VALUES_NAMED} other values`);
    expect(f!.evidence.filter((e) => e.role === 'earlier').map((e) => e.where.split(':')[0])).toEqual(named.map((_, i) => `a${10 + i}-2021.txt`));
  });

  it('leaves undecided a change the sentence does not say is on the year before', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
  });

  it('reads the figure a change starts from ("a 10% increase from 90,000") as its base, never as a changed value', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'base');
    expect(r.findings).toEqual([]);
  });

  it('finds the earlier value of a period the sentence names ("from the same time period in 2017/18"), two years back', async () => {
    const r = await runFixture(check, 'change-on-earlier', 'named');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.message).toContain('against 2 years before (YE 2018-03) 88,461 gives 12.4%');
  });

  it('reads how many years back a change is on', async () => {
    const { yearsBack } = await import('./change-on-earlier.js');
    expect(yearsBack('up 8% on the previous year', 'YE 2021-03')).toBe(1);
    expect(yearsBack('an increase of 12% over the past two years', 'YE 2020-03')).toBe(2);
    expect(yearsBack('compared with five years earlier', '2020')).toBe(5);
    expect(yearsBack('an increase of 7% from the same time period in 2017/18', 'YE 2019-03')).toBe(1);
    expect(yearsBack('an increase of 7%', 'YE 2019-03')).toBeNull();
  });
});
