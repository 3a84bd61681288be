import type { Cell, Extraction } from './contracts.js';

/**
 * How far two editions of one release (the text and the PDF of a report) agree, cell by cell:
 * a cell is identified by its table's title, its row labels and its column headers (and how many
 * times that key has occurred before, for repeated tables), and agrees when its raw text is equal.
 */
export interface EditionAgreement {
  primary_cells: number;
  edition_cells: number;
  /** Cells found in both with the same raw text. */
  agreeing: number;
  /** agreeing ÷ max(primary, edition): 1 when the editions read the same. */
  agreement: number;
  /** Up to 20 keys that differ, for a person to look at. */
  differences: string[];
}

function keyed(x: Extraction): Map<string, Cell> {
  const titles = new Map(x.tables.map((t) => [t.table_id, t.title]));
  const seen = new Map<string, number>();
  const out = new Map<string, Cell>();
  for (const cell of x.cells) {
    const base = JSON.stringify([titles.get(cell.table_id), cell.row_path, cell.column_path]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(`${base}#${n}`, cell);
  }
  return out;
}

export function compareEditions(primary: Extraction, edition: Extraction): EditionAgreement {
  const a = keyed(primary);
  const b = keyed(edition);
  let agreeing = 0;
  const differences: string[] = [];
  for (const [key, cell] of a) {
    const other = b.get(key);
    if (other && other.figure.raw === cell.figure.raw) agreeing++;
    else if (differences.length < 20) differences.push(`${key}: ${cell.figure.raw} vs ${other?.figure.raw ?? 'missing'}`);
  }
  const total = Math.max(a.size, b.size);
  return { primary_cells: a.size, edition_cells: b.size, agreeing, agreement: total === 0 ? 1 : agreeing / total, differences };
}
