import type { CheckSummary, Finding, Severity } from '../contracts.js';
import { compareLocators } from '../../core/locator.js';
import { compareCodePoints, compareKeys, sortBy } from '../../core/sort.js';
import type { ReportDecision, ReportDocument, ReportProblem, ReportInput } from './types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export const SEVERITY_HEADING: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

export { pushAll } from '../../core/collections.js';

/** Collapse every run of whitespace (newlines included) to one space, trim. */
export function oneLine(text: string): string {
  // most text is one line already: no run of whitespace, no whitespace but spaces, none at either end
  return NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

/** Text oneLine changes: two whitespace characters in a row, any whitespace but a space, whitespace at either end. */
const NOT_ONE_LINE = /\s\s|[^\S ]|^\s|\s$/u;

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface Counts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(findings: readonly Finding[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity] += 1;
  return c;
}

/** "2 errors, 1 warning, 0 info over 3 documents". */
export function summaryLine(input: ReportInput): string {
  const c = countBySeverity(input.findings);
  let line =
    `${plural(c.error, 'error', 'errors')}, ${plural(c.warning, 'warning', 'warnings')}, ${c.info} info` +
    ` over ${plural(input.corpus.length, 'document', 'documents')}`;
  const failed = input.problems.filter((p) => p.kind === 'failed').length;
  if (input.problems.length > 0) line += ` (${plural(input.problems.length, 'document problem', 'document problems')}${failed > 0 ? `, ${failed} failed` : ''})`;
  return line;
}

function compareFindings(a: Finding, b: Finding): number {
  const bySev = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  if (bySev !== 0) return bySev;
  const byCheck = compareCodePoints(a.check, b.check);
  if (byCheck !== 0) return byCheck;
  const la = a.evidence[0]?.locator;
  const lb = b.evidence[0]?.locator;
  if (la && lb) {
    const byLoc = compareLocators(la, lb);
    if (byLoc !== 0) return byLoc;
  }
  return compareKeys([a.id, a.message], [b.id, b.message]);
}

/** Findings in report order: severity, check, first evidence location, id. Input order never matters. */
export function orderedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

export function groupBySeverity(findings: readonly Finding[]): Array<{ severity: Severity; findings: Finding[] }> {
  const ordered = orderedFindings(findings);
  return SEVERITIES.map((severity) => ({ severity, findings: ordered.filter((f) => f.severity === severity) })).filter(
    (g) => g.findings.length > 0,
  );
}

export function orderedSummaries(summaries: readonly CheckSummary[]): CheckSummary[] {
  return sortBy(summaries, (s) => [s.check, s.title]);
}

export function orderedCorpus(corpus: readonly ReportDocument[]): ReportDocument[] {
  return sortBy(corpus, (d) => [d.file, d.title]);
}

/** Errors (data lost) first, then by file. */
export function orderedProblems(problems: readonly ReportProblem[]): ReportProblem[] {
  return sortBy(problems, (p) => [p.severity === 'error' ? 0 : 1, p.file, p.kind, p.message]);
}

/** Every check id named by a summary or a finding, sorted. */
export function checkIds(input: ReportInput): string[] {
  const ids = new Set<string>();
  for (const s of input.summaries) ids.add(s.check);
  for (const f of input.findings) ids.add(f.check);
  return [...ids].sort(compareCodePoints);
}

/** One-sentence description of a check, if given. */
export function describeCheck(input: ReportInput, check: string): string | undefined {
  const d = input.describe;
  return d && Object.prototype.hasOwnProperty.call(d, check) ? d[check] : undefined;
}

/**
 * The findings split by the stewards' decisions: undecided ones (still to review), decided ones
 * with their decision, and stale decisions (on findings this run no longer gives), sorted by id.
 */
export interface DecisionSplit {
  undecided: Finding[];
  decided: Array<{ finding: Finding; decision: ReportDecision }>;
  stale: ReportDecision[];
}

export function splitByDecision(input: ReportInput): DecisionSplit {
  const byId = new Map((input.decisions ?? []).map((d) => [d.finding_id, d]));
  // a decision applies to its finding, or to the finding its id was merged into (merged_ids): the one on the finding's own id first
  const decisionOf = (f: Finding & { merged_ids?: readonly string[] | undefined }): ReportDecision | undefined => {
    for (const id of [f.id, ...(f.merged_ids ?? [])]) {
      const d = byId.get(id);
      if (d) return d;
    }
    return undefined;
  };
  const ordered = orderedFindings(input.findings);
  const known = new Set(input.findings.flatMap((f: Finding & { merged_ids?: readonly string[] | undefined }) => [f.id, ...(f.merged_ids ?? [])]));
  const undecided: Finding[] = [];
  const decided: DecisionSplit['decided'] = [];
  for (const f of ordered) {
    const decision = decisionOf(f);
    if (decision) decided.push({ finding: f, decision });
    else undecided.push(f);
  }
  return {
    undecided,
    decided,
    stale: sortBy(
      (input.decisions ?? []).filter((d) => !known.has(d.finding_id)),
      (d) => [d.finding_id],
    ),
  };
}

/** "Undecided: 2 errors, 1 warning, 0 info; decided: 3 (1 stale decision)". */
export function decisionLine(split: DecisionSplit): string {
  const c = countBySeverity(split.undecided);
  let line = `Undecided: ${plural(c.error, 'error', 'errors')}, ${plural(c.warning, 'warning', 'warnings')}, ${c.info} info; decided: ${split.decided.length}`;
  if (split.stale.length > 0) line += ` (${plural(split.stale.length, 'stale decision', 'stale decisions')} on findings that no longer occur)`;
  return line;
}

/** "confirmed by A. Steward on 2026-12-01". */
export function decisionByline(d: ReportDecision): string {
  return `${d.verdict} by ${d.by} on ${d.decided_on}`;
}

/**
 * Text shortened for a list: at most `max` characters, cut at a word boundary with an ellipsis;
 * `clipped` says whether anything was left out (then show the full text too). A text a check already
 * cut ("…" right after a part of a word, checks/run.ts EXCERPT_MAX) is taken back to its last whole word.
 */
export function clipText(text: string, max: number): { text: string; clipped: boolean } {
  const one = oneLine(text);
  if (one.length <= max) {
    const m = one.endsWith('…') ? /^(.*\S)\s+\S+…$/su.exec(one) : null;
    if (m && !/\s…$/u.test(one)) return { text: `${m[1]}…`, clipped: true };
    return { text: one, clipped: false };
  }
  const cut = one.slice(0, max);
  const space = cut.search(/\s\S*$/u);
  const head = (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:—–-]+$/u, '');
  return { text: `${head}…`, clipped: true };
}

/** What a check raised in this run, after merging: findings by severity. */
export function raisedByCheck(findings: readonly Finding[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const f of findings) {
    const c = out.get(f.check) ?? { error: 0, warning: 0, info: 0 };
    c[f.severity] += 1;
    out.set(f.check, c);
  }
  return out;
}

/**
 * A check's severity as it stands in this run: its declared severity, and what it raised when that
 * is anything ("error (raised: 0 errors, 2 warnings)"); "error" alone when it raised nothing.
 */
export function severityLabel(s: CheckSummary, raised: Counts | undefined): string {
  if (!raised || raised.error + raised.warning + raised.info === 0) return s.severity;
  const parts = [plural(raised.error, 'error', 'errors'), plural(raised.warning, 'warning', 'warnings')];
  if (raised.info > 0 || s.severity === 'info') parts.push(`${raised.info} info`);
  return `${s.severity} (raised: ${parts.join(', ')})`;
}

/** The most severe level a check raised, or null when it raised nothing. */
export function highestRaised(raised: Counts | undefined): Severity | null {
  if (!raised) return null;
  return SEVERITIES.find((s) => raised[s] > 0) ?? null;
}
