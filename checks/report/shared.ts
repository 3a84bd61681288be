import type { CheckSummary, Finding, Severity } from '../contracts.js';
import { compareLocators } from '../../core/locator.js';
import { compareCodePoints, compareKeys, sortBy } from '../../core/sort.js';
import type { ReportDocument, ReportProblem, ReportInput } from './types.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export const SEVERITY_HEADING: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/**
 * Append `items` to `out` one by one: out.push(...items) passes every item as an argument, which
 * overflows the call stack for a long list (a finding with the evidence of a whole table).
 */
export function pushAll<T>(out: T[], items: readonly T[]): void {
  for (const item of items) out.push(item);
}

/** Collapse every run of whitespace (newlines included) to one space, trim. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

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
