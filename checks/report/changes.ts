import type { Finding } from '../contracts.js';
import { compareCodePoints, compareKeys, sortBy } from '../../core/sort.js';
import { oneLine, orderedFindings, orderedProblems, plural } from './shared.js';
import type { ReportChanges, ReportFindingChange, ReportInput, ReportResolvedFinding, ReportRun } from './types.js';

/**
 * "What changed since the last run": the block a report opens with (run id and time, new /
 * persisting / resolved findings, the corpus change, the failed documents), and the pure
 * comparison pipelines/run.ts feeds it. Everything here is pure; the clock and the previous run
 * reach it only through ReportInput.run and ReportInput.changes.
 */

/** Markers around the run-specific block: the only lines of a report that differ between two runs over the same raw/. */
export const RUN_BLOCK_START = '<!-- davs:run -->';
export const RUN_BLOCK_END = '<!-- /davs:run -->';

/** A report with its run block cut out: what two runs over the same raw/ give byte for byte. */
export function withoutRunBlock(report: string): string {
  return report.replace(new RegExp(`${RUN_BLOCK_START}[\\s\\S]*?${RUN_BLOCK_END}\\n\\n?`, 'g'), '');
}

// ---------------------------------------------------------------- the comparison (used by pipelines/)

/** warehouse/history/findings-seen.json: every id a finding of the run `run_id` had → the run that first raised it. */
export interface FindingsSeen {
  /** The run that wrote the file. */
  run_id: string;
  findings: Record<string, ReportRun>;
}

/** The last published run as the comparison needs it. */
export interface PreviousRun {
  run: ReportRun;
  findings: ReadonlyArray<Pick<Finding, 'id' | 'check' | 'severity' | 'message' | 'merged_ids'>>;
  inputs: ReadonlyArray<{ file: string; sha256: string }>;
}

type Aliased = Pick<Finding, 'id' | 'merged_ids' | 'check' | 'message'>;

/** A finding's id and every id merged into it: any one of them names the same finding in another run. */
export function aliases(f: Pick<Finding, 'id' | 'merged_ids'>): string[] {
  return [...new Set([f.id, ...(f.merged_ids ?? [])])];
}

function earliest(runs: ReadonlyArray<ReportRun | undefined>): ReportRun | undefined {
  let best: ReportRun | undefined;
  for (const r of runs) if (r && (!best || compareKeys([r.started_at, r.run_id], [best.started_at, best.run_id]) < 0)) best = r;
  return best;
}

/**
 * This run's findings against the last published run's: a finding is persisting when any of its
 * ids (its own or merged_ids) was an id of a finding last time, so a regrouping by the merge is not
 * resolved + new; its first-seen run is the earliest the history knows for any of those ids (the
 * previous run when the history knows none). A finding no id of which was seen, but with the check
 * and message of a finding left unmatched last time, is that finding too: an edited document gets a
 * new document id (it hashes the file), and so do all its findings, even the ones whose figures did
 * not change. Returns the change data for the report and the
 * history to publish with this run.
 */
export function compareRuns(
  run: ReportRun,
  findings: readonly Aliased[],
  inputs: ReadonlyArray<{ file: string; sha256: string }>,
  previous: PreviousRun | null,
  seen: Readonly<Record<string, ReportRun>>,
): { changes: ReportChanges; seen: FindingsSeen } {
  const known = (id: string): ReportRun | undefined => (Object.prototype.hasOwnProperty.call(seen, id) ? seen[id] : undefined);
  const prevByAlias = new Map<string, PreviousRun['findings'][number]>();
  for (const p of previous?.findings ?? []) for (const a of aliases(p)) if (!prevByAlias.has(a)) prevByAlias.set(a, p);

  const matched = new Set<string>();
  const ordered = sortBy(findings, (x) => [x.id]);
  const byId = new Map(ordered.map((f) => [f.id, [...new Set(aliases(f).flatMap((a) => (prevByAlias.has(a) ? [prevByAlias.get(a)!] : [])))]]));
  for (const was of byId.values()) for (const p of was) matched.add(p.id);
  // same check and message, no id in common: matched one to one, in id order
  const byText = new Map<string, Array<PreviousRun['findings'][number]>>();
  for (const p of sortBy(previous?.findings ?? [], (x) => [x.id])) {
    if (matched.has(p.id)) continue;
    const key = JSON.stringify([p.check, p.message]);
    byText.set(key, [...(byText.get(key) ?? []), p]);
  }
  for (const f of ordered) {
    if (byId.get(f.id)!.length > 0) continue;
    const p = byText.get(JSON.stringify([f.check, f.message]))?.shift();
    if (p) {
      byId.set(f.id, [p]);
      matched.add(p.id);
    }
  }

  const changes: ReportFindingChange[] = [];
  const history: Record<string, ReportRun> = {};
  for (const f of ordered) {
    const mine = aliases(f);
    const was = byId.get(f.id)!;
    const first = was.length === 0 || !previous ? run : (earliest([...mine, ...was.flatMap(aliases)].map(known)) ?? previous.run);
    changes.push({ id: f.id, status: was.length === 0 ? 'new' : 'persisting', first_seen: first });
    for (const a of mine) history[a] = first;
  }
  const resolved: ReportResolvedFinding[] = [];
  for (const p of previous?.findings ?? []) {
    if (matched.has(p.id)) continue;
    resolved.push({ id: p.id, check: p.check, severity: p.severity, message: p.message, first_seen: earliest(aliases(p).map(known)) ?? previous!.run });
  }

  const before = new Map((previous?.inputs ?? []).map((i) => [i.file, i.sha256]));
  const after = new Map(inputs.map((i) => [i.file, i.sha256]));
  const corpus = previous
    ? {
        added: [...after.keys()].filter((f) => !before.has(f)).sort(compareCodePoints),
        changed: [...after.keys()].filter((f) => before.has(f) && before.get(f) !== after.get(f)).sort(compareCodePoints),
        removed: [...before.keys()].filter((f) => !after.has(f)).sort(compareCodePoints),
      }
    : { added: [], changed: [], removed: [] };

  const sortedHistory: Record<string, ReportRun> = {};
  for (const id of Object.keys(history).sort(compareCodePoints)) sortedHistory[id] = history[id]!;
  return {
    changes: { previous: previous?.run ?? null, findings: changes, resolved: sortBy(resolved, (r) => [r.id]), corpus },
    seen: { run_id: run.run_id, findings: sortedHistory },
  };
}

// ---------------------------------------------------------------- what the renderers show

/** "2026-01-02 02:00:00 UTC" from an ISO time; the text as given when it is not one. */
export function utcTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** "2026-01-02" */
export function utcDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

export interface ChangeView {
  run: ReportRun;
  previous: ReportRun | null;
  /** This run's findings in report order, each with its status and first-seen run. */
  newFindings: Array<{ finding: Finding; first_seen: ReportRun }>;
  persisting: Array<{ finding: Finding; first_seen: ReportRun }>;
  resolved: ReportResolvedFinding[];
  corpus: ReportChanges['corpus'];
  failed: ReturnType<typeof orderedProblems>;
}

/** The header block's content, or null when the input names no run (the block is left out). */
export function changeView(input: ReportInput): ChangeView | null {
  if (!input.run) return null;
  const byId = new Map((input.changes?.findings ?? []).map((c) => [c.id, c]));
  const newFindings: ChangeView['newFindings'] = [];
  const persisting: ChangeView['persisting'] = [];
  for (const f of orderedFindings(input.findings)) {
    const c = byId.get(f.id);
    // without change data every finding counts as new, first seen in this run
    if (!c || c.status === 'new') newFindings.push({ finding: f, first_seen: c?.first_seen ?? input.run });
    else persisting.push({ finding: f, first_seen: c.first_seen });
  }
  return {
    run: input.run,
    previous: input.changes?.previous ?? null,
    newFindings,
    persisting,
    resolved: sortBy(input.changes?.resolved ?? [], (r) => [r.severity === 'error' ? 0 : r.severity === 'warning' ? 1 : 2, r.id]),
    corpus: input.changes?.corpus ?? { added: [], changed: [], removed: [] },
    failed: orderedProblems(input.problems.filter((p) => p.kind === 'failed')),
  };
}

/** "3 new, 40 persisting, 2 resolved since run-… (2026-01-01 02:00:00 UTC)" */
export function changeLine(v: ChangeView): string {
  const counts = `${v.newFindings.length} new, ${v.persisting.length} persisting, ${v.resolved.length} resolved`;
  return v.previous ? `${counts} since the last published run, ${v.previous.run_id} (${utcTime(v.previous.started_at)})` : `${counts}: no earlier published run, so every finding is new`;
}

/** "2 added, 1 changed, 0 removed" or "none" */
export function corpusLine(v: ChangeView): string {
  if (!v.previous) return 'no earlier published run to compare with';
  const { added, changed, removed } = v.corpus;
  if (added.length + changed.length + removed.length === 0) return 'no document added, changed or removed';
  return `${plural(added.length, 'document', 'documents')} added, ${changed.length} changed (sha256), ${removed.length} removed`;
}

// ---------------------------------------------------------------- HTML

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function h(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Styles of the block; html.ts adds them to its CSS. */
export const CHANGES_CSS = `
#changes{border:1px solid var(--line);border-radius:.5rem;padding:.6rem 1rem;margin:.5rem 0 1rem;background:#f9fafb}
#changes h2{margin:0 0 .4rem;border:0;font-size:1.1rem}#changes h3{font-size:1rem;margin:.6rem 0 .2rem}#changes ul{margin:.2rem 0;padding-left:1.2rem}
#changes .runid{user-select:all}.badge.new{color:#6941c6;background:#f4f3ff}.badge.persisting{color:var(--muted)}.badge.resolved{color:var(--ok);background:#ecfdf3}
.tag.new{display:inline-block;font-size:.75em;font-weight:700;text-transform:uppercase;color:#fff;background:#6941c6;border-radius:.25rem;padding:0 .3rem;margin-right:.3rem}
`;

function fileList(files: readonly string[]): string {
  return files.map((f) => `<code>${h(f)}</code>`).join(', ');
}

/** The run block of report.html: lines to put at the top of the page body; none when the input names no run. */
export function renderChangesHtml(input: ReportInput): string[] {
  const v = changeView(input);
  if (!v) return [];
  const out: string[] = [
    RUN_BLOCK_START,
    '<section id="changes">',
    `<h2>What changed since the last run</h2>`,
    `<p class="meta">Run <code class="runid">${h(v.run.run_id)}</code>, started ${h(utcTime(v.run.started_at))}.</p>`,
    '<div class="badges">',
    `<span class="badge new">${v.newFindings.length} new</span>`,
    `<span class="badge persisting">${v.persisting.length} persisting</span>`,
    `<span class="badge resolved">${v.resolved.length} resolved</span>`,
    '</div>',
    `<p>${h(changeLine(v))}.</p>`,
  ];
  if (v.newFindings.length > 0) {
    out.push(`<h3>New (${v.newFindings.length})</h3>`, '<ul class="new-findings">');
    for (const { finding: f } of v.newFindings) {
      out.push(`<li><span class="tag new">new</span><span class="sev ${f.severity}">${f.severity}</span> <a href="#${h(f.id)}">${h(f.message)}</a> <code>${h(f.id)}</code></li>`);
    }
    out.push('</ul>');
  }
  if (v.resolved.length > 0) {
    out.push(`<h3>Resolved (${v.resolved.length})</h3>`, '<p class="meta">Findings of the last published run that this run no longer gives, with their last message.</p>', '<ul class="resolved-findings">');
    for (const r of v.resolved) {
      out.push(`<li><span class="sev ${h(r.severity)}">${h(r.severity)}</span> ${h(r.message)} <code>${h(r.id)}</code> (first seen ${h(utcDate(r.first_seen.started_at))})</li>`);
    }
    out.push('</ul>');
  }
  if (v.persisting.length > 0) {
    out.push(`<details><summary>Persisting (${v.persisting.length}), with the date each was first seen</summary>`, '<ul class="persisting-findings">');
    for (const { finding: f, first_seen } of v.persisting) out.push(`<li><a href="#${h(f.id)}">${h(f.message)}</a> — first seen ${h(utcDate(first_seen.started_at))} (<code>${h(first_seen.run_id)}</code>)</li>`);
    out.push('</ul>', '</details>');
  }
  out.push(`<h3>Documents</h3>`, `<p>${h(corpusLine(v))}.</p>`);
  const { added, changed, removed } = v.corpus;
  if (added.length + changed.length + removed.length > 0) {
    out.push('<ul class="corpus-changes">');
    if (added.length > 0) out.push(`<li>Added: ${fileList(added)}</li>`);
    if (changed.length > 0) out.push(`<li>Changed: ${fileList(changed)}</li>`);
    if (removed.length > 0) out.push(`<li>Removed: ${fileList(removed)}</li>`);
    out.push('</ul>');
  }
  if (v.failed.length === 0) out.push('<p>No document failed.</p>');
  else {
    out.push(`<p>Failed (${v.failed.length}; nothing of them is loaded, see <a href="#problems">Document problems</a>):</p>`, '<ul class="failed-documents">');
    for (const p of v.failed) out.push(`<li><code>${h(p.file)}</code> (${h(p.stage)}): ${h(p.message)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>', RUN_BLOCK_END);
  return out;
}

// ---------------------------------------------------------------- Markdown

/** The run block of report.md, given the Markdown escapes of markdown.ts; none when the input names no run. */
export function renderChangesMarkdown(input: ReportInput, mdText: (s: string) => string, mdCode: (s: string) => string): string[] {
  const v = changeView(input);
  if (!v) return [];
  const out: string[] = [
    RUN_BLOCK_START,
    '## What changed since the last run',
    '',
    `Run ${mdCode(v.run.run_id)}, started ${mdText(utcTime(v.run.started_at))}.`,
    '',
    `**${v.newFindings.length} new, ${v.persisting.length} persisting, ${v.resolved.length} resolved**: ${mdText(changeLine(v))}.`,
    '',
  ];
  if (v.newFindings.length > 0) {
    out.push(`### New (${v.newFindings.length})`, '');
    for (const { finding: f } of v.newFindings) out.push(`- **new** ${f.severity}: ${mdText(f.message)} (${mdCode(f.id)})`);
    out.push('');
  }
  if (v.resolved.length > 0) {
    out.push(`### Resolved (${v.resolved.length})`, '', 'Findings of the last published run that this run no longer gives, with their last message.', '');
    for (const r of v.resolved) out.push(`- ${mdText(r.severity)}: ${mdText(r.message)} (${mdCode(r.id)}, first seen ${mdText(utcDate(r.first_seen.started_at))})`);
    out.push('');
  }
  if (v.persisting.length > 0) {
    out.push(`### Persisting (${v.persisting.length})`, '');
    for (const { finding: f, first_seen } of v.persisting) out.push(`- ${mdText(f.message)} (${mdCode(f.id)}): first seen ${mdText(utcDate(first_seen.started_at))}, ${mdCode(first_seen.run_id)}`);
    out.push('');
  }
  out.push('### Documents', '', `${mdText(corpusLine(v))}.`, '');
  const { added, changed, removed } = v.corpus;
  const files = (xs: readonly string[]) => xs.map(mdCode).join(', ');
  if (added.length > 0) out.push(`- added: ${files(added)}`);
  if (changed.length > 0) out.push(`- changed: ${files(changed)}`);
  if (removed.length > 0) out.push(`- removed: ${files(removed)}`);
  if (added.length + changed.length + removed.length > 0) out.push('');
  if (v.failed.length === 0) out.push('No document failed.', '');
  else {
    out.push(`Failed (${v.failed.length}; nothing of them is loaded, see Document problems):`, '');
    for (const p of v.failed) out.push(`- ${mdCode(p.file)} (${mdText(p.stage)}): ${mdText(p.message)}`);
    out.push('');
  }
  out.push(RUN_BLOCK_END, '');
  return out;
}
