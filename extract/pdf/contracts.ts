import { z } from 'zod';

/** One positioned run of text on a PDF page, as pdfjs reports it (origin bottom-left, points). */
export const PdfItem = z
  .object({
    str: z.string(),
    x: z.number(),
    y: z.number(),
    width: z.number(),
    /** Font size: the text matrix's vertical scale. */
    size: z.number(),
    /** True when the text runs horizontally (rotated column headers do not). */
    horizontal: z.boolean(),
  })
  .strict();
export type PdfItem = z.infer<typeof PdfItem>;

export const PdfPage = z.object({ page: z.number().int().positive(), width: z.number(), height: z.number(), items: z.array(PdfItem) }).strict();
export type PdfPage = z.infer<typeof PdfPage>;

export const PdfItems = z.object({ pages: z.array(PdfPage) }).strict();
export type PdfItems = z.infer<typeof PdfItems>;
