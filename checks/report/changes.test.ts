import { describe, expect, it } from 'vitest';
import type { Finding } from '../contracts.js';
import { compareRuns, withoutRunBlock, type PreviousRun } from './changes.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportInput } from './types.js';

const MON = { run_id: 'run-mon', started_at: '2026-03-02T02:00:00.000Z' };
const TUE = { run_id: 'run-tue', started_at: '2026-03-03T02:00:00.000Z' };
const WED = { run_id: 'run-wed', started_at: '2026-03-04T02:00:00.000Z' };

const id = (n: number) => `percent-sum-100:${String(n).padStart(12, '0')}`;

function finding(n: number, merged?: number[], message = `finding ${n}`): Finding {
  return {
    id: id(n),
    check: 'percent-sum-100',
    severity: 'warning',
    message,
    expected: '100%',
    actual: '98%',
    tolerance: '± 1.5',
    evidence: [],
    ...(merged ? { merged_ids: merged.map(id) } : {}),
  } as Finding;
}

function previous(run: typeof MON, findings: Finding[], inputs = [{ file: 'a.txt', sha256: 'aa' }]): PreviousRun {
  return { run, findings, inputs };
}

describe('compareRuns', () => {
  it('a first run: everything new, first seen now, no corpus change', () => {
    const { changes, seen } = compareRuns(MON, [finding(1), finding(2)], [{ file: 'a.txt', sha256: 'aa' }], null, {});
    expect(changes.previous).toBeNull();
    expect(changes.findings.map((c) => [c.id, c.status, c.first_seen.run_id])).toEqual([
      [id(1), 'new', 'run-mon'],
      [id(2), 'new', 'run-mon'],
    ]);
    expect(changes.resolved).toEqual([]);
    expect(changes.corpus).toEqual({ added: [], changed: [], removed: [] });
    expect(seen).toEqual({ run_id: 'run-mon', findings: { [id(1)]: MON, [id(2)]: MON } });
  });

  it('a regrouping by the merge is neither resolved nor new: a member of last night’s finding is the same finding', () => {
    // Monday: 1 and 2 separate (2 first seen Monday, 1 on Sunday per the history); Tuesday: merged into one under id 2
    const sunday = { run_id: 'run-sun', started_at: '2026-03-01T02:00:00.000Z' };
    const before = previous(MON, [finding(1, [1]), finding(2, [2])]);
    const { changes, seen } = compareRuns(TUE, [finding(2, [2, 1])], [{ file: 'a.txt', sha256: 'aa' }], before, { [id(1)]: sunday, [id(2)]: MON });
    expect(changes.findings).toEqual([{ id: id(2), status: 'persisting', first_seen: sunday }]);
    expect(changes.resolved).toEqual([]);
    expect(seen.findings).toEqual({ [id(1)]: sunday, [id(2)]: sunday });
    // and split again on Wednesday: both persist, first seen Sunday
    const split = compareRuns(WED, [finding(1, [1]), finding(2, [2])], [], previous(TUE, [finding(2, [2, 1])]), seen.findings);
    expect(split.changes.findings.map((c) => [c.status, c.first_seen.run_id])).toEqual([
      ['persisting', 'run-sun'],
      ['persisting', 'run-sun'],
    ]);
  });

  it('lists resolved findings with their last message, new ones, and the corpus change', () => {
    const before = previous(MON, [finding(1), finding(3, undefined, 'gone')], [
      { file: 'a.txt', sha256: 'aa' },
      { file: 'b.txt', sha256: 'bb' },
      { file: 'c.txt', sha256: 'cc' },
    ]);
    const { changes } = compareRuns(TUE, [finding(1), finding(4)], [{ file: 'a.txt', sha256: 'aa' }, { file: 'b.txt', sha256: 'b2' }, { file: 'd.txt', sha256: 'dd' }], before, {});
    expect(changes.findings.map((c) => [c.id, c.status, c.first_seen.run_id])).toEqual([
      [id(1), 'persisting', 'run-mon'],
      [id(4), 'new', 'run-tue'],
    ]);
    expect(changes.resolved).toEqual([{ id: id(3), check: 'percent-sum-100', severity: 'warning', message: 'gone', first_seen: MON }]);
    expect(changes.corpus).toEqual({ added: ['d.txt'], changed: ['b.txt'], removed: ['c.txt'] });
  });

  it('matches a finding whose id changed (its document was edited) by check and message', () => {
    const { changes } = compareRuns(TUE, [finding(7, undefined, 'same words')], [], previous(MON, [finding(6, undefined, 'same words')]), { [id(6)]: MON });
    expect(changes.findings).toEqual([{ id: id(7), status: 'persisting', first_seen: MON }]);
    expect(changes.resolved).toEqual([]);
  });
});

describe('the run block of the reports', () => {
  const base: ReportInput = { title: 'T', corpus: [], problems: [{ file: 'bad.txt', kind: 'failed', severity: 'error', stage: 'extract', message: 'bad.txt: unreadable' }], findings: [finding(1), finding(2)], summaries: [] };

  it('is left out when the input names no run', () => {
    expect(renderMarkdown(base)).not.toContain('davs:run');
    expect(renderHtml(base)).not.toContain('id="changes"');
  });

  it('names the run, counts, flags new findings with links to their cards, lists resolved ones and the failed documents', () => {
    const { changes } = compareRuns(TUE, base.findings, [], previous(MON, [finding(1), finding(3, undefined, 'was <here>')]), {});
    const input: ReportInput = { ...base, run: TUE, changes };
    const md = renderMarkdown(input);
    expect(md).toContain('Run `run-tue`, started 2026-03-03 02:00:00 UTC.');
    expect(md).toContain('**1 new, 1 persisting, 1 resolved**');
    expect(md).toContain(`- **new** warning: finding 2 (\`${id(2)}\`)`);
    expect(md).toContain(`- warning: was \\<here\\> (\`${id(3)}\`, first seen 2026-03-02)`);
    expect(md).toContain('- `bad.txt` (extract): bad.txt: unreadable');
    expect(withoutRunBlock(md)).toBe(renderMarkdown(base));
    const html = renderHtml(input);
    expect(html).toContain(`<a href="#${id(2)}">finding 2</a>`);
    expect(html).toContain('was &lt;here&gt;');
    expect(html.indexOf('id="changes"')).toBeLessThan(html.indexOf('id="documents"'));
    expect(renderHtml(input)).toBe(html);
  });
});
