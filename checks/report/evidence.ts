import type { Evidence, Finding } from '../contracts.js';
import { compareKeys } from '../../core/sort.js';
import type { Locator } from '../../core/locator.js';
import { formatLocator } from '../../core/locator.js';
import { oneLine } from './shared.js';
import { pushToKey } from '../../core/collections.js';
import type { DocumentEvidence, ReportInput, ReportStatement, ReportTable } from './types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
function t(text: string): string {
  return esc(oneLine(text));
}

/** A big table is shown as the rows and columns involved, their neighbours and headers. */
export const SMALL_TABLE_ROWS = 20;
export const SMALL_TABLE_COLUMNS = 8;
const NEIGHBOURS = 1;
/** At most this many tables a finding's evidence is shown in (a merged finding names the rest). */
export const MAX_TABLES = 4;

/** Link to the source file at the locator's place, or null without a raw base. */
export function sourceHref(loc: Locator, rawBase: string | undefined): string | null {
  if (rawBase === undefined) return null;
  const base = rawBase.endsWith('/') ? rawBase : `${rawBase}/`;
  const file = loc.document.split('/').map(encodeURIComponent).join('/');
  switch (loc.kind) {
    case 'line':
      return `${base}${file}#L${loc.line}`;
    case 'page':
      return `${base}${file}#page=${loc.page}`;
    case 'cell':
      return `${base}${file}`;
  }
}

/** "ons.txt:L12" as a link to the file at line 12; a workbook names sheet and cell in the text. */
export function locatorLink(loc: Locator, rawBase: string | undefined, where = formatLocator(loc)): string {
  const code = `<code class="where">${t(where)}</code>`;
  const href = sourceHref(loc, rawBase);
  if (href === null) return code;
  const hint = loc.kind === 'cell' ? ` <span class="cellref">(sheet ${t(loc.sheet)}, cell ${t(loc.cell)})</span>` : '';
  const title = loc.kind === 'cell' ? `open ${loc.document}; go to sheet ${loc.sheet}, cell ${loc.cell}` : loc.kind === 'page' ? `open ${loc.document} at page ${loc.page}` : `open ${loc.document} at line ${loc.line}`;
  return `<a class="src" href="${esc(href)}" title="${esc(title)}">${code}${hint}</a>`;
}

type TableCell = ReportTable['cells'][number];

interface Hit {
  table: ReportTable;
  cell: TableCell;
  evidence: Evidence;
}

interface TableIndex {
  byId: Map<string, { table: ReportTable; cell: TableCell }>;
  /** Made on first use: most parts are looked up by cell id only. */
  byPlace(): Map<string, Array<{ table: ReportTable; cell: TableCell }>>;
}

/**
 * The part of the evidence as printed that a piece of a finding's evidence is looked up in: its
 * document's for the finding's check (input.evidence), or the input's tables and statements, one
 * part for every document and check.
 */
function partOf(e: Evidence, f: Finding, input: ReportInput): DocumentEvidence {
  if (input.evidence) return input.evidence.of(e.document, f.check) ?? NO_EVIDENCE;
  return { tables: input.tables ?? NO_TABLES, statements: input.statements ?? NO_STATEMENTS };
}

/** The statement a piece of the finding's prose evidence names, if the evidence as printed holds it. */
export function statementOf(e: Evidence, f: Finding, input: ReportInput): ReportStatement | undefined {
  return e.source_kind === 'statement' && e.source_id !== null ? partOf(e, f, input).statements[e.source_id] : undefined;
}

/**
 * The cells of a part's tables by cell_id and by place and printed value, built once per part
 * (a document's for a check, as it is read back; or every table of the input's).
 */
const indexes = new WeakMap<Record<string, ReportTable>, TableIndex>();

function tableIndexOf(tables: Record<string, ReportTable>): TableIndex {
  let index = indexes.get(tables);
  if (!index) {
    index = indexTables(tables);
    indexes.set(tables, index);
  }
  return index;
}

/** The index of the tables' cells, in table id order. */
function indexTables(tables: Record<string, ReportTable>): TableIndex {
  const ids = Object.keys(tables).sort();
  const byId = new Map<string, { table: ReportTable; cell: TableCell }>();
  for (const id of ids) {
    const table = tables[id]!;
    for (const cell of table.cells) if (cell.cell_id !== null) byId.set(cell.cell_id, { table, cell });
  }
  let byPlace: Map<string, Array<{ table: ReportTable; cell: TableCell }>> | undefined;
  return {
    byId,
    byPlace() {
      if (byPlace) return byPlace;
      byPlace = new Map();
      for (const id of ids) {
        const table = tables[id]!;
        for (const cell of table.cells) pushToKey(byPlace, placeKey(formatLocator(cell.locator), cell.raw), { table, cell });
      }
      return byPlace;
    },
  };
}

/** A cell's place (its locator as printed) and printed value, as evidence with no source names it. */
function placeKey(where: string, value: string): string {
  return `${where}\u0000${value.trim()}`;
}

const NO_TABLES: Record<string, ReportTable> = Object.freeze({}) as Record<string, ReportTable>;
const NO_STATEMENTS: Record<string, ReportStatement> = Object.freeze({}) as Record<string, ReportStatement>;
const NO_EVIDENCE: DocumentEvidence = Object.freeze({ tables: NO_TABLES, statements: NO_STATEMENTS });

/**
 * Where each evidence cell is in the tables given: by cell_id, else (a check that gives no source)
 * by place and printed value. The last finding's hits are kept: the report asks for them three
 * times (its tables, whether all is shown, its pictures), and keeping more would keep the tables.
 */
export function locateEvidence(f: Finding, input: ReportInput): Array<Hit | null> {
  const last = lastLocated.get(input);
  if (last?.finding === f) return last.hits;
  const hits = f.evidence.map((e) => {
    let found: { table: ReportTable; cell: TableCell } | undefined;
    if (e.source_kind === 'cell' && e.source_id !== null) found = tableIndexOf(partOf(e, f, input).tables).byId.get(e.source_id);
    else if (e.source_kind === null && e.value !== null) found = byExcerpt(tableIndexOf(partOf(e, f, input).tables).byPlace().get(placeKey(e.where, e.value)), e.excerpt);
    return found ? { ...found, evidence: e } : null;
  });
  lastLocated.set(input, { finding: f, hits });
  return hits;
}

/** Each report input's last finding located, and its hits (gone with the input). */
const lastLocated = new WeakMap<ReportInput, { finding: Finding; hits: Array<Hit | null> }>();

/**
 * Of the cells on one line printing the same value (a text table's row: 79% under 2020 and 79% under
 * 2019), the one whose row and column labels the excerpt names ("… — Jealous and controlling × 2019 › %: 79%").
 */
function byExcerpt(candidates: Array<{ table: ReportTable; cell: TableCell }> | undefined, excerpt: string): { table: ReportTable; cell: TableCell } | undefined {
  if (!candidates || candidates.length <= 1) return candidates?.[0];
  const text = oneLine(excerpt);
  const named = candidates.find(({ table, cell }) => {
    const column = table.columns.find((c) => c.index === cell.column);
    const row = table.rows.find((r) => r.index === cell.row);
    return column !== undefined && row !== undefined && text.includes(`${row.label_path.join(' › ')} × ${column.header_path.join(' › ')}:`);
  });
  return named ?? candidates[0];
}

/** "1,231" / "42%" / "+7%" → 1231 / 42 / 7; null when not a number. */
export function numberOf(text: string | null): number | null {
  if (text === null) return null;
  const m = /[-+−–]?\d[\d,]*(?:\.\d+)?/u.exec(text);
  if (!m) return null;
  const n = Number(m[0].replace(/[,+]/g, '').replace(/[−–]/u, '-'));
  return Number.isFinite(n) ? n : null;
}

/**
 * Expected values the finding states per column ('182 (column "Idva Services responding"); 1,123 (column …)'),
 * or for the whole finding (key '').
 */
function perColumn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/;\s+/u)) {
    const m = /^(.*?)\s+\(column "(.+)"\)$/u.exec(part.trim());
    if (m) out.set(m[2]!, m[1]!);
  }
  if (out.size === 0) out.set('', text);
  return out;
}

/** Roles of the cell a check judges (not its parts or inputs). */
const ANNOTATED_ROLES = new Set(['total', 'percent', 'stated', 'later', 'derived', 'change']);

/** The cell the finding's expected value belongs beside: in its column, printing the finding's actual value, of a role that is judged. */
function expectedFor(f: Finding, hit: Hit): string | null {
  if (hit.evidence.role === null || !ANNOTATED_ROLES.has(hit.evidence.role)) return null;
  const column = hit.table.columns.find((c) => c.index === hit.cell.column);
  const colName = column ? column.header_path.join(' › ') : '';
  const expected = perColumn(f.expected);
  const actual = perColumn(f.actual);
  const key = expected.has(colName) ? colName : expected.has('') ? '' : null;
  if (key === null) return null;
  const exp = expected.get(key)!;
  const act = actual.get(key) ?? actual.get('') ?? '';
  const printed = numberOf(hit.cell.raw);
  const actNum = numberOf(act);
  const expNum = numberOf(exp);
  if (printed === null || actNum === null || expNum === null || printed !== actNum || expNum === printed) return null;
  // "n = 3,074" is the base, not this cell's value; a sum of parts is not one cell
  if (/^n\s*=/u.test(exp)) return null;
  return exp;
}

function uniqueRunIndexes(all: number[], involved: Set<number>, small: number): { keep: Set<number>; limited: boolean } {
  if (all.length <= small) return { keep: new Set(all), limited: false };
  const keep = new Set<number>();
  all.forEach((ix, pos) => {
    for (let d = -NEIGHBOURS; d <= NEIGHBOURS; d++) {
      const other = all[pos + d];
      if (other !== undefined && involved.has(other)) keep.add(ix);
    }
  });
  return { keep, limited: keep.size < all.length };
}

/** Header rows of a table's columns: header paths padded to one depth, equal neighbouring labels spanned. */
function headerRows(columns: ReportTable['columns'], rowHeaderLabel: string, hitColumns: Set<number>): string[] {
  const depth = Math.max(1, ...columns.map((c) => c.header_path.length));
  const padded = columns.map((c) => {
    const p = [...c.header_path];
    while (p.length < depth) p.unshift('');
    return p;
  });
  const rows: string[] = [];
  for (let level = 0; level < depth; level++) {
    const cells: string[] = [level === 0 ? `<th scope="col" rowspan="${depth}">${t(rowHeaderLabel)}</th>` : ''];
    let i = 0;
    while (i < columns.length) {
      const label = padded[i]![level]!;
      let span = 1;
      if (level < depth - 1) {
        while (i + span < columns.length && padded[i + span]![level] === label && padded[i + span]!.slice(0, level).join('\u0000') === padded[i]!.slice(0, level).join('\u0000')) span++;
      }
      const col = columns[i]!;
      const base = level === depth - 1 && col.base !== null ? `<br><span class="base">n = ${t(col.base)}</span>` : '';
      const hit = level === depth - 1 && hitColumns.has(col.index) ? ' class="hitcol"' : '';
      cells.push(`<th scope="${span > 1 ? 'colgroup' : 'col'}"${span > 1 ? ` colspan="${span}"` : ''}${hit}>${t(label)}${base}</th>`);
      i += span;
    }
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return rows;
}

/** Decimals a printed number shows ("3.5" → 1). */
function decimalsOf(raw: string): number {
  const m = /\.(\d+)/u.exec(raw);
  return m ? m[1]!.length : 0;
}

/** 3075 → "3,075", with the parts' decimals. */
function grouped(v: number, decimals: number): string {
  const [int, frac] = v.toFixed(decimals).split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  return `${sign}${int!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

/** A footer row adding up the marked parts of each column, with what the finding expects them to make. */
function sumRow(f: Finding, hits: Hit[], columns: ReportTable['columns']): string[] {
  const parts = hits.filter((h) => h.evidence.role === 'part');
  if (parts.length < 2) return [];
  // where a total is marked, the finding's expected value is the total's (shown beside it), not the parts'
  const expected = hits.some((h) => h.evidence.role === 'total') ? new Map<string, string>() : perColumn(f.expected);
  const cells = columns.map((c) => {
    const here = parts.filter((h) => h.cell.column === c.index);
    const values = here.map((h) => numberOf(h.cell.raw));
    if (here.length === 0 || values.some((v) => v === null)) return '<td class="n"></td>';
    const decimals = Math.max(0, ...here.map((h) => decimalsOf(h.cell.raw)));
    const sum = (values as number[]).reduce((a, b) => a + b, 0);
    const name = c.header_path.join(' › ');
    const exp = expected.get(name) ?? expected.get('');
    return `<td class="n sum">${grouped(sum, decimals)}${exp !== undefined ? ` <span class="exp">expected ${t(exp)}</span>` : ''}</td>`;
  });
  return ['<tfoot>', `<tr class="sum"><th scope="row">Sum of the marked parts</th>${cells.join('')}</tr>`, '</tfoot>'];
}

/** One table as printed, the evidence cells marked, limited to what is involved when big. */
export function printedTable(f: Finding, table: ReportTable, hits: Hit[], rawBase: string | undefined): string {
  const hitAt = new Map<string, Hit[]>();
  for (const h of hits) {
    const key = `${h.cell.row}:${h.cell.column}`;
    hitAt.set(key, [...(hitAt.get(key) ?? []), h]);
  }
  const rowOrder = [...table.rows].sort((a, b) => a.index - b.index);
  const colOrder = [...table.columns].sort((a, b) => a.index - b.index);
  const involvedRows = new Set(hits.map((h) => h.cell.row));
  const involvedCols = new Set(hits.map((h) => h.cell.column));
  const rowsKept = uniqueRunIndexes(rowOrder.map((r) => r.index), involvedRows, SMALL_TABLE_ROWS);
  const colsKept = uniqueRunIndexes(colOrder.map((c) => c.index), involvedCols, SMALL_TABLE_COLUMNS);
  const columns = colOrder.filter((c) => colsKept.keep.has(c.index));
  const printed = new Map(table.cells.map((c) => [`${c.row}:${c.column}`, c]));

  const shown = rowOrder.filter((r) => rowsKept.keep.has(r.index));
  const limits: string[] = [];
  if (rowsKept.limited) limits.push(`${shown.length} of ${rowOrder.length} rows`);
  if (colsKept.limited) limits.push(`${columns.length} of ${colOrder.length} columns`);
  const out: string[] = [];
  out.push('<div class="printed">', '<table class="asprinted">');
  out.push(
    `<caption>${t(table.title)}${table.subtitle ? ` <span class="subtitle">${t(table.subtitle)}</span>` : ''} <span class="meta">as printed in ${locatorLink(table.locator, rawBase)}${limits.length > 0 ? `; showing the ${limits.join(' and ')} involved, with their neighbours` : ''}; marked: ${hits.length === 1 ? 'the cell' : `the ${hits.length} cells`} this finding rests on</span></caption>`,
  );
  out.push('<thead>', ...headerRows(columns, 'Row', involvedCols), '</thead>', '<tbody>');
  let prev = -1;
  for (const row of shown) {
    const pos = rowOrder.findIndex((r) => r.index === row.index);
    if (rowsKept.limited && pos > prev + 1) out.push(`<tr class="gap"><td colspan="${columns.length + 1}">⋯ ${pos - prev - 1} ${pos - prev - 1 === 1 ? 'row' : 'rows'} not shown</td></tr>`);
    prev = pos;
    const label = row.label_path.length > 0 ? row.label_path.join(' › ') : '';
    const cls = row.role === 'total' || row.role === 'subtotal' ? ' class="total"' : '';
    const cells = columns.map((c) => {
      const cell = printed.get(`${row.index}:${c.index}`);
      const raw = cell ? cell.raw : '';
      const here = hitAt.get(`${row.index}:${c.index}`);
      if (!here) return `<td class="n">${t(raw)}</td>`;
      const roles = [...new Set(here.map((h) => h.evidence.role).filter((r): r is string => r !== null))];
      const expected = expectedFor(f, here[0]!);
      const exp = expected !== null ? ` <span class="exp">expected ${t(expected)}</span>` : '';
      const role = roles.length > 0 ? ` <span class="role">${t(roles.join(', '))}</span>` : '';
      return `<td class="n hit"><mark>${t(raw)}</mark>${exp}${role}</td>`;
    });
    out.push(`<tr${cls}><th scope="row">${t(label)}</th>${cells.join('')}</tr>`);
  }
  if (rowsKept.limited && prev < rowOrder.length - 1) out.push(`<tr class="gap"><td colspan="${columns.length + 1}">⋯ ${rowOrder.length - 1 - prev} ${rowOrder.length - 1 - prev === 1 ? 'row' : 'rows'} not shown</td></tr>`);
  out.push('</tbody>');
  out.push(...sumRow(f, hits, columns));
  out.push('</table>');
  if (table.notes.length > 0) {
    out.push(`<details class="notes"><summary>Notes of this table (${table.notes.length})</summary><ul>`, ...table.notes.map((n) => `<li>${t(n)}</li>`), '</ul></details>');
  }
  out.push('</div>');
  return out.join('\n');
}

/** The finding's prose evidence: each sentence once, its numbers the finding rests on marked. */
export function proseSentences(f: Finding, input: ReportInput): string[] {
  const bySentence = new Map<string, ReportStatement[]>();
  for (const e of f.evidence) {
    const s = statementOf(e, f, input);
    if (!s) continue;
    const list = bySentence.get(s.sentence_id) ?? [];
    if (!list.some((x) => x.statement_id === s.statement_id)) list.push(s);
    bySentence.set(s.sentence_id, list);
  }
  const out: string[] = [];
  for (const id of [...bySentence.keys()].sort()) {
    const list = bySentence.get(id)!.sort((a, b) => a.offset - b.offset);
    const sentence = list[0]!.sentence;
    let html = '';
    let at = 0;
    for (const s of list) {
      if (s.offset < at || sentence.slice(s.offset, s.offset + s.raw.length) !== s.raw) continue;
      html += esc(sentence.slice(at, s.offset)) + `<mark>${esc(s.raw)}</mark>`;
      at = s.offset + s.raw.length;
    }
    html += esc(sentence.slice(at));
    out.push(`<blockquote class="prose"><p>${oneLine(html)}</p><footer>${locatorLink(list[0]!.locator, input.rawBase)}</footer></blockquote>`);
  }
  return out;
}

/** The tables a finding's evidence cells are in, each as printed; the rest named. */
export function printedTables(f: Finding, input: ReportInput): string[] {
  const hits = locateEvidence(f, input).filter((h): h is Hit => h !== null);
  if (hits.length === 0) return [];
  const byTable = new Map<string, Hit[]>();
  for (const h of hits) byTable.set(h.table.table_id, [...(byTable.get(h.table.table_id) ?? []), h]);
  const order = [...byTable.values()].sort((a, b) => compareKeys([a[0]!.table.file, a[0]!.table.table_id], [b[0]!.table.file, b[0]!.table.table_id]));
  const out = order.slice(0, MAX_TABLES).map((list) => printedTable(f, list[0]!.table, list, input.rawBase));
  if (order.length > MAX_TABLES) {
    const rest = order.slice(MAX_TABLES).map((l) => `${l[0]!.table.title} (${l[0]!.table.file})`);
    out.push(`<p class="meta">Also in ${rest.length} more ${rest.length === 1 ? 'table' : 'tables'}: ${t(rest.join('; '))} (see the evidence list).</p>`);
  }
  return out;
}
