/**
 * Admission: before anything is loaded, each document's records are held to the warehouse's own
 * rules (every value fits its column, every primary key unique within the document and against the
 * documents admitted before it). A document that breaks one is refused with the table, key and
 * place named; the others load. One quirky document never costs the load of the rest.
 */
import { DavsError } from '../core/errors.js';
import type { Extraction } from '../extract/contracts.js';
import { valueProblem } from './values.js';
import { RECORD_TABLES, recordRows, type RecordTable, type Row } from './rows.js';
import { tableSpec } from './schema.js';

export interface Admission {
  admitted: Extraction[];
  refused: Array<{ extraction: Extraction; error: DavsError }>;
}

/** Pure over the extractions, in the order given (the corpus order): the first of two colliding documents is admitted. */
export function admitDocuments(extractions: readonly Extraction[]): Admission {
  const seen = new Map<string, Set<string>>(RECORD_TABLES.map((t) => [t, new Set<string>()]));
  const out: Admission = { admitted: [], refused: [] };
  for (const x of extractions) {
    const problem = firstProblem(x, seen);
    if (problem === null) out.admitted.push(x);
    else out.refused.push({ extraction: x, error: problem });
  }
  return out;
}

function firstProblem(x: Extraction, seen: Map<string, Set<string>>): DavsError | null {
  const file = x.document.file;
  let rows;
  try {
    rows = recordRows(x, file);
  } catch (err) {
    if (err instanceof DavsError) return err;
    throw err;
  }
  return rowsProblem(file, rows, seen, { values: true });
}

/**
 * The first problem of one document's rows (every value fits its column, unless `values` is false
 * because the caller checks them as it writes them; no key twice in the document or in `seen`),
 * or null, in which case the document's keys are added to `seen`.
 */
export function rowsProblem(file: string, rows: Partial<Record<RecordTable, readonly Row[]>>, seen: Map<string, Set<string>> = new Map(), options: { values: boolean } = { values: true }): DavsError | null {
  const added = new Map<string, Set<string>>();
  for (const table of RECORD_TABLES) {
    const spec = tableSpec(table);
    const names = spec.columns.map((c) => c.name);
    const key = spec.primaryKey.map((name) => spec.columns.findIndex((c) => c.name === name));
    const before = seen.get(table) ?? new Set<string>();
    const mine = new Set<string>();
    for (const row of rows[table] ?? []) {
      if (options.values) {
        for (let i = 0; i < spec.columns.length; i++) {
          const problem = valueProblem(spec.columns[i]!, row[i] ?? null);
          if (problem !== null) return refuse(file, `a ${table} row (${where(row, names)}) does not fit the warehouse: ${problem}`, 'input-invalid');
        }
      }
      if (key.length === 0) continue;
      const k = JSON.stringify(key.map((i) => row[i] ?? null));
      if (mine.has(k)) return refuse(file, `two ${table} rows share the key ${spec.primaryKey.join(', ')} = ${k} (${where(row, names)})`, 'duplicate-key');
      if (before.has(k)) return refuse(file, `a ${table} row has the key ${spec.primaryKey.join(', ')} = ${k}, which an earlier document already has`, 'duplicate-key');
      mine.add(k);
    }
    added.set(table, mine);
  }
  for (const [table, keys] of added) {
    const into = seen.get(table) ?? new Set<string>();
    for (const k of keys) into.add(k);
    seen.set(table, into);
  }
  return null;
}

/** The row's locator, if it has one, else its first value. */
function where(row: Row, names: readonly string[]): string {
  const i = names.indexOf('locator');
  const value = i >= 0 ? row[i] : row[0];
  return `at ${String(value)}`;
}

function refuse(file: string, what: string, code: 'duplicate-key' | 'input-invalid'): DavsError {
  return new DavsError(what, { code, stage: 'load', document: file, hint: 'the other documents load; report this file to the davs maintainers' });
}
