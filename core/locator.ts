import { z } from 'zod';
import { compareKeys } from './sort.js';

/**
 * Where a value was read. Built from parser positions, printed only by formatLocator.
 * `document` is the file name under raw/ (what a steward opens).
 */
export const LineLocator = z.object({ kind: z.literal('line'), document: z.string(), line: z.number().int().positive() }).strict();
export const PageLocator = z
  .object({ kind: z.literal('page'), document: z.string(), page: z.number().int().positive(), line: z.number().int().positive() })
  .strict();
export const CellLocator = z.object({ kind: z.literal('cell'), document: z.string(), sheet: z.string(), cell: z.string() }).strict();
export const Locator = z.discriminatedUnion('kind', [LineLocator, PageLocator, CellLocator]);
export type Locator = z.infer<typeof Locator>;

export function lineLocator(document: string, line: number): Locator {
  return { kind: 'line', document, line };
}

/** `ons-2020.txt:L214`, `insights.pdf#p12:L3`, `app.xlsx!T15a!C7`. */
export function formatLocator(loc: Locator): string {
  switch (loc.kind) {
    case 'line':
      return `${loc.document}:L${loc.line}`;
    case 'page':
      return `${loc.document}#p${loc.page}:L${loc.line}`;
    case 'cell':
      return `${loc.document}!${loc.sheet}!${loc.cell}`;
  }
}

/**
 * The locator formatLocator printed as `text`, for a value of the file `document` (a locator read
 * back from the warehouse, which keeps it printed). Throws when `text` is not one of that file's.
 */
export function parseLocator(text: string, document: string): Locator {
  const rest = text.startsWith(document) ? text.slice(document.length) : null;
  const line = rest === null ? null : /^:L(\d+)$/.exec(rest);
  const page = rest === null ? null : /^#p(\d+):L(\d+)$/.exec(rest);
  const cell = rest === null ? null : /^!(.+)!([^!]+)$/.exec(rest);
  const loc: Locator | null = line
    ? { kind: 'line', document, line: Number(line[1]) }
    : page
      ? { kind: 'page', document, page: Number(page[1]), line: Number(page[2]) }
      : cell
        ? { kind: 'cell', document, sheet: cell[1]!, cell: cell[2]! }
        : null;
  if (loc === null || formatLocator(loc) !== text) throw new Error(`"${text}" is not a locator in ${document}`);
  return loc;
}

function sortKey(loc: Locator): Array<string | number> {
  switch (loc.kind) {
    case 'line':
      return [loc.document, 0, loc.line];
    case 'page':
      return [loc.document, loc.page, loc.line];
    case 'cell':
      return [loc.document, loc.sheet, loc.cell];
  }
}

export function compareLocators(a: Locator, b: Locator): number {
  return compareKeys(sortKey(a), sortKey(b));
}
