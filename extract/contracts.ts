import { z } from 'zod';
import { Figure, Locator, Unit } from '../core/index.js';

/** Bumped when an extract output changes shape: cached outputs of another version are rebuilt. */
export const EXTRACT_SCHEMA_VERSION = 2;

export const DocumentFormat = z.enum(['text', 'pdf', 'xlsx']);

/** A release in raw/, with where its metadata came from. */
export const DocumentRecord = z
  .object({
    document_id: z.string().regex(/^[a-z0-9-]+-[0-9a-f]{12}$/),
    file: z.string(),
    format: DocumentFormat,
    publisher: z.string(),
    title: z.string(),
    release_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    release_date_precision: z.enum(['day', 'month', 'year']),
    period_covered: z.string().nullable(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    metadata_source: z.enum(['manifest', 'inferred']),
    /** document_id of the primary edition when this file is another format of the same release (the PDF of a text report). */
    edition_of: z.string().nullable(),
    /** The release this document belongs to: an article and its appendix workbook share one. Defaults to the file's stem. */
    release: z.string(),
    /** Normalised period a figure is for when its table or sentence names none (manifest reference_period, else period_covered); null when unknown. */
    reference_period: z.string().nullable(),
    /**
     * The document's own meaning of the periods it prints, as normalised periods: {'2020': 'YE 2020-03'}
     * for a report whose '2020' is April 2019 to March 2020. Applied to its table columns and sentences.
     */
    period_labels: z.record(z.string(), z.string()),
    /** The area the document reports on when its text names none (manifest geography); null when not given. */
    geography: z.string().nullable(),
  })
  .strict();
export type DocumentRecord = z.infer<typeof DocumentRecord>;

export const RowRole = z.enum(['category', 'total', 'subtotal', 'statistic', 'heading']);
export type RowRole = z.infer<typeof RowRole>;

export const Note = z.object({ marker: z.string().nullable(), text: z.string(), locator: Locator }).strict();
export type Note = z.infer<typeof Note>;

export const TableColumn = z
  .object({
    index: z.number().int().nonnegative(),
    header_path: z.array(z.string()),
    unit: Unit.nullable(),
    period: z.string().nullable(),
    /** The base n stated for this column, if any. */
    base: Figure.nullable(),
    /** Footnote markers in the column's headers ("Referrals [note 2]" → "2"). */
    footnotes: z.array(z.string()),
  })
  .strict();
export type TableColumn = z.infer<typeof TableColumn>;

export const TableRow = z
  .object({
    index: z.number().int().nonnegative(),
    label: z.string(),
    /** Labels from the top-level ancestor down to this row. */
    label_path: z.array(z.string()),
    depth: z.number().int().nonnegative(),
    parent_index: z.number().int().nonnegative().nullable(),
    role: RowRole,
    /** Footnote markers glued to the label ("England and Wales ¹¹" → "11"). */
    footnotes: z.array(z.string()),
    locator: Locator,
  })
  .strict();
export type TableRow = z.infer<typeof TableRow>;

export const Table = z
  .object({
    table_id: z.string(),
    document_id: z.string(),
    ordinal: z.number().int().positive(),
    title: z.string(),
    /** Lines between the caption and the grid (ONS put the geography there). */
    subtitle: z.string().nullable(),
    section: z.string().nullable(),
    locator: Locator,
    columns: z.array(TableColumn),
    rows: z.array(TableRow),
    notes: z.array(Note),
  })
  .strict();
export type Table = z.infer<typeof Table>;

/** Where a cell sits in its table: the fields a numeric cell and a status cell share. */
const cellPlace = {
  table_id: z.string(),
  document_id: z.string(),
  row_index: z.number().int().nonnegative(),
  column_index: z.number().int().nonnegative(),
  row_path: z.array(z.string()),
  column_path: z.array(z.string()),
  locator: Locator,
};

/** One numeric cell of a table. */
export const Cell = z
  .object({
    cell_id: z.string(),
    ...cellPlace,
    figure: Figure,
    /**
     * The footnote or flag printed with the number ("2*" → "*", "15a" → "a", "12 [note 3]" → "3", "(23)"
     * as a small-base estimate → "()"), as readPublishedNumber gives it; null when the number stands alone.
     * figure.raw keeps the cell as printed.
     */
    marker: z.string().nullable(),
  })
  .strict();
export type Cell = z.infer<typeof Cell>;

/**
 * A table cell that holds a status instead of a number ([x] not available, [c] confidential, ".."), or
 * text in a value column that is not a number the reader understands ("12-15", "see note"): kept,
 * never a number. Either way a value exists there that the table does not give.
 */
export const CellStatus = z
  .object({
    ...cellPlace,
    /** The shorthand, or the unreadable text, as printed. */
    raw: z.string(),
    meaning: z.string(),
  })
  .strict();
export type CellStatus = z.infer<typeof CellStatus>;

/** One number in running prose, with its sentence. */
export const Statement = z
  .object({
    statement_id: z.string(),
    document_id: z.string(),
    sentence_id: z.string(),
    section: z.string().nullable(),
    sentence: z.string(),
    figure: Figure,
    /** Character offset of the figure in the sentence. */
    offset: z.number().int().nonnegative(),
    /** Normalised period the figure refers to, when the sentence says. */
    period: z.string().nullable(),
    locator: Locator,
  })
  .strict();
export type Statement = z.infer<typeof Statement>;

export const Extraction = z
  .object({
    schema_version: z.literal(EXTRACT_SCHEMA_VERSION),
    document: DocumentRecord,
    tables: z.array(Table),
    cells: z.array(Cell),
    statuses: z.array(CellStatus),
    statements: z.array(Statement),
  })
  .strict();
export type Extraction = z.infer<typeof Extraction>;
