import type { CheckSummary, Finding } from '../contracts.js';
import type { Locator } from '../../core/locator.js';

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
  /** The run this report is of (id and start time); absent, the report names no run. */
  run?: ReportRun;
  /** New, persisting and resolved findings and the corpus change since the last published run. */
  changes?: ReportChanges;
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

/** The run a report belongs to: the only place a report names the clock (run.json has it too). */
export interface ReportRun {
  run_id: string;
  /** ISO 8601, UTC: when the run started. */
  started_at: string;
}

/** Where a finding of this run stands against the last published run. */
export interface ReportFindingChange {
  /** The finding's id in this run. */
  id: string;
  /** 'new': no id of it (its own or merged_ids) was a finding of the last published run. */
  status: 'new' | 'persisting';
  /** The run that first raised it (carried forward in warehouse/history/findings-seen.json). */
  first_seen: ReportRun;
}

/** A finding of the last published run that this run no longer gives. */
export interface ReportResolvedFinding {
  id: string;
  check: string;
  severity: string;
  /** Its message in the last run that gave it. */
  message: string;
  /** Earliest run known to have raised it (the last published run when the history goes no further back). */
  first_seen: ReportRun;
}

/** What changed since the last published run, worked out in pipelines/ (renderers stay pure). */
export interface ReportChanges {
  /** The run `current` pointed to before this one published; null for a first run (everything is new). */
  previous: ReportRun | null;
  /** One per finding of this run. */
  findings: ReportFindingChange[];
  resolved: ReportResolvedFinding[];
  /** Files of raw/ against the last run's run.json inputs (sha256 for changed). */
  corpus: { added: string[]; changed: string[]; removed: string[] };
}

/**
 * What the report needs to show evidence as the source shows it (issue 11, parts 4–6): the tables
 * evidence cells sit in, the sentences of prose evidence, the series a revision chart draws and where
 * raw/ is from the report. Built in pipelines/run.ts; all optional (a report without them lists the
 * evidence only). Declared as a second block of ReportInput (interfaces merge) to keep it apart.
 */
export interface ReportInput {
  /** Every table evidence cells are read from, keyed by table_id. */
  tables?: Record<string, ReportTable>;
  /** Every prose statement evidence is read from, keyed by statement_id. */
  statements?: Record<string, ReportStatement>;
  /**
   * The evidence as printed a document and check at a time, instead of `tables` and `statements`
   * (which are then not read): a finding's evidence is looked up in its own document's part for the
   * finding's check only. The report stage keeps the parts in a file and reads back the ones the
   * finding being written needs (pipelines/report-stage.ts), so the report holds a few parts'
   * tables, not the corpus's.
   */
  evidence?: EvidenceShelf;
  /** finding id -> the series of the figure(s) it is about (revised/restated/cross-source/change findings). */
  series?: Record<string, ReportSeries[]>;
  /**
   * The raw folder as a URL relative to the report file (e.g. "../../../raw/"), or an absolute file://
   * URL, ending in "/": locators become links to the source file. Absent: no links.
   */
  rawBase?: string;
}

/** A table as printed: its title, header paths, row labels and printed cell values. */
export interface ReportTable {
  table_id: string;
  /** File name under raw/. */
  file: string;
  title: string;
  subtitle: string | null;
  locator: Locator;
  columns: Array<{ index: number; header_path: string[]; /** the base n printed for it ("n = 3074"), raw */ base: string | null }>;
  rows: Array<{ index: number; label_path: string[]; role: string; locator: Locator }>;
  /** Printed values: numeric cells (with cell_id) and status cells ("[x]", "..", no cell_id). */
  cells: Array<{ row: number; column: number; raw: string; cell_id: string | null; locator: Locator }>;
  /** The table's notes, in full. */
  notes: string[];
}

/** One document's tables and sentences that evidence is read from (checks/report/sources.ts documentEvidenceByGroup). */
export interface DocumentEvidence {
  tables: Record<string, ReportTable>;
  statements: Record<string, ReportStatement>;
}

/**
 * The evidence as printed by document and check: of(document, check) holds what the evidence of that
 * check's findings in that document rests on (null: none of it is printed). A finding is shown from
 * its own check's part of each document its evidence is in.
 */
export interface EvidenceShelf {
  of(documentId: string, check: string): DocumentEvidence | null;
}

/** A number in prose with its whole sentence. */
export interface ReportStatement {
  statement_id: string;
  sentence_id: string;
  sentence: string;
  /** Where the number is in the sentence: character offset and the printed number. */
  offset: number;
  raw: string;
  locator: Locator;
}

/** Every vintage of one figure across periods: measure, geography and breakdown fixed. */
export interface ReportSeries {
  measure_id: string;
  measure: string;
  geography: string;
  breakdown: string;
  unit: string;
  points: ReportSeriesPoint[];
  /** Releases giving this figure that are not shown (a figure stated by many releases shows the ones involved, the first and the last). */
  omitted_releases?: number;
}

export interface ReportSeriesPoint {
  period: string;
  release: string;
  release_date: string | null;
  value: number;
  raw: string;
  /** The first place stated (in locator order); `places` how many places state it. */
  locator: Locator;
  places: number;
  /** True when the finding's evidence includes this value. */
  involved: boolean;
}

/** Where a report's lines go as they are made: a list, or a file written a batch at a time (core/fs.ts writeLinesToFile). */
export interface LineSink {
  push(...lines: string[]): unknown;
}
