import { compareKeys, compareLocators, groupBy, pushToKey } from '../core/index.js';
import type { DocumentRecord, Extraction } from '../extract/index.js';
import type { Measure, Observation } from '../transform/index.js';
import type { FactIndex, ObservationGroup, SentenceSubject, SubjectKinds, TableSubject } from './define.js';

export type Subjects = { [K in keyof SubjectKinds]: Array<SubjectKinds[K]> };

/** Pure: the things checks look at, in a stable order. */
export function buildSubjects(extractions: ReadonlyArray<Pick<Extraction, 'document' | 'tables' | 'cells' | 'statuses' | 'statements'>>, observations: readonly Observation[], measures: readonly Measure[]): Subjects {
  const tables: TableSubject[] = [];
  for (const x of extractions) for (const subject of tableSubjects(x)) tables.push(subject);
  const sentences = sentenceSubjects(extractions);
  const { groups, facts } = observationGroups(observations, measures, new Map(extractions.map((x) => [x.document.document_id, x.document])));
  for (const sentence of sentences) sentence.facts = facts;
  return {
    tables: tables.sort((a, b) => compareKeys([a.document.file, a.table.ordinal], [b.document.file, b.table.ordinal])),
    sentences,
    observations: groups,
  };
}

/** Pure: the documents' sentences with numbers, each with its statements in order, sorted by where they are (no facts yet). */
export function sentenceSubjects(extractions: ReadonlyArray<Pick<Extraction, 'document' | 'statements'>>): SentenceSubject[] {
  const sentences: SentenceSubject[] = [];
  for (const x of extractions) {
    for (const [sentence_id, statements] of groupBy(x.statements, (s) => s.sentence_id)) {
      const first = statements[0]!;
      sentences.push({ kind: 'sentence', document: x.document, sentence_id, sentence: first.sentence, statements: [...statements].sort((a, b) => a.offset - b.offset), locator: first.locator });
    }
  }
  return sentences.sort((a, b) => compareLocators(a.locator, b.locator) || compareKeys([a.sentence_id], [b.sentence_id]));
}

/**
 * Pure: observations as groups (one measure, period, geography and breakdown), sorted by that key,
 * each group's observations in the order given (the transform's: orderObservations), with the index of them
 * all (facts) and each group's year before. `documents` are the records groups name their
 * observations' releases and publishers by.
 */
export function observationGroups(observations: readonly Observation[], measures: readonly Measure[], documents: Map<string, DocumentRecord>): { groups: ObservationGroup[]; facts: FactIndex } {
  const measureById = byMeasureId(measures);
  const groups = new Map<string, ObservationGroup>();
  const byPeriod = new Map<string, ObservationGroup[]>();
  const facts: FactIndex = {
    group: (measureId, period, geography, breakdown = '') => groups.get(figureId(measureId, period, geography, breakdown)),
    categories: (period) => byPeriod.get(period) ?? [],
  };
  for (const o of observations) {
    const measure = measureById.get(o.measure_id);
    if (!measure) continue;
    const key = figureId(o.measure_id, o.period, o.geography, o.breakdown);
    const group = groups.get(key) ?? { kind: 'observations' as const, measure, period: o.period, geography: o.geography, breakdown: o.breakdown, observations: [], documents, facts };
    group.observations.push(o);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => compareKeys([a.measure.measure_id, a.period, a.geography, a.breakdown], [b.measure.measure_id, b.period, b.geography, b.breakdown]));
  for (const group of sorted) if (group.breakdown !== '') pushToKey(byPeriod, group.period, group);
  for (const group of groups.values()) {
    const earlier = periodYearBefore(group.period);
    const found = earlier === null ? undefined : facts.group(group.measure.measure_id, earlier, group.geography, group.breakdown);
    if (found) group.yearBefore = found;
  }
  return { groups: sorted, facts };
}

const measureIndexes = new WeakMap<readonly Measure[], ReadonlyMap<string, Measure>>();

/** The measures by id, indexed once a list (the checks that compare documents group each partition apart: thousands a night). */
function byMeasureId(measures: readonly Measure[]): ReadonlyMap<string, Measure> {
  let index = measureIndexes.get(measures);
  if (index === undefined) measureIndexes.set(measures, (index = new Map(measures.map((m) => [m.measure_id, m]))));
  return index;
}

/**
 * The key of an observation group (one measure, period, geography and breakdown) in a fact index:
 * each part but the last after its length, so that no two groups share one whatever their text.
 */
export function figureId(measureId: string, period: string, geography: string, breakdown: string): string {
  return `${measureId.length}:${measureId}${period.length}:${period}${geography.length}:${geography}${breakdown}`;
}

/** One document's tables as check subjects, each with its cells and statuses, in table order. Pure. */
export function tableSubjects(x: Pick<Extraction, 'document' | 'tables' | 'cells' | 'statuses'>): TableSubject[] {
  const cellsByTable = groupBy(x.cells, (cell) => cell.table_id);
  const statusesByTable = groupBy(x.statuses, (status) => status.table_id);
  return x.tables.map((table) => ({ kind: 'table', document: x.document, table, cells: cellsByTable.get(table.table_id) ?? [], statuses: statusesByTable.get(table.table_id) ?? [] }));
}

const yearBefore = new Map<string, string | null>();

/** The period a year before a normalised period: 'YE 2021-03' → 'YE 2020-03', '2019' → '2018'; null for other forms. */
export function periodYearBefore(period: string): string | null {
  let before = yearBefore.get(period);
  if (before === undefined) {
    // (a night asks for the same few periods thousands of times; the periods are a corpus's few)
    before = yearBeforeOf(period);
    if (yearBefore.size < 10_000) yearBefore.set(period, before);
  }
  return before;
}

function yearBeforeOf(period: string): string | null {
  const ye = /^YE (\d{4})-(\d{2})$/.exec(period);
  if (ye) return `YE ${Number(ye[1]) - 1}-${ye[2]}`;
  return /^\d{4}$/.test(period) ? String(Number(period) - 1) : null;
}
