/**
 * The davs command's exit codes and how a published run's are decided. Light on purpose (no
 * imports): the unchanged night (pipelines/unchanged.ts) decides its exit code from the counts the
 * published run kept, before the pipeline is loaded.
 */
export type FailOn = 'error' | 'warning' | 'never';

/** Every exit code of the davs command, in one place (README: "Exit codes"). */
export const EXIT = {
  /** the run published (whatever it found), or verify reproduced the warehouse */
  ok: 0,
  /** the run failed before publishing: bad arguments or config, unreadable raw folder or manifest, an internal error */
  failed: 1,
  /** published; --fail-on was given and findings at that level were found */
  findings: 2,
  /** published; --fail-on was given and documents were lost or flagged at that level (failed, missing, changed, skipped, empty) */
  documents: 3,
  /** not published: the corpus was empty or shrank past the guard (see --allow-shrink) */
  refused: 4,
  /** not run: another davs run holds the warehouse */
  busy: 5,
  /** davs verify: the rebuild or the published file differs from run.json */
  differs: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How many of some findings or document problems are errors and how many warnings. */
export interface SeverityCounts {
  error: number;
  warning: number;
}

export function severityCounts(items: ReadonlyArray<{ severity: string }>): SeverityCounts {
  return { error: items.filter((i) => i.severity === 'error').length, warning: items.filter((i) => i.severity === 'warning').length };
}

/** Exit code of a published run: document problems at the --fail-on level first (data was lost), then (undecided) findings. */
export function exitCodeOfCounts(failOn: FailOn, findings: SeverityCounts, problems: SeverityCounts): ExitCode {
  if (failOn === 'never') return EXIT.ok;
  const counted = (c: SeverityCounts) => c.error + (failOn === 'warning' ? c.warning : 0);
  if (counted(problems) > 0) return EXIT.documents;
  if (counted(findings) > 0) return EXIT.findings;
  return EXIT.ok;
}
