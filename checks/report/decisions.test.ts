import { describe, expect, it } from 'vitest';
import type { Finding } from '../contracts.js';
import { renderHtml, renderMarkdown, type ReportInput } from './index.js';

function finding(id: string, severity: Finding['severity'], message: string): Finding {
  return {
    id,
    check: id.split(':')[0]!,
    severity,
    message,
    expected: '100',
    actual: '97',
    tolerance: '±1.5',
    evidence: [{ document: 'a.txt', locator: { kind: 'line', document: 'a.txt', line: 1 }, where: 'a.txt:L1', excerpt: 'x', value: '97', source_kind: null, source_id: null, role: null }],
  } as Finding;
}

const e1 = finding('percent-sum-100:000000000001', 'error', 'first error');
const e2 = finding('percent-sum-100:000000000002', 'error', 'second error');
const w1 = finding('total-equals-sum:000000000003', 'warning', 'a warning');

const input = (decisions: ReportInput['decisions']): ReportInput => ({ title: 'T', corpus: [], problems: [], findings: [w1, e2, e1], summaries: [], ...(decisions ? { decisions } : {}) });

describe('decisions in the report', () => {
  const decided = input([
    { finding_id: e2.id, verdict: 'false-alarm', note: 'rates, not a distribution <b>', by: 'A. Steward', decided_on: '2026-12-01' },
    { finding_id: 'percent-sum-100:0000000000ff', verdict: 'confirmed', note: 'gone now', by: 'B. Steward', decided_on: '2026-11-01' },
  ]);

  it('Markdown: counts undecided at the top, decided findings after the undecided, stale decisions in their own section', () => {
    const md = renderMarkdown(decided);
    expect(md).toContain('Undecided: 1 error, 1 warning, 0 info; decided: 1 (1 stale decision on findings that no longer occur).');
    expect(md).toContain('## Errors (1)');
    const errors = md.indexOf('## Errors (1)');
    const warnings = md.indexOf('## Warnings (1)');
    const decidedAt = md.indexOf('## Decided (1)');
    const stale = md.indexOf('## Decisions on findings that no longer occur (1)');
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(decidedAt).toBeGreaterThan(warnings);
    expect(stale).toBeGreaterThan(decidedAt);
    expect(md.slice(errors, warnings)).toContain('first error');
    expect(md.slice(errors, decidedAt)).not.toContain('second error');
    expect(md.slice(decidedAt, stale)).toContain('- decision: **false-alarm** by A. Steward on 2026-12-01: rates, not a distribution \\<b\\>');
    expect(md.slice(stale)).toContain('percent-sum-100:0000000000ff');
    expect(md.slice(stale)).toContain('gone now');
    expect(renderMarkdown(decided)).toBe(md);
  });

  it('HTML: the decision on its card, a Decided group and a stale section, escaped', () => {
    const html = renderHtml(decided);
    expect(html).toContain('Undecided: 1 error, 1 warning, 0 info; decided: 1');
    expect(html).toContain('<h3 class="group decided" id="decided">Decided (1)</h3>');
    expect(html).toContain('data-verdict="false-alarm"');
    expect(html).toContain('rates, not a distribution &lt;b&gt;');
    expect(html).not.toContain('<b>');
    expect(html.indexOf('<section id="stale-decisions">')).toBeGreaterThan(html.indexOf('Decided (1)'));
  });

  it('applies a decision recorded on a finding id that was merged into another finding', () => {
    const merged = { ...e1, merged_ids: [e1.id, 'percent-sum-100:0000000000aa'] } as Finding;
    const md = renderMarkdown({ ...input([{ finding_id: 'percent-sum-100:0000000000aa', verdict: 'confirmed', note: 'n', by: 'x', decided_on: '2026-01-01' }]), findings: [merged, w1] });
    expect(md).toContain('## Decided (1)');
    expect(md).toContain('(recorded on `percent-sum-100:0000000000aa`, now merged into this finding)');
    expect(md).not.toContain('no longer occur');
  });

  it('says when every finding is decided, and is unchanged without decisions', () => {
    const all = renderMarkdown(input([w1, e1, e2].map((f) => ({ finding_id: f.id, verdict: 'confirmed', note: 'n', by: 'x', decided_on: '2026-01-01' }))));
    expect(all).toContain('Every finding is decided (below).');
    expect(all).toContain('Undecided: 0 errors, 0 warnings, 0 info; decided: 3.');
    expect(all).not.toContain('## Errors');
    const none = renderMarkdown(input(undefined));
    expect(none).not.toContain('Undecided');
    expect(none).not.toContain('Decided');
  });
});
