import { z } from 'zod';
import { Locator } from '../core/index.js';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** One place a finding rests on: where to look, what it says there, and the value read. */
export const Evidence = z
  .object({
    document: z.string(),
    locator: Locator,
    /** Formatted locator, e.g. "ons-dav-2020-11.txt:L129". */
    where: z.string(),
    excerpt: z.string().max(300),
    value: z.string().nullable(),
    /** What the value was read from: a table cell or a statement in prose; null when the evidence is not one value (a table title, a column's base n). */
    source_kind: z.enum(['cell', 'statement']).nullable(),
    /** The cell_id or statement_id it was read from, per source_kind; null with it. */
    source_id: z.string().nullable(),
    /** What the evidence is to the check: 'stated', 'part', 'total', 'base', 'input', 'earlier', 'later', 'count', 'percent'…; null if nothing in particular. */
    role: z.string().nullable(),
  })
  .strict()
  .refine((e) => (e.source_kind === null) === (e.source_id === null), { message: 'source_kind and source_id are both given or both null' });
export type Evidence = z.infer<typeof Evidence>;

/**
 * A discrepancy worth a steward's time. `id` is `<check>:<12 hex>` of the check and its subject,
 * never of the message, the run order or the time: decisions recorded on it survive re-runs.
 */
export const Finding = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{12}$/),
    check: z.string(),
    severity: Severity,
    message: z.string(),
    expected: z.string(),
    actual: z.string(),
    /** How far actual may sit from expected before it is a finding, from how the figures were rounded. */
    tolerance: z.string(),
    evidence: z.array(Evidence).min(1),
    /**
     * The ids of every finding merged into this one (the same discrepancy in several columns of a
     * table, or in several documents of a release: checks/merge.ts), this finding's own id first; [id]
     * when nothing was merged into it. A decision recorded against any of them applies to this
     * finding (canonicalId in checks/merge.ts). Always set by the runner; optional so findings
     * written before it still parse.
     */
    merged_ids: z.array(z.string().regex(/^[a-z0-9-]+:[0-9a-f]{12}$/)).min(1).optional(),
  })
  .strict()
  .refine((f) => f.merged_ids === undefined || f.merged_ids[0] === f.id, { message: 'merged_ids starts with the finding\'s own id' });
export type Finding = z.infer<typeof Finding>;

/** Per check and run: how many subjects it looked at and what became of them (validate's summary). */
export const CheckSummary = z
  .object({
    check: z.string(),
    title: z.string(),
    severity: Severity,
    evaluated: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    undecided: z.number().int().nonnegative(),
    crashed: z.number().int().nonnegative(),
    /** Error messages when the check itself threw (recorded; the run goes on). */
    crashes: z.array(z.string()),
  })
  .strict();
export type CheckSummary = z.infer<typeof CheckSummary>;

/** A check that threw on a subject of one document (a table, a sentence): recorded against that document too. */
export const CheckCrash = z.object({ check: z.string(), file: z.string(), subject: z.string(), message: z.string() }).strict();
export type CheckCrash = z.infer<typeof CheckCrash>;

export const CheckResults = z.object({ findings: z.array(Finding), summaries: z.array(CheckSummary), crashes: z.array(CheckCrash) }).strict();
export type CheckResults = z.infer<typeof CheckResults>;

/** Where a table check's finding sits, for merging (checks/merge.ts FindingPlace). */
export const FindingPlaceRecord = z
  .object({
    document: z.string(),
    file: z.string(),
    release: z.string(),
    table_id: z.string(),
    title: z.string(),
    cells: z.array(z.object({ row: z.string(), column: z.string(), value: z.number() }).strict()).readonly(),
    position: z.tuple([z.number(), z.number()]).readonly(),
  })
  .strict();

/** What checks found in one part of the subjects before merging (checks/run.ts CheckPart): a document's tables are one. */
export const CheckPartRecord = z
  .object({
    findings: z.array(Finding),
    places: z.array(z.tuple([z.string(), FindingPlaceRecord])),
    summaries: z.array(CheckSummary),
    crashes: z.array(CheckCrash),
  })
  .strict();
