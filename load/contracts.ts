import { z } from 'zod';
import { CheckSummary, Finding } from '../checks/contracts.js';
import { Decision } from '../checks/decisions.js';
import { Cell, CellStatus, DocumentRecord, Statement, Table } from '../extract/contracts.js';
import { Measure, Observation } from '../transform/contracts.js';

export const PROBLEM_KINDS = ['failed', 'missing', 'changed', 'skipped', 'unlisted', 'empty', 'decisions'] as const;

/** Something that went wrong with one file of raw/: recorded, listed in the report, and the run goes on. */
export const DocumentProblem = z
  .object({
    file: z.string(),
    kind: z.enum(PROBLEM_KINDS),
    severity: z.enum(['error', 'warning']),
    stage: z.string(),
    code: z.string(),
    message: z.string(),
  })
  .strict();
export type DocumentProblem = z.infer<typeof DocumentProblem>;

/** Run metadata: the only place the clock and the host appear. */
export const RunRecord = z
  .object({
    run_id: z.string(),
    started_at: z.string(),
    finished_at: z.string(),
    davs_version: z.string(),
    raw_dir: z.string(),
    /** sha256 over the sorted (file, sha256) pairs of the corpus. */
    corpus_sha256: z.string(),
    documents: z.number().int().nonnegative(),
    failed_documents: z.number().int().nonnegative(),
    findings: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    warnings: z.number().int().nonnegative(),
    document_problems: z.number().int().nonnegative(),
    cells: z.number().int().nonnegative(),
    code_revision: z.string().nullable(),
    lockfile_sha256: z.string().nullable(),
    node_version: z.string(),
    duckdb_version: z.string(),
  })
  .strict();
export type RunRecord = z.infer<typeof RunRecord>;

/** Everything one run loads into the warehouse. */
export const WarehouseInput = z
  .object({
    run: RunRecord,
    documents: z.array(DocumentRecord),
    problems: z.array(DocumentProblem),
    tables: z.array(Table),
    cells: z.array(Cell),
    statuses: z.array(CellStatus),
    statements: z.array(Statement),
    /** The area each cell is for as the transform resolves it (row labels, else table and document); a cell not listed takes its row labels' area. */
    cell_geographies: z.array(z.object({ cell_id: z.string(), geography_code: z.string().nullable() }).strict()).default([]),
    measures: z.array(Measure),
    observations: z.array(Observation),
    findings: z.array(Finding),
    summaries: z.array(CheckSummary),
    /** Stewards' decisions on findings (checks/decisions.jsonl); finding_decisions.status is worked out against `findings`; none when absent. */
    decisions: z.array(Decision).optional(),
  })
  .strict();
export type WarehouseInput = z.infer<typeof WarehouseInput>;

/**
 * run.json, beside the report: the run record plus what proves the run reproducible, namely every
 * input file's sha256 and a content hash of each warehouse table (all but `runs`, rows in canonical
 * order). `davs verify` rebuilds from raw/ and compares these.
 */
export const RunManifest = RunRecord.extend({
  inputs: z.array(z.object({ file: z.string(), sha256: z.string() }).strict()),
  table_sha256: z.record(z.string(), z.string()),
  /** How table_sha256 was computed (load/index.ts TABLE_DIGEST); absent in a run.json of a davs before it was named. */
  table_digest: z.string().optional(),
  warehouse_sha256: z.string(),
}).strict();
export type RunManifest = z.infer<typeof RunManifest>;
