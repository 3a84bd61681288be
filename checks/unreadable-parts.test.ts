import { describe, expect, it } from 'vitest';
import { runFixture } from './fixtures/run-fixture.js';
import { check as countSumBase } from './rules/count-sum-base.js';
import { check as percentSum100 } from './rules/percent-sum-100.js';
import { check as totalEqualsSum } from './rules/total-equals-sum.js';

/**
 * A part a table does not give ([c], [x]) or that davs could not read ("12-15", "<5") is a cell
 * status, never a number and never dropped: a sum that needs it is undecided, never failed. A total
 * that misses a part because the part was unreadable is the extractor's problem, not the publisher's.
 */
describe('sums with a part that is withheld or unreadable', () => {
  it('total-equals-sum: a column with an unreadable part ("12-15") is undecided; marked parts ("10*", "1a") are summed', async () => {
    const r = await runFixture(totalEqualsSum, 'total-equals-sum', 'unreadable');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1); // Senior: 12-15 + 6 + 5 against 23
    expect(r.summary.passed).toBe(2); // Junior: 12 + 10* + 9 = 31; Director: 3 + 2 + 1a = 6
  });

  it('count-sum-base: counts cut short by an unreadable count ("<5") are undecided, though their percentages make 100%', async () => {
    const r = await runFixture(countSumBase, 'count-sum-base', 'withheld');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(1);
    expect(r.summary.failed).toBe(0);
  });

  it('percent-sum-100: the percentages on each side of a withheld one ([c]) are not each a distribution', async () => {
    const r = await runFixture(percentSum100, 'percent-sum-100', 'withheld');
    expect(r.findings).toEqual([]);
    expect(r.summary.undecided).toBe(2);
    expect(r.summary.failed).toBe(0);
  });
});
