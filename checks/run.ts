import { clipAtWord } from './text.js';
import { compareKeys, compareLocators, contentId, formatLocator, parseContract, sortBy } from '../core/index.js';
import { CheckResults, type CheckCrash, type CheckSummary, type Evidence, type Finding, type Severity } from './contracts.js';
import type { AnyCheck, EvidenceDraft, Outcome, TableSubject } from './define.js';
import { mergeFindings, normaliseLabel, type FindingPlace } from './merge.js';
import type { Subjects } from './subjects.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const EXCERPT_MAX = 300;

/**
 * What checks found in one part of the subjects, before findings are merged: failing findings with
 * where each sits (for merging), each check's counts, and crashes. A document's tables are such a
 * part, judged in the document's worker (pipelines/document-stage.ts); the corpus's sentences and
 * observation groups are another, judged once every document is read. Plain data: it crosses
 * processes and is cached with the document.
 */
export interface CheckPart {
  findings: Finding[];
  places: Array<[string, FindingPlace]>;
  summaries: CheckSummary[];
  crashes: CheckCrash[];
}

/**
 * `part` with the texts its findings and their places repeat held once, through `shared`
 * (core/memory.ts sharedTexts: one for every part of a run). A part read back from each document's
 * entry has its own copy of every text, and a run holds every part's findings until they are merged:
 * at 1,000 documents the findings' 27,023 pieces of evidence carried 3.4 MB of excerpts, of which
 * 0.25 MB were distinct, and the 3,611 findings took 20.4 MB of heap parsed from findings.json, 10.7
 * with their evidence's texts held once. (The night's peak, at 2,000 documents, did not move
 * measurably: the job's memory there is mostly DuckDB's.)
 */
export function sharingTexts(part: CheckPart, shared: (value: string) => string): CheckPart {
  return {
    findings: part.findings.map((f) => ({
      ...f,
      message: shared(f.message),
      evidence: f.evidence.map((e) => ({ ...e, document: shared(e.document), where: shared(e.where), excerpt: shared(e.excerpt), value: e.value === null ? null : shared(e.value), locator: { ...e.locator, document: shared(e.locator.document) } })),
    })),
    places: part.places.map(([id, p]) => [id, { ...p, file: shared(p.file), release: shared(p.release), title: shared(p.title), cells: p.cells.map((c) => ({ ...c, row: shared(c.row), column: shared(c.column) })) }]),
    summaries: part.summaries,
    crashes: part.crashes,
  };
}

/**
 * Run each check over its subjects of `subjects`. A check that throws is recorded as crashed for
 * that subject and the others go on (validate's NA, GE's exception_info). Checks with no subjects
 * here are not listed, so parts add up (finishChecks).
 */
export function evaluateChecks(checks: readonly AnyCheck[], subjects: Subjects): CheckPart {
  const findings = new Map<string, Finding>();
  const summaries: CheckSummary[] = [];
  const crashes: CheckCrash[] = [];
  const places = new Map<string, FindingPlace>();
  for (const check of inIdOrder(checks)) {
    const params = defaultParams(check);
    const summary = noneYet(check);
    for (const subject of subjects[check.subjects]) {
      let outcomes: Outcome[];
      try {
        if (!check.applies(subject, params)) continue;
        outcomes = check.evaluate(subject, params);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        summary.crashed++;
        summary.crashes.push(`${subjectName(subject)}: ${message}`);
        if (subject.kind !== 'observations') crashes.push({ check: check.id, file: subject.document.file, subject: subjectName(subject), message });
        continue;
      }
      for (const outcome of outcomes) {
        summary.evaluated++;
        if (outcome.status === 'pass') summary.passed++;
        else if (outcome.status === 'undecided') summary.undecided++;
        else {
          summary.failed++;
          const finding = toFinding(check, outcome);
          if (!findings.has(finding.id)) {
            findings.set(finding.id, finding);
            if (check.subjects === 'tables') {
              const place = placeOf(finding, subjects);
              if (place) places.set(finding.id, place);
            }
          }
        }
      }
    }
    summaries.push(summary);
  }
  return { findings: [...findings.values()], places: [...places], summaries, crashes };
}

/**
 * The parts' findings merged where they are one discrepancy (one table failing in several columns,
 * one table printed in several documents of a release: checks/merge.ts), validated and sorted;
 * each check's counts added up over the parts, in check order.
 */
export function finishChecks(checks: readonly AnyCheck[], parts: readonly CheckPart[], options: { /** false: one finding per failing outcome, as before merging (tests, measuring). */ merge?: boolean } = {}): CheckResults {
  const findings = new Map<string, Finding>();
  const places = new Map<string, FindingPlace>();
  const crashes: CheckCrash[] = [];
  const totals = new Map<string, CheckSummary>();
  for (const check of sortBy(checks, (c) => [c.id])) {
    totals.set(check.id, noneYet(check));
  }
  for (const part of parts) {
    for (const f of part.findings) if (!findings.has(f.id)) findings.set(f.id, f);
    for (const [id, place] of part.places) if (!places.has(id)) places.set(id, place);
    for (const c of part.crashes) crashes.push(c);
    for (const s of part.summaries) {
      const total = totals.get(s.check);
      if (!total) continue;
      total.evaluated += s.evaluated;
      total.passed += s.passed;
      total.failed += s.failed;
      total.undecided += s.undecided;
      total.crashed += s.crashed;
      for (const c of s.crashes) total.crashes.push(c);
    }
  }
  // ordered by the first value read from a cell or a statement (a table's base n sits at its title, above its cells)
  const firstWhere = (f: Finding) => (f.evidence.find((e) => e.source_id !== null) ?? f.evidence[0]!).where;
  const merged = options.merge === false ? [...findings.values()].map((f) => ({ ...f, merged_ids: [f.id] })) : mergeFindings([...findings.values()], places);
  const sorted = merged.sort((a, b) =>
    compareKeys([SEVERITY_ORDER[a.severity], a.check, firstWhere(a), a.id], [SEVERITY_ORDER[b.severity], b.check, firstWhere(b), b.id]),
  );
  return parseContract(CheckResults, { findings: sorted, summaries: [...totals.values()], crashes }, { stage: 'checks', what: 'check results' });
}

/** Run every check over its subjects, then merge, validate and sort (evaluateChecks, finishChecks). */
export function runChecks(checks: readonly AnyCheck[], subjects: Subjects, options: { merge?: boolean } = {}): CheckResults {
  return finishChecks(checks, [evaluateChecks(checks, subjects)], options);
}

const sortedChecks = new WeakMap<readonly AnyCheck[], readonly AnyCheck[]>();

/** `checks` in id order, sorted once a list (a list is judged once a partition). */
function inIdOrder(checks: readonly AnyCheck[]): readonly AnyCheck[] {
  let sorted = sortedChecks.get(checks);
  if (sorted === undefined) sortedChecks.set(checks, (sorted = sortBy(checks, (c) => [c.id])));
  return sorted;
}

const paramsOf = new WeakMap<AnyCheck, unknown>();

/**
 * A check's parameters: its schema's defaults, parsed once a check (the checks that compare
 * documents are run once a partition: 15,710 parses of the same empty object at the bundled corpus).
 */
function defaultParams(check: AnyCheck): unknown {
  if (!paramsOf.has(check)) paramsOf.set(check, Object.freeze(check.params.parse({})));
  return paramsOf.get(check);
}

/** A check's counts before it has judged anything. */
function noneYet(check: AnyCheck): CheckSummary {
  return { check: check.id, title: check.title, severity: check.severity, evaluated: 0, passed: 0, failed: 0, undecided: 0, crashed: 0, crashes: [] };
}

function toFinding(check: AnyCheck, outcome: Extract<Outcome, { status: 'fail' }>): Finding {
  const evidence = outcome.evidence.map(toEvidence).sort((a, b) => compareKeys([a.document], [b.document]) || compareLocators(a.locator, b.locator) || compareKeys([a.excerpt], [b.excerpt]));
  return {
    id: `${check.id}:${contentId({ check: check.id, subject: outcome.subject })}`,
    check: check.id,
    severity: outcome.severity ?? check.severity,
    message: outcome.message,
    expected: outcome.expected,
    actual: outcome.actual,
    tolerance: outcome.tolerance,
    evidence,
  };
}

function toEvidence(draft: EvidenceDraft): Evidence {
  const excerpt = clipAtWord(draft.excerpt, EXCERPT_MAX);
  const value = draft.value === null ? null : typeof draft.value === 'string' ? draft.value : draft.value.raw;
  const source = draft.sourceKind !== undefined && draft.sourceId !== undefined ? { source_kind: draft.sourceKind, source_id: draft.sourceId } : { source_kind: null, source_id: null };
  return { document: draft.document, locator: draft.locator, where: formatLocator(draft.locator), excerpt, value, ...source, role: draft.role ?? null };
}

function subjectName(subject: Subjects[keyof Subjects][number]): string {
  switch (subject.kind) {
    case 'table':
      return `${subject.table.table_id} (${formatLocator(subject.table.locator)})`;
    case 'sentence':
      return formatLocator(subject.locator);
    case 'observations':
      return `${subject.measure.measure_id} ${subject.period} ${subject.geography}${subject.breakdown === '' ? '' : ` ${subject.breakdown}`}`;
  }
}

const cellIndexes = new WeakMap<Subjects, Map<string, { subject: TableSubject; row: number; column: number; value: number }>>();

/**
 * Where a table check's finding sits, for merging: the one table all its cells are in, with each
 * cell's normalised row label, column (its period where the table gives one, else its label) and
 * value. None when it rests on no cell or on cells of several tables.
 */
function placeOf(finding: Finding, subjects: Subjects): FindingPlace | undefined {
  let index = cellIndexes.get(subjects);
  if (!index) {
    index = new Map();
    for (const subject of subjects.tables) for (const cell of subject.cells) index.set(cell.cell_id, { subject, row: cell.row_index, column: cell.column_index, value: cell.figure.value });
    cellIndexes.set(subjects, index);
  }
  const cells = finding.evidence.filter((e) => e.source_kind === 'cell').map((e) => index.get(e.source_id!));
  if (cells.length === 0 || cells.some((c) => c === undefined)) return undefined;
  const { subject } = cells[0]!;
  if (cells.some((c) => c!.subject !== subject)) return undefined;
  const { table, document } = subject;
  return {
    document: document.document_id,
    file: document.file,
    release: document.release,
    table_id: table.table_id,
    title: table.title,
    position: [cells[0]!.row, cells[0]!.column],
    cells: cells.map((c) => {
      // rows and columns are listed by index; the search is only a fallback
      const row = table.rows[c!.row]?.index === c!.row ? table.rows[c!.row] : table.rows.find((r) => r.index === c!.row);
      const column = table.columns[c!.column]?.index === c!.column ? table.columns[c!.column] : table.columns.find((k) => k.index === c!.column);
      return { row: normaliseLabel(row?.label_path.length ? row.label_path : [row?.label ?? '']), column: column?.period ?? normaliseLabel(column?.header_path ?? []), value: c!.value };
    }),
  };
}
