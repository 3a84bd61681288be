import { compareKeys, compareLocators } from '../core/index.js';
import type { Evidence, Finding, Severity } from './contracts.js';

/**
 * One discrepancy, one finding. The rules judge one column (or row) of one table of one document at
 * a time, so a distribution that fails in three year columns, printed again in two appendix
 * workbooks of the same release, used to be nine findings. Pure and deterministic: the runner calls
 * `mergeFindings` after every rule has run.
 *
 * The rule. Findings of one check are joined when
 *  (b) they are about the same table of the same document (several columns or rows failing), or
 *  (a) they are in different documents of the same release (documents.release: an article and its
 *      appendix workbooks; a PDF edition would share it too) and are the same discrepancy: equal
 *      expected and actual (digits compared without thousands separators), the same cells (each
 *      cell's row label, column and value, labels normalised: case, "%", "(%)", notes and punctuation
 *      dropped, the last non-empty level of a nested label, the column's normalised period where it
 *      has one), and the same table: the same table number ("Table 3" ≈ "Table 3b") or, where a title
 *      has none, titles sharing most of their words.
 * Joins are transitive, except that one merged finding never holds two different tables of one
 * document. Findings of different checks, of different releases, of different tables within one
 * document, and findings not read from the cells of exactly one table (prose, observations across
 * releases) are never joined.
 *
 * Ids stay stable: members are ordered by the place of their first cell or statement (the order the
 * report lists findings in), then by id; the merged finding takes the id of the first, and
 * `merged_ids` lists every member's id, that one first. A decision recorded against any member's id
 * finds its finding through `canonicalId` (or `aliasMap`). Severity is the highest of the members';
 * the evidence is every member's, deduplicated, in document and locator order.
 */

/** Where a finding of a table check sits, as the runner reads it from its cells (see checks/run.ts). */
export interface FindingPlace {
  /** document_id of the table's document. */
  document: string;
  /** Its file name under raw/, for the message. */
  file: string;
  /** documents.release: the documents published together. */
  release: string;
  table_id: string;
  title: string;
  /** Every cell the finding rests on: normalised row label, column (period or label) and value. */
  cells: ReadonlyArray<{ row: string; column: string; value: number }>;
  /** [row index, column index] of its first cell, to order places that share a line (a text table's columns). */
  position: readonly [number, number];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Merge the findings that are one discrepancy (see above). Findings without a place are kept as they are. */
export function mergeFindings(findings: readonly Finding[], places: ReadonlyMap<string, FindingPlace>): Finding[] {
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byCheck.get(f.check);
    if (list) list.push(f);
    else byCheck.set(f.check, [f]);
  }
  const out: Finding[] = [];
  for (const check of [...byCheck.keys()].sort()) {
    const members = [...byCheck.get(check)!].sort((a, b) => memberOrder(a, b, places));
    const sets = new UnionFind(members.length, (i) => {
      const p = places.get(members[i]!.id);
      return p ? new Map([[p.document, p.table_id]]) : new Map();
    });
    const placed = members.map((f, i) => ({ i, f, place: places.get(f.id) })).filter((m): m is { i: number; f: Finding; place: FindingPlace } => m.place !== undefined);
    // (b) the same table of one document
    const byTable = new Map<string, number>();
    for (const m of placed) {
      const key = JSON.stringify([m.place.document, m.place.table_id]);
      const first = byTable.get(key);
      if (first === undefined) byTable.set(key, m.i);
      else sets.union(first, m.i);
    }
    // (a) the same discrepancy in another document of the release: candidates share release,
    // expected, actual and their cells' columns and values; then their labels and tables must agree
    const byDiscrepancy = new Map<string, number[]>();
    for (const m of placed) {
      const key = JSON.stringify([m.place.release, digits(m.f.expected), digits(m.f.actual), valueKey(m.place)]);
      const list = byDiscrepancy.get(key);
      if (list) list.push(m.i);
      else byDiscrepancy.set(key, [m.i]);
    }
    for (const list of byDiscrepancy.values()) {
      // compared across documents only (within one, (b) has joined what it may)
      const byDocument = new Map<string, number[]>();
      for (const i of list) {
        const document = places.get(members[i]!.id)!.document;
        const same = byDocument.get(document);
        if (same) same.push(i);
        else byDocument.set(document, [i]);
      }
      const documents = [...byDocument.values()];
      for (let x = 0; x < documents.length; x++) {
        for (let y = x + 1; y < documents.length; y++) {
          for (const i of documents[x]!) {
            for (const j of documents[y]!) {
              const a = places.get(members[i]!.id)!;
              const b = places.get(members[j]!.id)!;
              if (sameCells(a, b) && sameTable(a.title, b.title)) sets.union(i, j);
            }
          }
        }
      }
    }
    const groups = new Map<number, Finding[]>();
    members.forEach((f, i) => {
      const root = sets.find(i);
      const list = groups.get(root);
      if (list) list.push(f);
      else groups.set(root, [f]);
    });
    for (const group of groups.values()) out.push(group.length === 1 ? { ...group[0]!, merged_ids: [group[0]!.id] } : combine(group, places));
  }
  return out;
}

/** The id of the finding that now stands for `id` (itself, or the merged finding listing it); undefined when no finding has it. */
export function canonicalId(findings: readonly Finding[], id: string): string | undefined {
  for (const f of findings) if (f.id === id || (f.merged_ids ?? []).includes(id)) return f.id;
  return undefined;
}

/** Every id a finding has had → the id of the finding now standing for it (each finding's own id maps to itself). */
export function aliasMap(findings: readonly Finding[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of findings) {
    map.set(f.id, f.id);
    for (const alias of f.merged_ids ?? []) if (!map.has(alias)) map.set(alias, f.id);
  }
  return map;
}

/** Members in a stable order: by the place of their first cell or statement, then (cells on one line) by row and column, then by id. */
function memberOrder(a: Finding, b: Finding, places: ReadonlyMap<string, FindingPlace>): number {
  const pa = places.get(a.id)?.position ?? [];
  const pb = places.get(b.id)?.position ?? [];
  return compareLocators(firstEvidence(a).locator, firstEvidence(b).locator) || compareKeys(pa, pb) || compareKeys([a.id], [b.id]);
}

function firstEvidence(f: Finding): Evidence {
  return f.evidence.find((e) => e.source_id !== null) ?? f.evidence[0]!;
}

function combine(members: Finding[], places: ReadonlyMap<string, FindingPlace>): Finding {
  const first = members[0]!;
  const firstPlace = places.get(first.id)!;
  // the places failing: members that are the same discrepancy in several documents are one place
  type Spot = { place: FindingPlace; where: string; expected: string; actual: string; tolerance: string; files: string[] };
  const list: Spot[] = [];
  // candidates by expected, actual, columns and values: a table failing in thousands of rows is not compared pairwise
  const candidates = new Map<string, Spot[]>();
  for (const m of members) {
    const place = places.get(m.id)!;
    const key = JSON.stringify([digits(m.expected), digits(m.actual), valueKey(place)]);
    const spot = candidates.get(key)?.find((s) => s.place.document !== place.document && sameCells(s.place, place));
    if (spot) {
      if (!spot.files.includes(place.file)) spot.files.push(place.file);
      continue;
    }
    const created: Spot = { place, where: whereOf(m, place), expected: m.expected, actual: m.actual, tolerance: m.tolerance, files: [place.file] };
    list.push(created);
    const bucket = candidates.get(key);
    if (bucket) bucket.push(created);
    else candidates.set(key, [created]);
  }
  const others = [...new Map(members.map((m) => places.get(m.id)!).filter((p) => p.document !== firstPlace.document).map((p) => [p.document, `${p.file} ${tableRef(p.title)}`])).values()];
  const kind = list.every((s) => s.where.startsWith('column ')) ? 'columns' : list.every((s) => s.where.startsWith('row ')) ? 'rows' : 'places';
  const same = (field: 'expected' | 'actual' | 'tolerance') => new Set(list.map((s) => s[field])).size === 1;
  const each = (field: 'expected' | 'actual' | 'tolerance') => (same(field) ? list[0]![field] : listed(list.map((s) => `${s[field]} (${s.where})`)));
  const files = new Set(list.flatMap((s) => s.files));
  const also = others.length === 0 ? '' : `also in ${others.join(' and ')}${list.some((s) => s.files.length !== files.size) ? ' (not every place in each)' : ' (the same figures)'}`;
  const prefix = `${firstPlace.title}, `;
  const message =
    list.length === 1
      ? also === '' ? first.message : `${first.message}; ${also}`
      : `${firstPlace.title}, in ${list.length} ${kind}: ${listed(list.map((s) => `${s.where}: ${s.actual}, expected ${s.expected}`))}${also === '' ? '' : `; ${also}`}. The first, ${first.message.startsWith(prefix) ? first.message.slice(prefix.length) : first.message}`;
  const evidence = new Map<string, Evidence>();
  for (const m of members) for (const e of m.evidence) {
    const key = JSON.stringify([e.document, e.where, e.source_kind, e.source_id, e.role, e.value, e.excerpt]);
    if (!evidence.has(key)) evidence.set(key, e);
  }
  return {
    id: first.id,
    check: first.check,
    severity: members.reduce<Severity>((most, m) => (SEVERITY_RANK[m.severity] < SEVERITY_RANK[most] ? m.severity : most), first.severity),
    message,
    expected: each('expected'),
    actual: each('actual'),
    tolerance: each('tolerance'),
    evidence: [...evidence.values()].sort((a, b) => compareKeys([a.document], [b.document]) || compareLocators(a.locator, b.locator) || compareKeys([a.excerpt], [b.excerpt])),
    merged_ids: members.map((m) => m.id),
  };
}

/** At most LISTED items, then how many more: a table failing in every one of 10,000 rows gives a readable message. */
const LISTED = 12;
function listed(items: readonly string[]): string {
  return items.length <= LISTED ? items.join('; ') : `${items.slice(0, LISTED).join('; ')}; … and ${items.length - LISTED} more`;
}

/** 'column "2020"' or 'row "Missing", column "2020"', as the rule's message names it after the table's title; else the first cell's place. */
function whereOf(f: Finding, place: FindingPlace): string {
  const prefix = `${place.title}, `;
  if (f.message.startsWith(prefix)) {
    const rest = f.message.slice(prefix.length);
    const m = /^((?:column|row) "[^"]*"(?:, (?:column|row) "[^"]*")*)/.exec(rest);
    if (m) return m[1]!;
  }
  return firstEvidence(f).where;
}

/** "Table 3" from "Table 3: Referrals of …"; else the title, shortened. */
function tableRef(title: string): string {
  const m = /^\s*(table\s+[a-z]?\d+[a-z]?)\b/i.exec(title);
  return m ? m[1]! : title.length > 60 ? `"${title.slice(0, 59)}…"` : `"${title}"`;
}

/** Digits and signs only: "1,120" = "1120", "n = 3,074" = "n = 3074". */
function digits(text: string): string {
  return text.replace(/(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)/g, '').trim();
}

/** The finding's cells without their row labels: sorted (column, value). */
function valueKey(place: FindingPlace): string {
  return JSON.stringify(place.cells.map((c) => [c.column, c.value]).sort((a, b) => compareKeys(a, b)));
}

const sortedCellsOf = new WeakMap<FindingPlace, Array<[string, number, string]>>();

/** The place's cells as sorted (column, value, row): sorted once per place, not per pair compared. */
function sortedCells(place: FindingPlace): Array<[string, number, string]> {
  let sorted = sortedCellsOf.get(place);
  if (!sorted) {
    sorted = place.cells.map((c): [string, number, string] => [c.column, c.value, c.row]).sort((a, b) => compareKeys(a, b));
    sortedCellsOf.set(place, sorted);
  }
  return sorted;
}

/**
 * Two places name the same cells: cell by cell (in column and value order) the same column, value
 * and row label, a label agreeing with another that ends with it in whole words ("wales accepted",
 * a geography glued to the label in an article, = "accepted" in the workbook).
 */
function sameCells(a: FindingPlace, b: FindingPlace): boolean {
  const ca = sortedCells(a);
  const cb = sortedCells(b);
  return ca.length === cb.length && ca.every(([column, value, row], i) => {
    const [otherColumn, otherValue, otherRow] = cb[i]!;
    return column === otherColumn && value === otherValue && labelsAgree(row, otherRow);
  });
}

function labelsAgree(a: string, b: string): boolean {
  return a === b || (a !== '' && b.endsWith(` ${a}`)) || (b !== '' && a.endsWith(` ${b}`));
}

/** A label without case, "%", "(%)", [note n] markers and punctuation: "% Accepted" = "Accepted (%)" = "accepted". */
export function normaliseLabel(path: readonly string[]): string {
  const levels = path.map((level) =>
    level
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\[[^\]]*\]/g, ' ')
      .replace(/\(%\)|%/g, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  );
  return [...levels].reverse().find((l) => l !== '') ?? '';
}

const TITLE_STOP = new Set(['the', 'of', 'in', 'to', 'and', 'a', 'an', 'for', 'by', 'on', 'at', 'year', 'ending', 'table']);

/** The same table in two documents: the same table number (its digits: "3" of "Table 3b"), or, where either title has none, most title words shared. */
export function sameTable(a: string, b: string): boolean {
  const number = (t: string) => /\btable\s+[a-z]?(\d+)/i.exec(t)?.[1] ?? null;
  const na = number(a);
  const nb = number(b);
  if (na !== null && nb !== null) return na === nb;
  const words = (t: string) => new Set(t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').split(' ').filter((w) => w.length > 1 && !TITLE_STOP.has(w) && !/^\d+$/.test(w)));
  const wa = words(a);
  const wb = words(b);
  if (wa.size === 0 || wb.size === 0) return false;
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared / Math.min(wa.size, wb.size) >= 0.6;
}

/** Union–find over members that keeps at most one table per document in a set: a join that would put two tables of one document together is refused. */
class UnionFind {
  private readonly parent: number[];
  private readonly tables: Array<Map<string, string>>;
  constructor(n: number, tablesOf: (i: number) => Map<string, string>) {
    this.parent = Array.from({ length: n }, (_, i) => i);
    this.tables = Array.from({ length: n }, (_, i) => tablesOf(i));
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    const ta = this.tables[ra]!;
    const tb = this.tables[rb]!;
    for (const [doc, table] of tb) if (ta.has(doc) && ta.get(doc) !== table) return;
    // the smaller root index stays the root: the result does not depend on which side joins which
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    this.parent[child] = root;
    // the smaller map is added to the larger (no conflict is possible here: checked above), not both copied per join
    const [big, small] = ta.size >= tb.size ? [ta, tb] : [tb, ta];
    for (const [doc, table] of small) big.set(doc, table);
    this.tables[root] = big;
  }
}
