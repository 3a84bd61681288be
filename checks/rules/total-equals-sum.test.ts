import { describe, expect, it } from 'vitest';
import { runFixture } from '../fixtures/run-fixture.js';
import { check } from './total-equals-sum.js';

describe('total-equals-sum', () => {
  it('passes totals that equal their components, including a "Total LBG" parent of marked children', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'pass');
    expect(r.summary.passed).toBe(3);
    expect(r.findings).toEqual([]);
  });

  it('fails a total that its rows add up to more than', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.expected).toBe('11');
    expect(r.findings[0]!.actual).toBe('10');
    expect(r.findings[0]!.evidence[0]!.where).toBe('regions.txt:L7');
  });

  it('warns, not errs, where the rows fall short of their total and none of them catches the rest: a category may not be shown', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'short');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('warning');
    expect(r.findings[0]!.expected).toBe('9');
    expect(r.findings[0]!.message).toContain('the total may include a category the table does not show');
  });

  it('fails rows short of their total when a "Not stated" row shows the categories are complete', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'short-complete');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.severity).toBe('error');
    expect(r.findings[0]!.expected).toBe('9');
  });

  it('finds regions that total their forces without markers, and checks each column', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'implicit');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(9); // North East × 3, Wales × 3, England and Wales × 3
  });

  it('reports the column where an unmarked region does not total its forces, as a warning', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'implicit-fail');
    const wales = r.findings.find((f) => f.message.includes('"Wales"'))!;
    expect(wales.severity).toBe('warning');
    expect(wales.expected).toBe('45');
    expect(wales.actual).toBe('50');
    expect(wales.evidence.map((e) => e.where)).toEqual(['regions.txt:L11', 'regions.txt:L12', 'regions.txt:L13']);
  });

  it('warns when twelve rounded FTE figures miss their total by 4: inside ± 6.5, but rounding makes that with probability < 0.0001', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'improbable');
    expect(r.findings).toHaveLength(1);
    const [f] = r.findings;
    expect(f!.severity).toBe('warning');
    expect(f!.expected).toBe('124');
    expect(f!.actual).toBe('128');
    expect(f!.tolerance).toBe('± 6.5');
    expect(f!.message).toContain('probability < 0.0001');
  });

  it('passes twelve rounded FTE figures that miss their total by 1, as rounding often does', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'pass-rounded');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(1);
  });

  it('leaves undecided a "Total X" column that its neighbours do not add up to in most rows (a measure, not their total)', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'undecided');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(4);
  });

  it('leaves a row undecided where one of its parts is withheld ([c]), and still checks the others', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'withheld');
    expect(r.summary.undecided).toBe(1);
    expect(r.summary.passed).toBe(2);
    expect(r.findings).toEqual([]);
  });

  it('sums rows listed at two levels at one level: "Total with SEN" stands for the two rows after it', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'nested');
    expect(r.findings).toEqual([]);
    expect(r.summary.passed).toBe(2);
  });

  it('takes the rounding a note states ("rounded to the nearest 10") where the figures are so rounded: a total 10 off its two parts passes', async () => {
    const r = await runFixture(check, 'total-equals-sum', 'rounded-note');
    expect(r.summary.passed).toBe(1); // 2012: 123,320 against 20,360 + 102,970
    // 2013 shows 21,271, not rounded to 10: the note does not cover that column, so 1 off is an error
    expect(r.findings.map((f) => [f.severity, f.actual, f.expected])).toEqual([['error', '116,960', '116,961']]);
  });
});
