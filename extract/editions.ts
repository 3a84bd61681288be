import { sha256 } from '../core/hash.js';
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

function keyed(x: Pick<Extraction, 'tables' | 'cells'>): Map<string, Cell> {
  const out = new Map<string, Cell>();
  forEachKeyed(x, (key, cell) => out.set(key, cell));
  return out;
}

/** Each cell with its key (see keyed), in the extraction's order. */
function forEachKeyed(x: Pick<Extraction, 'tables' | 'cells'>, each: (key: string, cell: Cell) => void): void {
  const titles = new Map(x.tables.map((t) => [t.table_id, t.title]));
  const seen = new Map<string, number>();
  for (const cell of x.cells) {
    const base = JSON.stringify([titles.get(cell.table_id), cell.row_path, cell.column_path]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    each(`${base}#${n}`, cell);
  }
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

/**
 * One edition's cells as the pipeline compares them: for each cell, a digest of its key (as in
 * compareEditions) and its raw text, sorted. Derived from the document alone, so its worker writes
 * it with its entry, and a pair of editions is compared without reading either extraction again.
 */
export function editionCellDigests(x: Pick<Extraction, 'tables' | 'cells'>): string[] {
  const out: string[] = [];
  forEachKeyed(x, (key, cell) => out.push(sha256(`${key}\u0000${cell.figure.raw}`).slice(0, 16)));
  return out.sort();
}

/** compareEditions's counts from two editions' editionCellDigests: a cell agrees when its key and raw text are in both. */
export function compareEditionDigests(primary: readonly string[], edition: readonly string[]): Omit<EditionAgreement, 'differences'> {
  let agreeing = 0;
  for (let i = 0, j = 0; i < primary.length && j < edition.length; ) {
    if (primary[i]! === edition[j]!) {
      agreeing++;
      i++;
      j++;
    } else if (primary[i]! < edition[j]!) i++;
    else j++;
  }
  const total = Math.max(primary.length, edition.length);
  return { primary_cells: primary.length, edition_cells: edition.length, agreeing, agreement: total === 0 ? 1 : agreeing / total };
}
