import type { z } from 'zod';
import type { Figure, Locator } from '../core/index.js';
import type { Cell, CellStatus, DocumentRecord, Statement, Table } from '../extract/index.js';
import type { Measure, Observation } from '../transform/index.js';
import type { Severity } from './contracts.js';

/** A table with its numeric cells and its document: what table checks read. */
export interface TableSubject {
  kind: 'table';
  document: DocumentRecord;
  table: Table;
  cells: Cell[];
  /** Places the table shows shorthand instead of a number ([c], [x], ..): no value, never zero. */
  statuses?: CellStatus[];
}

/** One sentence of prose with the numbers stated in it. */
export interface SentenceSubject {
  kind: 'sentence';
  document: DocumentRecord;
  sentence_id: string;
  sentence: string;
  statements: Statement[];
  locator: Locator;
  /** The fact table of the run, to compare a figure in prose with the values tables give (a prose share with its category). */
  facts?: FactIndex;
}

/** Every observation of one measure, period, geography and breakdown, across releases. */
export interface ObservationGroup {
  kind: 'observations';
  measure: Measure;
  period: string;
  geography: string;
  /** Observation.breakdown: '' for the measure as a whole. */
  breakdown: string;
  observations: Observation[];
  documents: Map<string, DocumentRecord>;
  /** The same measure, geography and breakdown a year earlier ('YE 2020-03' for 'YE 2021-03'), where any document states it. */
  yearBefore?: ObservationGroup;
  /**
   * The groups of the fact table it may look up, to find another measure's for the same key (a
   * derived figure's inputs, named by its check's readsMeasures): in a run, those of its geography,
   * breakdown and family of measures (checks/across-documents.ts); in buildSubjects, every group.
   */
  facts: FactIndex;
}

/** The observation groups of one run, by key. */
export interface FactIndex {
  group(measureId: string, period: string, geography: string, breakdown?: string): ObservationGroup | undefined;
  /** Every group of categories of a breakdown (breakdown ≠ '') for a period, in a stable order. */
  categories(period: string): readonly ObservationGroup[];
}

/** How a finding names its group: "Cases discussed at MARACs, YE 2020-03, England and Wales" (and the breakdown, if any). */
export function groupLabel(group: ObservationGroup): string {
  return `${group.measure.title}, ${group.period}, ${group.geography}${group.breakdown === '' ? '' : `, ${group.breakdown}`}`;
}

/** The key of a group for a finding's content id; a whole measure's key has no breakdown field, so ids made before breakdowns existed stay. */
export function groupKey(group: ObservationGroup): { measure: string; period: string; geography: string; breakdown?: string } {
  return { measure: group.measure.measure_id, period: group.period, geography: group.geography, ...(group.breakdown === '' ? {} : { breakdown: group.breakdown }) };
}

export interface SubjectKinds {
  tables: TableSubject;
  sentences: SentenceSubject;
  observations: ObservationGroup;
}

export interface EvidenceDraft {
  document: string;
  locator: Locator;
  excerpt: string;
  value: Figure | string | null;
  /** What the value was read from (Observation.source_kind; 'cell' for a table cell, 'statement' for prose); none when it is not one value. */
  sourceKind?: 'cell' | 'statement';
  /** The cell_id or statement_id, with sourceKind. */
  sourceId?: string;
  /** What the evidence is to the check: 'stated', 'part', 'total', 'base', 'input', 'earlier', 'later'… */
  role?: string;
}

/** What `evaluate` reports for one thing it checked inside a subject. */
export type Outcome =
  | { status: 'pass' }
  | { status: 'undecided'; reason: string }
  | {
      status: 'fail';
      /** Overrides the check's default severity (e.g. a total a footnote explains). */
      severity?: Severity;
      message: string;
      expected: string;
      actual: string;
      tolerance: string;
      evidence: EvidenceDraft[];
      /** What the finding is about, for its content id: document ids, locators, row/column keys. Never values or text. */
      subject: unknown;
    };

export interface CheckDefinition<K extends keyof SubjectKinds, P extends z.ZodType> {
  /** Stable kebab-case id; the rule lives in checks/rules/<id>.ts. */
  id: string;
  title: string;
  severity: Severity;
  /** One sentence for the report: what holds when the check passes. */
  describe: string;
  subjects: K;
  params: P;
  /** Subjects the check does not apply to are left out before it runs (a multi-response table, say). */
  applies?: (subject: SubjectKinds[K], params: z.infer<P>) => boolean;
  evaluate: (subject: SubjectKinds[K], params: z.infer<P>) => Outcome[];
  /**
   * An observation-group check that looks up groups of other measures (facts.group: a derived
   * figure's inputs) names them here, for a group of the measure given. The checks that compare
   * documents judge each geography, breakdown and family of measures these link apart
   * (checks/across-documents.ts measureFamilies), and refuse a lookup outside the group's family.
   */
  readsMeasures?: (measureId: string) => readonly string[];
}

export type AnySubject = SubjectKinds[keyof SubjectKinds];

const KIND_OF: { [K in keyof SubjectKinds]: SubjectKinds[K]['kind'] } = { tables: 'table', sentences: 'sentence', observations: 'observations' };

/** A check with its subject type erased, as the runner and the registry hold it. */
export interface AnyCheck {
  id: string;
  title: string;
  severity: Severity;
  describe: string;
  subjects: keyof SubjectKinds;
  params: z.ZodType;
  applies: (subject: AnySubject, params: unknown) => boolean;
  evaluate: (subject: AnySubject, params: unknown) => Outcome[];
  /** The other measures an observation-group check reads for a group of this one (CheckDefinition.readsMeasures); none if it reads none. */
  readsMeasures: (measureId: string) => readonly string[];
}

/**
 * Declare a check. The result takes any subject and refuses (throws, which the runner records as a
 * crash) one of another kind, so a registry can hold checks of every kind without casts.
 */
export function defineCheck<K extends keyof SubjectKinds, P extends z.ZodType>(definition: CheckDefinition<K, P>): AnyCheck {
  const kind = KIND_OF[definition.subjects];
  const narrow = (subject: AnySubject): SubjectKinds[K] => {
    if (subject.kind !== kind) throw new Error(`${definition.id} reads ${definition.subjects}, not a ${subject.kind}`);
    return subject as SubjectKinds[K];
  };
  return {
    id: definition.id,
    title: definition.title,
    severity: definition.severity,
    describe: definition.describe,
    subjects: definition.subjects,
    params: definition.params,
    applies: (subject, params) => (definition.applies ? definition.applies(narrow(subject), params as z.infer<P>) : true),
    evaluate: (subject, params) => definition.evaluate(narrow(subject), params as z.infer<P>),
    readsMeasures: definition.readsMeasures ?? (() => []),
  };
}
