// Draws the hand-labelled resolution sample (test/reference/resolution-sample.jsonl).
//
//   npx tsx test/reference/draw-resolution-sample.mts [warehouse.duckdb]
//
// Reads primary-edition statements and cells (documents.edition_of IS NULL) from the warehouse,
// orders each set by sha256 of a stable key and takes, per kind:
//   statements: >= 15 per document that has statements (all if fewer), filled to >= 160 in hash order;
//   cells:      >= 20 per document that has cells (all if fewer), filled to >= 160 in hash order;
// then adds up to 60 more of each kind marked "stratum":"positive", chosen in hash order among the
// items that are figures of a catalogue measure (POSITIVE_* below, decided by reading the documents).
// Labels (measure, period, geography, breakdown, note) already present in the output file are kept;
// new items get empty (null) labels to fill in by hand. Nothing here runs davs's resolution.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const OUT = 'test/reference/resolution-sample.jsonl';
const DB = process.argv[2] ?? 'warehouse/davs.duckdb';
const N_STATEMENTS = 160, N_CELLS = 160, PER_DOC_STATEMENTS = 15, PER_DOC_CELLS = 20, N_POSITIVE = 60;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

type Statement = { kind: 'statement'; file: string; locator: string; raw: string; occurrence: number; context: string; line: number | null };
type Cell = { kind: 'cell'; file: string; locator: string; row_path: string[]; column_path: string[]; raw: string; context: string };
type Item = (Statement | Cell) & { hash: string; key: string };

export function statementKey(s: { file: string; locator: string; raw: string; occurrence: number }): string {
  return [s.file, s.locator, s.raw, String(s.occurrence)].join('|');
}
export function cellKey(c: { file: string; locator: string; row_path: string[]; column_path: string[]; raw: string }): string {
  return [c.file, c.locator, c.row_path.join(' › '), c.column_path.join(' › '), c.raw].join('|');
}

// ---- positives: statements/cells that are figures of a catalogue measure (by reading the documents).
// Statements: the figures of catalogue measures found by reading the documents (file|locator|raw|occurrence).
const POSITIVE_STATEMENTS = new Set<string>(["ons-dav-2020-11.txt|ons-dav-2020-11.txt:L103|782|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L103|833|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L103|897|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L103|980|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L105|141|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L105|152|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L129|247|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L129|40|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L129|43|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L129|99,447|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L133|28%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L133|31%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L154|19|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L154|43|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L174|79|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L174|five|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L220|29,166|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L220|33,853|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L220|40,859|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L220|47,770|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L253|93%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L254|80%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L255|46%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L256|62%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L257|14%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L258|17%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L260|15%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L260|18%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L260|57%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L260|61%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L260|76%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L279|54%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L279|69%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L279|79%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L279|92%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L300|99,447|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L309|124,569|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L332|4%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L33|29,166|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L33|33,853|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L35|32%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L35|67%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L360|35,250|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L360|67%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L362|2,156|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L362|32%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L36|99,467|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L37|124,569|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L387|232,578|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L389|16,672|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L389|4%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L415|41%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L415|62%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L446|31%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L450|2,928|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L450|21|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L450|28%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L450|3,074|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L453|17%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L453|18%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L453|28%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L475|15%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L475|28%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L475|74%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L475|79%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L494|33%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L494|53%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L494|78%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L494|80%|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L502|2,928|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L502|3,074|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L502|5,177|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L502|6,287|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L59|261|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L59|294|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L61|3,578|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L61|3,923|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L61|30.3|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L61|34.1|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L85|279|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L85|284|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L85|310|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L85|33|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L85|34|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|130|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|132|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|133|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|151|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|18|1",
  "ons-dav-2020-11.txt|ons-dav-2020-11.txt:L95|20|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L41|40,859|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L41|49,756|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L43|4,277|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L44|34%|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L44|63%|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L45|107,855|1",
  "ons-dav-2021-11.txt|ons-dav-2021-11.txt:L45|99,966|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L43|54.7%|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L44|22.2%|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L44|4,385|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L45|2,246|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L45|2,873|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L46|111,418|1",
  "ons-dav-2023-11.txt|ons-dav-2023-11.txt:L46|114,067|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L1047|2,928|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L1094|2,928|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L114|26|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L147|4|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L148|3|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L216|53%|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L2183|2,928|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L2310|2,928|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L256|153|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L286|437|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L286|792|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L34|2,928|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L34|21|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L34|3,074|1",
  "safelives-insights-idva-2019-20.txt|safelives-insights-idva-2019-20.txt:L565|3,074|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L172|1,120|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L176|1,120|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L178|74%|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L181|833|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L193|74%|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L267|178|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|119|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|50|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|54|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|67|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|691|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|69|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|813|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L349|85|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L381|13|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L381|33|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L651|1120|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L651|93,892|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L658|980|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L660|833|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L72|74%|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L78|100%|1",
  "safelives-practitioner-survey-2019.txt|safelives-practitioner-survey-2019.txt:L78|52%|1",
]);
// Cells: every body cell of the Insights report (insights-cases / insights-cases-percent), of the
// ONS article's and appendix workbooks' tables (all catalogue measures), and of the survey's Tables
// 1, 3, 4 and 5 (IDVA/outreach/YPVA FTE, recommended, coverage, health settings). Survey Table 2
// (Idva service size: services by size band) is not a catalogue measure; nor are the ONS tables'
// '% Support not accepted by client' rows.
function positiveCell(c: Cell): boolean {
  if (/^Average/.test(c.row_path[0] ?? '')) return false; // an average (e.g. ACEs), not a count or share
  if (/support not accepted/i.test(c.row_path.join(' '))) return false;
  if (c.file.startsWith('safelives-practitioner-survey')) return !/^Table 2:/.test(c.context);
  return true;
}

async function main() {
  const db = await DuckDBInstance.create(DB, { access_mode: 'READ_ONLY' });
  const con = await db.connect();
  const rows = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, any>[];
  const st = await rows(`select d.file, s.locator, s.raw, s.sentence, s.line, s.statement_id
    from statements s join documents d using (document_id) where d.edition_of is null`);
  const ce = await rows(`select d.file, c.locator, c.row_path, c.column_path, c.raw, t.title
    from cells c join documents d using (document_id) left join tables t using (table_id) where d.edition_of is null`);

  // occurrence: order within (locator, raw) by the statement's character offset (statement_id ends ":o<offset>").
  const off = (id: string) => Number(/:o(\d+)$/.exec(id)?.[1] ?? 0);
  st.sort((a, b) => a.locator.localeCompare(b.locator) || a.raw.localeCompare(b.raw) || off(a.statement_id) - off(b.statement_id));
  const seen = new Map<string, number>();
  const statements: Item[] = st.map((r) => {
    const k = `${r.locator}|${r.raw}`; const occurrence = (seen.get(k) ?? 0) + 1; seen.set(k, occurrence);
    const s: Statement = { kind: 'statement', file: r.file, locator: r.locator, raw: r.raw, occurrence,
      context: String(r.sentence).replace(/\s+/g, ' ').slice(0, 200), line: r.line ?? null };
    const key = statementKey(s); return { ...s, key, hash: sha(key) };
  });
  const cells: Item[] = ce.map((r) => {
    const c: Cell = { kind: 'cell', file: r.file, locator: r.locator, row_path: r.row_path ?? [], column_path: r.column_path ?? [],
      raw: r.raw, context: String(r.title ?? '').slice(0, 200) };
    const key = cellKey(c); return { ...c, key, hash: sha(key) };
  });

  const draw = (items: Item[], perDoc: number, total: number) => {
    const sorted = [...items].sort((a, b) => a.hash.localeCompare(b.hash));
    const chosen = new Set<string>(); const count = new Map<string, number>();
    for (const it of sorted) if ((count.get(it.file) ?? 0) < perDoc) { chosen.add(it.key); count.set(it.file, (count.get(it.file) ?? 0) + 1); }
    for (const it of sorted) { if (chosen.size >= total) break; chosen.add(it.key); }
    return { sorted, chosen };
  };
  const addPositives = (sorted: Item[], chosen: Set<string>, isPos: (it: Item) => boolean) => {
    const pos = new Set<string>();
    for (const it of sorted) { if (pos.size >= N_POSITIVE) break; if (!chosen.has(it.key) && isPos(it)) pos.add(it.key); }
    return pos;
  };
  const S = draw(statements, PER_DOC_STATEMENTS, N_STATEMENTS);
  const C = draw(cells, PER_DOC_CELLS, N_CELLS);
  const SP = addPositives(S.sorted, S.chosen, (it) => POSITIVE_STATEMENTS.has(it.key));
  const CP = addPositives(C.sorted, C.chosen, (it) => positiveCell(it as Cell));

  // keep existing labels
  const old = new Map<string, Record<string, unknown>>();
  if (existsSync(OUT)) for (const line of readFileSync(OUT, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const o = JSON.parse(line); old.set(o.kind === 'cell' ? cellKey(o) : statementKey(o), o);
  }
  const out: string[] = [HEADER.trim()];
  const emit = (it: Item, stratum: string) => {
    const prev = old.get(it.key) ?? {};
    const base: Record<string, unknown> = it.kind === 'statement'
      ? { kind: 'statement', file: it.file, locator: it.locator, raw: it.raw, occurrence: it.occurrence, context: it.context }
      : { kind: 'cell', file: it.file, locator: it.locator, row_path: it.row_path, column_path: it.column_path, raw: it.raw, context: it.context };
    const lab: Record<string, unknown> = { measure: prev.measure ?? null, period: prev.period ?? null, geography: prev.geography ?? null };
    if (prev.breakdown) lab.breakdown = prev.breakdown;
    if (prev.note) lab.note = prev.note;
    out.push(JSON.stringify({ ...base, ...lab, stratum }));
  };
  for (const it of S.sorted) if (S.chosen.has(it.key)) emit(it, 'sample');
  for (const it of S.sorted) if (SP.has(it.key)) emit(it, 'positive');
  for (const it of C.sorted) if (C.chosen.has(it.key)) emit(it, 'sample');
  for (const it of C.sorted) if (CP.has(it.key)) emit(it, 'positive');
  writeFileSync(OUT, out.join('\n') + '\n');
  console.log(`statements ${S.chosen.size} + ${SP.size} positive; cells ${C.chosen.size} + ${CP.size} positive -> ${OUT}`);
}

const HEADER = `
# resolution-sample.jsonl — a hand-labelled sample for measuring how well davs resolves figures to
# (measure, period, geography). One JSON object a line after these comments.
# Items: primary-edition (documents.edition_of IS NULL) statements (a number in prose, with its sentence)
# and cells (a numeric table cell with row_path / column_path). A statement is identified by
# file + locator + raw + occurrence (1 = first statement with that raw text at that locator, ordered by
# position in the line); a cell by file + locator + row_path + column_path + raw.
# Drawn by test/reference/draw-resolution-sample.mts: each set ordered by sha256 of its key
# (statement: file|locator|raw|occurrence; cell: file|locator|row_path joined ' › '|column_path joined ' › '|raw);
# stratum "sample": >= 15 statements per document with statements (all if fewer) and >= 20 cells per document
# with cells, filled in hash order to 160 of each; stratum "positive": up to 60 more of each kind, in hash
# order, among figures of catalogue measures not already drawn (so recall is measured on enough positives).
# Labels were made by READING THE DOCUMENTS (raw/<file> at the line, the table and its title), not by running
# davs. Conventions:
#  measure: a catalogue measure id (transform/measures.jsonl plus the new ids), or null when the figure is not
#    a value of any catalogue measure (footnote numbers, years, ages, changes, differences, other things).
#  period: davs's normalised text: "YE 2020-03" (April 2019-March 2020), "2019" (calendar year / year label
#    not defined otherwise), "2020-03" (month), "2016-04/2016-06" (range of months), "2020-03-31" (date).
#    Insights report: columns "2020"/"2019" = YE 2020-03 / YE 2019-03; undated Insights figures = YE 2020-03.
#    Practitioner survey: undated figures = 2019. ONS articles: the period given by the sentence or table
#    title, else the article's reference year (Nov 2020: YE 2020-03; Nov 2021: YE 2021-03; 2023: YE 2023-03)
#    only when it plainly refers to it; else null.
#  geography: canonical name from transform/geographies.jsonl; "England and Wales" for documents titled so
#    unless a row or sentence names another area; Insights figures: "England and Wales".
#  breakdown: free text for one part of a breakdown (not scored). note: labeller's remark.
#  For items with measure null, period/geography may be null.
`;

await main();
