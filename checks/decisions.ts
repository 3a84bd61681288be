import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { z } from 'zod';
import { DavsError, compareCodePoints, writeFileAtomic } from '../core/index.js';
import { DECISIONS_FILE, PACKAGE_ROOT } from '../core/paths.js';
import { parseJsonLines } from '../transform/json-lines.js';

/**
 * Stewards' decisions on findings: a version-controlled file, checks/decisions.jsonl, one JSON
 * object a line ('#' lines are comments), one entry per finding id, sorted by finding id so a diff
 * shows exactly which decisions changed. `davs review` writes it; the nightly run reads it, shows
 * each decision beside its finding in the report, loads it into finding_decisions and leaves
 * decided findings out of --fail-on. Its default path, DECISIONS_FILE, is in core/paths.ts.
 */
export { DECISIONS_FILE };

const ROOT = PACKAGE_ROOT;

export const VERDICTS = ['confirmed', 'false-alarm', 'explained', 'fixed-upstream'] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'not a calendar date');

/** One line of the decisions file. */
export const Decision = z
  .object({
    finding_id: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{12}$/, "a finding id '<check>:<12 hex>'"),
    verdict: Verdict,
    note: z.string().refine((n) => n.trim() !== '', 'a note is required: why this verdict'),
    by: z.string().refine((n) => n.trim() !== '', 'who decided is required'),
    decided_on: isoDate,
  })
  .strict();
export type Decision = z.infer<typeof Decision>;

/** A decision as the run sees it: 'current' when its finding occurs in this run, 'stale' when it no longer does. */
export type DecisionStatus = 'current' | 'stale';

export const DECISIONS_HEADER = [
  '# Stewards\' decisions on davs findings: one JSON object a line, one line per finding id, sorted by finding_id.',
  '# Written by `davs review <finding-id> --verdict confirmed|false-alarm|explained|fixed-upstream --note "…" [--by NAME]`;',
  '# edit by hand only with care: every line is checked (a bad line is an error naming this file and the line).',
  '#   {"finding_id": "<check>:<12 hex>", "verdict": "confirmed|false-alarm|explained|fixed-upstream",',
  '#    "note": "why", "by": "who decided", "decided_on": "YYYY-MM-DD"}',
  '# The nightly run shows each decision beside its finding, loads them into the warehouse table',
  '# finding_decisions, and leaves decided findings out of --fail-on. Lines starting with # are comments.',
];

/** The file as shown in messages: relative to the repository when inside it. */
export function shownPath(file: string): string {
  const rel = relative(ROOT, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function invalid(file: string, line: number | null, reason: string): DavsError {
  return new DavsError(reason, {
    code: 'input-invalid',
    stage: 'checks',
    document: line === null ? shownPath(file) : `${shownPath(file)}:${line}`,
    hint: 'fix or remove that line (davs review rewrites the file); until then the run treats every finding as undecided',
  });
}

/** Parse and validate the decisions file's text; an error names the file and the line. */
export function parseDecisions(text: string, file: string): Decision[] {
  const seen = new Map<string, number>();
  const out: Decision[] = [];
  for (const { entry, line } of parseJsonLines(text, Decision, (at, reason) => invalid(file, at, reason))) {
    const other = seen.get(entry.finding_id);
    if (other !== undefined) throw invalid(file, line, `finding ${entry.finding_id} is decided twice (also line ${other}); keep one line per finding`);
    seen.set(entry.finding_id, line);
    out.push(entry);
  }
  return sortDecisions(out);
}

/** The decisions in a file; none when the file does not exist. Throws a DavsError naming file and line on a bad line. */
export async function readDecisions(file: string = DECISIONS_FILE): Promise<Decision[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw invalid(file, null, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseDecisions(text, file);
}

export function sortDecisions(decisions: readonly Decision[]): Decision[] {
  return [...decisions].sort((a, b) => compareCodePoints(a.finding_id, b.finding_id));
}

/** The file's text: its leading comment block (or the standard header), then one line per decision, sorted by finding id. */
export function formatDecisions(decisions: readonly Decision[], header: readonly string[] = DECISIONS_HEADER): string {
  const lines = sortDecisions(decisions).map((d) =>
    JSON.stringify({ finding_id: d.finding_id, verdict: d.verdict, note: d.note, by: d.by, decided_on: d.decided_on }),
  );
  return `${[...header, ...lines].join('\n')}\n`;
}

/** The comment lines at the top of a decisions file (kept when the file is rewritten). */
function headerOf(text: string): string[] {
  const header: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim().startsWith('#')) break;
    header.push(line.trimEnd());
  }
  return header.length > 0 ? header : DECISIONS_HEADER;
}

/**
 * Record `decision` in `file`, replacing any earlier decision on the same finding; the file is
 * created with its header if absent. Refuses (a DavsError naming file and line) to rewrite a file
 * that does not parse, so nothing a steward wrote is lost.
 */
export async function recordDecision(file: string, decision: Decision): Promise<{ replaced: Decision | null }> {
  const checked = Decision.parse(decision);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const existing = parseDecisions(text, file);
  const replaced = existing.find((d) => d.finding_id === checked.finding_id) ?? null;
  const next = [...existing.filter((d) => d.finding_id !== checked.finding_id), checked];
  await writeFileAtomic(file, formatDecisions(next, text === '' ? DECISIONS_HEADER : headerOf(text)));
  return { replaced };
}

/** What decisions are matched against: a finding's id and the ids of the findings merged into it (checks/contracts.ts merged_ids). */
export interface DecidedFinding {
  id: string;
  merged_ids?: readonly string[] | undefined;
}

/** Every id a finding has had → the id of the finding of this run that stands for it (its own id first, then merged ids). */
export function findingAliases(findings: readonly DecidedFinding[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of findings) map.set(f.id, f.id);
  for (const f of findings) for (const alias of f.merged_ids ?? []) if (!map.has(alias)) map.set(alias, f.id);
  return map;
}

/**
 * Each decision with the finding of this run it applies to (its own id, or the finding its id was
 * merged into) and its status: 'current' when there is one, 'stale' when the finding no longer
 * occurs. Sorted by finding id.
 */
export function decisionStatuses(decisions: readonly Decision[], findings: readonly DecidedFinding[]): Array<Decision & { status: DecisionStatus; applies_to: string | null }> {
  const aliases = findingAliases(findings);
  return sortDecisions(decisions).map((d) => {
    const applies = aliases.get(d.finding_id) ?? null;
    return { ...d, status: applies === null ? 'stale' : 'current', applies_to: applies };
  });
}

/** Today's date where davs runs, YYYY-MM-DD (local time: the steward's day). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
