import { z } from 'zod';
import type { Extraction, Table } from './contracts.js';

/** Tables keyed by hand from the source documents (test/reference/tables.json). */
export const ReferenceTables = z
  .object({
    about: z.string(),
    tables: z.array(
      z
        .object({
          document: z.string(),
          line: z.number().int().positive(),
          title: z.string(),
          shifted: z.boolean().optional(),
          cells: z.array(z.object({ row: z.string(), column: z.array(z.string()), raw: z.string(), occurrence: z.number().int().optional() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();
export type ReferenceTables = z.infer<typeof ReferenceTables>;

export interface Score {
  tables: number;
  matchedTables: number;
  referenceCells: number;
  extractedCells: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Up to 20 reference cells not found as keyed, for a person to look at. */
  missed: string[];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Cell precision and recall of an extraction against hand-keyed tables. A reference table is found
 * by title (and, for repeated titles, by its order among tables of that title in the text edition);
 * a reference cell is found when a cell of that table has its row label, column headers and raw text.
 */
export function scoreAgainstReference(reference: ReferenceTables, extractions: readonly Extraction[], edition: 'text' | 'pdf'): Score {
  let matchedTables = 0;
  let referenceCells = 0;
  let extractedCells = 0;
  let truePositives = 0;
  const missed: string[] = [];
  for (const ref of reference.tables) {
    referenceCells += ref.cells.length;
    const text = extractions.find((x) => x.document.file === ref.document);
    const target = edition === 'text' ? text : extractions.find((x) => x.document.edition_of !== null && x.document.edition_of === text?.document.document_id);
    if (!text || !target) continue;
    // the keyed table is the extracted one whose lines span the keyed line (titles are a matter of
    // reading: "Physical abuse" or "Details of physical abuse"); for a PDF edition, the table in the
    // same position among the edition's tables
    const span = (t: Table) => {
      let first = lineOf(t);
      let last = first;
      for (const r of t.rows) {
        const line = r.locator.kind === 'line' ? r.locator.line : 0;
        first = Math.min(first, line);
        last = Math.max(last, line);
      }
      return { first, last };
    };
    const nearest = text.tables.find((t) => span(t).first <= ref.line && ref.line <= span(t).last) ?? text.tables.find((t) => norm(t.title) === norm(ref.title));
    if (!nearest) continue;
    const table = edition === 'text' ? nearest : target.tables[text.tables.indexOf(nearest)];
    if (!table) continue;
    matchedTables++;
    const cells = target.cells.filter((c) => c.table_id === table.table_id);
    extractedCells += cells.length;
    const used = new Set<string>();
    for (const rc of ref.cells) {
      const hit = cells.find((c) => !used.has(c.cell_id) && sameRow(c.row_path, rc.row) && c.figure.raw === rc.raw && sameColumn(c.column_path, c.figure.unit, rc.column));
      if (hit) {
        used.add(hit.cell_id);
        truePositives++;
      } else if (missed.length < 20) missed.push(`${ref.document}:L${ref.line} ${ref.title} | ${rc.row} × ${rc.column.join(' › ')} = ${rc.raw}`);
    }
  }
  return {
    tables: reference.tables.length,
    matchedTables,
    referenceCells,
    extractedCells,
    truePositives,
    precision: extractedCells === 0 ? 0 : truePositives / extractedCells,
    recall: referenceCells === 0 ? 0 : truePositives / referenceCells,
    missed,
  };
}

function lineOf(t: Table): number {
  return t.locator.kind === 'cell' ? 0 : t.locator.line;
}

const UNIT_WORD = /^(count|%|n=|number|percent|percentage)$/i;

/** The keyed row label is the printed one: the extracted label, or its group and label together ("England % Accepted"). */
function sameRow(path: string[], keyed: string): boolean {
  const k = norm(keyed);
  return norm(path[path.length - 1] ?? '') === k || norm(path.join(' ')) === k;
}

/**
 * Column headers agree when they name the same thing apart from unit words, and the cell's unit
 * agrees with the keyed unit word (a keyed "%" is a percentage; the extractor keeps units apart).
 */
function sameColumn(extracted: string[], unit: string, keyed: string[]): boolean {
  const words = (p: string[]) => p.map(norm).filter((x) => x !== '' && !UNIT_WORD.test(x));
  const a = words(extracted);
  const b = words(keyed);
  const keyedUnit = keyed.map(norm).find((x) => UNIT_WORD.test(x));
  if (keyedUnit === '%' && unit !== 'percent') return false;
  if (keyedUnit === 'count' && unit !== 'count') return false;
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
