import type { CheckSummary, Finding } from '../contracts.js';

/** One document of the corpus as listed in the report. */
export interface ReportDocument {
  file: string;
  title: string;
  publisher: string;
  release_date: string | null;
}

/** A document that could not be read (extract failed). */
export interface ReportFailure {
  file: string;
  message: string;
}

/** Everything a report renderer needs; renderers are pure: same input, same bytes. */
export interface ReportInput {
  title: string;
  corpus: ReportDocument[];
  failures: ReportFailure[];
  findings: Finding[];
  summaries: CheckSummary[];
  /** check id -> one-sentence description of what the check tests. */
  describe?: Record<string, string>;
}
