import { z } from 'zod';
import { CheckSummary, Finding } from '../checks/contracts.js';
import { Cell, CellStatus, DocumentRecord, Statement, Table } from '../extract/contracts.js';
import { Measure, Observation } from '../transform/contracts.js';

/** A document that could not be read: recorded, and the run goes on. */
export const DocumentFailure = z
  .object({
    file: z.string(),
    stage: z.string(),
    code: z.string(),
    message: z.string(),
  })
  .strict();
export type DocumentFailure = z.infer<typeof DocumentFailure>;

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
  })
  .strict();
export type RunRecord = z.infer<typeof RunRecord>;

/** Everything one run loads into the warehouse. */
export const WarehouseInput = z
  .object({
    run: RunRecord,
    documents: z.array(DocumentRecord),
    failures: z.array(DocumentFailure),
    tables: z.array(Table),
    cells: z.array(Cell),
    statuses: z.array(CellStatus),
    statements: z.array(Statement),
    measures: z.array(Measure),
    observations: z.array(Observation),
    findings: z.array(Finding),
    summaries: z.array(CheckSummary),
  })
  .strict();
export type WarehouseInput = z.infer<typeof WarehouseInput>;
