import type { CheckSummary, Finding } from '../contracts.js';

/** One document of the corpus as listed in the report. */
export interface ReportDocument {
  file: string;
  title: string;
  publisher: string;
  release_date: string | null;
}

/**
 * Something that went wrong with a file of raw/: it failed in a stage ('failed'), its manifest
 * entry has no file ('missing') or another sha256 ('changed'), davs does not read it ('skipped'),
 * it has no manifest entry ('unlisted'), or it gave no tables and no numbers ('empty').
 */
export interface ReportProblem {
  file: string;
  kind: string;
  severity: 'error' | 'warning';
  stage: string;
  message: string;
}

/** Everything a report renderer needs; renderers are pure: same input, same bytes. */
export interface ReportInput {
  title: string;
  corpus: ReportDocument[];
  problems: ReportProblem[];
  findings: Finding[];
  summaries: CheckSummary[];
  /** check id -> one-sentence description of what the check tests. */
  describe?: Record<string, string>;
  /** Stewards' decisions (checks/decisions.jsonl); a decision whose finding is not in `findings` is stale and listed on its own. */
  decisions?: ReportDecision[];
}

/** A steward's decision on a finding, as recorded by davs review. */
export interface ReportDecision {
  finding_id: string;
  verdict: string;
  note: string;
  by: string;
  /** YYYY-MM-DD */
  decided_on: string;
}
