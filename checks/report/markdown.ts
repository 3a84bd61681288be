import type { Evidence, Finding } from '../contracts.js';
import {
  clipText,
  decisionLine,
  describeCheck,
  groupBySeverity,
  oneLine,
  orderedCorpus,
  orderedProblems,
  orderedSummaries,
  pushAll,
  raisedByCheck,
  severityLabel,
  SEVERITY_HEADING,
  SEVERITIES,
  splitByDecision,
  summaryLine,
} from './shared.js';
import type { LineSink, ReportDecision, ReportInput } from './types.js';
import { renderChangesMarkdown } from './changes.js';

/**
 * Inline Markdown text on one line: whitespace collapsed, and the characters that could start
 * emphasis, code, raw HTML, links or a table cell break are backslash-escaped.
 */
export function mdText(text: string): string {
  return oneLine(text).replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`);
}

/** A code span that survives any content (backticks included); `|` escaped for GFM table cells. */
export function mdCode(text: string): string {
  const body = oneLine(text);
  if (body === '') return '';
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly string[]): string[] {
  const sep = align ?? header.map(() => '---');
  return [row(header), row(sep), ...rows.map(row)];
}

function evidenceLine(e: Evidence): string {
  const parts = [mdCode(e.where)];
  if (e.role !== null) parts.push(mdText(e.role));
  if (e.value !== null) parts.push(`value ${mdText(e.value)}`);
  // an excerpt a check cut ("…") is taken back to its last whole word
  const excerpt = mdText(clipText(e.excerpt, 300).text);
  if (excerpt !== '') parts.push(`“${excerpt}”`);
  return `  - ${parts.join(' — ')}`;
}

function decisionText(d: ReportDecision): string {
  return `**${mdText(d.verdict)}** by ${mdText(d.by)} on ${mdText(d.decided_on)}: ${mdText(d.note)}`;
}

function findingBlock(f: Finding, decision?: ReportDecision): string[] {
  return [
    `### ${f.severity}: ${mdText(f.message)}`,
    '',
    `- id: ${mdCode(f.id)}`,
    ...(decision ? [`- decision: ${decisionText(decision)}${decision.finding_id === f.id ? '' : ` (recorded on ${mdCode(decision.finding_id)}, now merged into this finding)`}`] : []),
    `- check: ${mdCode(f.check)}`,
    `- expected: ${mdText(f.expected)}`,
    `- actual: ${mdText(f.actual)}`,
    `- tolerance: ${mdText(f.tolerance)}`,
    `- evidence:`,
    ...f.evidence.map(evidenceLine),
    '',
  ];
}

/** The discrepancy report as GitHub-flavoured Markdown. Pure and deterministic. */
export function renderMarkdown(input: ReportInput): string {
  const out: string[] = [];
  renderMarkdownTo(input, out);
  return `${out.join('\n')}\n`;
}

/** renderMarkdown's lines (the file is them joined by newlines, with one at the end; no blank lines at the end), pushed to `sink` as they are made: a large report is written without holding it whole. */
export function renderMarkdownTo(input: ReportInput, sink: LineSink): void {
  const out = withoutBlankEnd(sink);
  out.push(`# ${mdText(input.title)}`, '', `${summaryLine(input)}.`, '');
  const split = splitByDecision(input);
  if (input.decisions !== undefined) out.push(`${mdText(decisionLine(split))}.`, '');
  pushAll(out, renderChangesMarkdown(input, mdText, mdCode));

  out.push('## Documents', '');
  if (input.corpus.length === 0) {
    out.push('No documents.', '');
  } else {
    pushAll(
      out,
      table(
        ['File', 'Title', 'Publisher', 'Release date'],
        orderedCorpus(input.corpus).map((d) => [mdCode(d.file), mdText(d.title), mdText(d.publisher), d.release_date === null ? '—' : mdText(d.release_date)]),
      ),
    );
    out.push('');
  }

  if (input.problems.length > 0) {
    out.push('## Document problems', '', 'Files of raw/ that failed in a stage (nothing of them is loaded), are missing or changed against the manifest, were skipped, or gave nothing to read.', '');
    pushAll(out, table(['File', 'Problem', 'Severity', 'Stage', 'What happened'], orderedProblems(input.problems).map((p) => [mdCode(p.file), p.kind, p.severity, p.stage, mdText(p.message)])));
    out.push('');
  }

  out.push('## Checks', '');
  const summaries = orderedSummaries(input.summaries);
  if (summaries.length === 0) {
    out.push('No checks ran.', '');
  } else {
    const raised = raisedByCheck(input.findings);
    pushAll(
      out,
      table(
        ['Check', 'Severity', 'What it tests', 'Evaluated', 'Passed', 'Failed', 'Undecided', 'Crashed'],
        summaries.map((s) => [
          `${mdCode(s.check)} ${mdText(s.title)}`.trim(),
          mdText(severityLabel(s, raised.get(s.check))),
          mdText(describeCheck(input, s.check) ?? ''),
          String(s.evaluated),
          String(s.passed),
          String(s.failed),
          String(s.undecided),
          String(s.crashed),
        ]),
        ['---', '---', '---', '--:', '--:', '--:', '--:', '--:'],
      ),
    );
    out.push('');
    const crashed = summaries.filter((s) => s.crashes.length > 0);
    if (crashed.length > 0) {
      out.push('### Check crashes', '');
      for (const s of crashed) for (const c of s.crashes) out.push(`- ${mdCode(s.check)}: ${mdText(c)}`);
      out.push('');
    }
  }

  const groups = groupBySeverity(split.undecided);
  if (input.findings.length === 0) {
    out.push('## Findings', '', 'No findings.', '');
  } else if (groups.length === 0) {
    out.push('## Findings', '', 'Every finding is decided (below).', '');
  } else {
    for (const g of groups) {
      out.push(`## ${SEVERITY_HEADING[g.severity]} (${g.findings.length})`, '');
      for (const f of g.findings) pushAll(out, findingBlock(f));
    }
  }

  if (split.decided.length > 0) {
    out.push(`## Decided (${split.decided.length})`, '', 'Findings a steward has decided on (checks/decisions.jsonl, davs review); they do not count towards --fail-on.', '');
    for (const severity of SEVERITIES) {
      for (const { finding, decision } of split.decided) if (finding.severity === severity) pushAll(out, findingBlock(finding, decision));
    }
  }

  if (split.stale.length > 0) {
    out.push(
      `## Decisions on findings that no longer occur (${split.stale.length})`,
      '',
      'Recorded in checks/decisions.jsonl, but this run did not give the finding (the figures changed, or the check did): kept, not applied. Remove the line once it is of no more use.',
      '',
    );
    pushAll(out, table(['Finding', 'Verdict', 'By', 'On', 'Note'], split.stale.map((d) => [mdCode(d.finding_id), mdText(d.verdict), mdText(d.by), mdText(d.decided_on), mdText(d.note)])));
    out.push('');
  }

  out.end();
}

/**
 * `sink`, but with no blank lines at the end (a line may itself end in newlines): the last line
 * with text, and any blank ones after it, are held until another line with text comes, or end().
 */
function withoutBlankEnd(sink: LineSink): { push(...lines: string[]): void; end(): void } {
  let held: string[] = [];
  return {
    push: (...lines: string[]) => {
      for (const line of lines) {
        if (/^\n*$/.test(line)) held.push(line);
        else {
          if (held.length > 0) sink.push(...held);
          held = [line];
        }
      }
    },
    end: () => {
      while (held.length > 0 && /^\n*$/.test(held[held.length - 1]!)) held.pop();
      if (held.length > 0) sink.push(...held.slice(0, -1), held[held.length - 1]!.replace(/\n+$/, ''));
      held = [];
    },
  };
}
