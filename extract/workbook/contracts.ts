import { z } from 'zod';

/** One non-empty cell as SheetJS read it: type, value, formatted text, formula. */
export const SheetCell = z
  .object({
    r: z.number().int().nonnegative(),
    c: z.number().int().nonnegative(),
    /** SheetJS type: n number, s string, b boolean, d date, e error. */
    t: z.enum(['n', 's', 'b', 'd', 'e', 'z']),
    v: z.union([z.string(), z.number(), z.boolean(), z.null()]),
    /** The text as the spreadsheet shows it (number formats applied), when stored. */
    w: z.string().nullable(),
    f: z.string().nullable(),
  })
  .strict();
export type SheetCell = z.infer<typeof SheetCell>;

export const SheetRange = z.object({ s: z.object({ r: z.number(), c: z.number() }).strict(), e: z.object({ r: z.number(), c: z.number() }).strict() }).strict();

export const Sheet = z
  .object({
    name: z.string(),
    hidden: z.boolean(),
    cells: z.array(SheetCell),
    merges: z.array(SheetRange),
    hiddenRows: z.array(z.number().int().nonnegative()),
    hiddenColumns: z.array(z.number().int().nonnegative()),
  })
  .strict();
export type Sheet = z.infer<typeof Sheet>;

export const WorkbookRead = z.object({ sheets: z.array(Sheet) }).strict();
export type WorkbookRead = z.infer<typeof WorkbookRead>;

/** Limits on what a workbook may cost before it is refused (configurable: see pipelines/config.ts). */
export const WorkbookLimits = z
  .object({
    maxBytes: z.number().int().positive().default(50 * 1024 * 1024).describe('Largest file accepted'),
    maxEntries: z.number().int().positive().default(10_000).describe('Most zip entries'),
    maxInflatedBytes: z.number().int().positive().default(512 * 1024 * 1024).describe('Most bytes the zip may inflate to'),
    maxRows: z.number().int().positive().default(200_000).describe('Most rows on one sheet'),
    maxCells: z.number().int().positive().default(2_000_000).describe('Most non-empty cells in the workbook'),
    timeoutMs: z.number().int().positive().default(60_000).describe('Wall-clock limit for parsing'),
    maxHeapMb: z.number().int().positive().default(1536).describe('Heap limit of the parsing process'),
  })
  .strict();
export type WorkbookLimits = z.infer<typeof WorkbookLimits>;
export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = WorkbookLimits.parse({});
