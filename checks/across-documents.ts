import { compareCodePoints, compareKeys } from '../core/sort.js';
import type { DocumentRecord } from '../extract/index.js';
import type { Measure, Observation } from '../transform/index.js';
import type { AnyCheck, FactIndex, ObservationGroup, SentenceSubject } from './define.js';
import { evaluateChecks, type CheckPart } from './run.js';
import { figureId, observationGroups } from './subjects.js';

/** One figure: a measure, period, geography and breakdown (an observation group's key). */
export interface FigureKey {
  measure_id: string;
  period: string;
  geography: string;
  breakdown: string;
}

/**
 * Where the checks that compare documents read the corpus's observations: the warehouse
 * (load/observations.ts), so the run never holds them all.
 */
export interface ObservationSource {
  /**
   * Every observation, a partition at a time: all of one geography, breakdown and family of measures
   * (`families`: measure id → its family's key, for the measures of a family of more than one; every
   * other measure is a family of its own). Every group an observation group's checks look up is in
   * its partition.
   */
  partitions(families: MeasureFamilies): AsyncIterable<Observation[]>;
  /** Each category figure (breakdown ≠ ''), once. */
  categories(): Promise<FigureKey[]>;
  /** The observations of these figures. */
  figures(keys: readonly FigureKey[]): Promise<Observation[]>;
}

/**
 * The corpus's sentences with numbers, a document at a time in corpus order (each document's as
 * sentenceSubjects gives them), so the run never holds them all. It may be iterated more than once;
 * with `only`, just the documents of those ids.
 */
export type SentenceSource = (only?: ReadonlySet<string>) => AsyncIterable<SentenceSubject[]>;

/** A source over sentences already in memory (sentenceSubjects of several documents): one document at a time, in their order. */
export function sentencesInMemory(sentences: readonly SentenceSubject[]): SentenceSource {
  return async function* (only) {
    let at = 0;
    while (at < sentences.length) {
      const document = sentences[at]!.document.document_id;
      let end = at;
      while (end < sentences.length && sentences[end]!.document.document_id === document) end++;
      if (only === undefined || only.has(document)) yield sentences.slice(at, end);
      at = end;
    }
  };
}

/** Measure id → the key of its family (measureFamilies); a measure not in it is a family of its own. */
export type MeasureFamilies = ReadonlyMap<string, string>;

/**
 * The families of measures the observation-group checks read together: measures linked by what a
 * check reads for a group of one of them (AnyCheck.readsMeasures: a derived figure and its inputs),
 * each family keyed by its first measure id in code-point order. Only the measures of a family of
 * more than one are in the map.
 */
export function measureFamilies(checks: readonly AnyCheck[], measures: readonly Measure[]): Map<string, string> {
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const set = links.get(x);
      if (set) set.add(y);
      else links.set(x, new Set([y]));
    }
  };
  for (const check of checks) if (check.subjects === 'observations') for (const m of measures) for (const other of check.readsMeasures(m.measure_id)) link(m.measure_id, other);
  const families = new Map<string, string>();
  for (const start of [...links.keys()].sort(compareCodePoints)) {
    if (families.has(start)) continue;
    // every measure linked to `start`, directly or not; `start` is the least of them (visited in order)
    const family = [start];
    families.set(start, start);
    for (let i = 0; i < family.length; i++) {
      for (const next of links.get(family[i]!) ?? []) {
        if (families.has(next)) continue;
        families.set(next, start);
        family.push(next);
      }
    }
  }
  return families;
}

/** The key of a measure's family. */
export function familyOf(families: MeasureFamilies, measureId: string): string {
  return families.get(measureId) ?? measureId;
}

/**
 * The checks that compare documents (`checks` whose subjects are observation groups or sentences),
 * judged over observations read from `source`, one part per partition plus the sentences' (one per
 * document): the parts finishChecks merges, with the same findings and counts as judging all the
 * observations and sentences at once (buildSubjects), but never more of them in memory than a
 * partition, one document's sentences, and the categories the sentences name.
 *
 * A group's checks look up other groups of the same geography and breakdown only, and of the same
 * measure (the year before) or of one its check names (a derived figure's inputs: readsMeasures),
 * so each partition (a geography, breakdown and family of measures: measureFamilies) is judged
 * alone: at 1,000 documents of the same places, one geography (England and Wales) held 18,571
 * observations, its largest family 4,337. A lookup outside the group's partition throws (the check
 * is recorded as crashed on it). A sentence check looks up the
 * categories of a period (facts.categories: a share in prose against its table): it is run twice,
 * first over the categories' keys alone to learn whose observations it reads, then with those
 * observations loaded, over the documents whose sentences read any (the others' first judgement
 * stands: it read nothing the second would change). It must choose which categories to read from
 * their keys, not from their observations (prose-share does).
 */
export async function checkAcrossDocuments(input: {
  checks: readonly AnyCheck[];
  measures: readonly Measure[];
  /** The primary editions, by document id. */
  documents: Map<string, DocumentRecord>;
  sentences: SentenceSource;
  source: ObservationSource;
  /** The transform's order of observations (orderObservations): a group's observations are in it. */
  order: (observations: Observation[]) => Observation[];
}): Promise<CheckPart[]> {
  const parts: CheckPart[] = [];
  const families = measureFamilies(input.checks, input.measures);
  // (judged a few together, up to 5,000 observations, the partitions' parts were fewer, but at
  // 2,000 documents the night peaked 20-80 MiB higher, in the report, than with the partitions of a
  // geography and breakdown; judged alone, 383-387 MiB against 399-412)
  const judging = { ...input, checks: input.checks.filter((c) => c.subjects === 'observations') };
  for await (const partition of input.source.partitions(families)) parts.push(judgePartition(partition, judging, families));
  parts.push(...(await checkSentences(input)));
  return parts;
}

/**
 * The part of one partition (every observation of one geography, breakdown and family of measures):
 * the checks whose subjects are its observation groups (`input.checks`, those only), each looking
 * up the partition only (partitionFacts).
 */
function judgePartition(partition: Observation[], input: Pick<Parameters<typeof checkAcrossDocuments>[0], 'checks' | 'measures' | 'documents' | 'order'>, families: MeasureFamilies): CheckPart {
  const { groups, facts } = observationGroups(input.order(partition), input.measures, input.documents);
  const first = partition[0];
  if (first !== undefined) {
    const view = partitionFacts(facts, first.geography, first.breakdown, familyOf(families, first.measure_id), families);
    for (const group of groups) group.facts = view;
  }
  return evaluateChecks(input.checks, { tables: [], sentences: [], observations: groups });
}

/**
 * The fact index as a group of one partition may read it: the groups of its geography, breakdown and
 * family of measures. Any other lookup throws: it would find nothing, or what judging the groups all
 * at once would not. The categories are the sentence checks' (read over the whole run): a group's
 * check that asks for them throws too.
 */
function partitionFacts(facts: FactIndex, geography: string, breakdown: string, family: string, families: MeasureFamilies): FactIndex {
  return {
    group: (measureId, period, g, b = '') => {
      if (g !== geography || b !== breakdown || familyOf(families, measureId) !== family) {
        throw new Error(
          `a check looked up ${JSON.stringify([measureId, period, g, b])} for a group of ${JSON.stringify([geography, breakdown])} and the measures of ${family}: ` +
            'an observation group is judged with the groups of its geography, breakdown and family of measures only (a measure its check reads is named by readsMeasures)',
        );
      }
      return facts.group(measureId, period, g, b);
    },
    categories: () => {
      throw new Error(`a check asked for the categories of a period for a group of ${JSON.stringify([geography, breakdown])}: an observation group is judged with the groups of its partition only`);
    },
  };
}

/** The parts of the sentences, one per document in corpus order: the checks whose subjects are sentences, with the categories they read (see checkAcrossDocuments). */
async function checkSentences(input: Parameters<typeof checkAcrossDocuments>[0]): Promise<CheckPart[]> {
  const sentenceChecks = input.checks.filter((c) => c.subjects === 'sentences');
  const keys = await input.source.categories();
  // first pass: which categories' observations the sentence checks read; a document whose sentences read none is judged
  const reads: Reads = { ids: new Set(), count: 0 };
  const firstFacts = categoryIndex(keys, input, reads, null);
  const parts: Array<CheckPart | string> = [];
  const again = new Set<string>();
  for await (const sentences of input.sentences()) {
    const before = reads.count;
    const part = evaluateChecks(sentenceChecks, { tables: [], sentences: withFacts(sentences, firstFacts), observations: [] });
    // (a document with no sentences read nothing)
    if (reads.count === before) parts.push(part);
    else {
      const document = sentences[0]!.document.document_id;
      parts.push(document);
      again.add(document);
    }
  }
  if (again.size === 0) return parts as CheckPart[];
  const wanted = keys.filter((k) => reads.ids.has(idOf(k)));
  const loaded = new Map<string, Observation[]>();
  for (const o of input.order(await input.source.figures(wanted))) {
    const id = idOf(o);
    const list = loaded.get(id);
    if (list) list.push(o);
    else loaded.set(id, [o]);
  }
  // second pass: those documents judged with the observations they read, each part in its place
  const facts = categoryIndex(keys, input, { ids: new Set(), count: 0 }, loaded);
  const judged = new Map<string, CheckPart>();
  for await (const sentences of input.sentences(again)) {
    if (sentences.length > 0) judged.set(sentences[0]!.document.document_id, evaluateChecks(sentenceChecks, { tables: [], sentences: withFacts(sentences, facts), observations: [] }));
  }
  return parts.map((p) => {
    if (typeof p !== 'string') return p;
    const part = judged.get(p);
    if (!part) throw new Error(`the sentences of document ${p} were not given again for the sentence checks' second pass`);
    return part;
  });
}

/** The categories the sentence checks asked for the observations of, and how many times they asked. */
interface Reads {
  ids: Set<string>;
  count: number;
}

function idOf(k: FigureKey): string {
  return figureId(k.measure_id, k.period, k.geography, k.breakdown);
}

function withFacts(sentences: readonly SentenceSubject[], facts: FactIndex): SentenceSubject[] {
  return sentences.map((s) => ({ ...s, facts }));
}

/**
 * The category groups of the run (as buildSubjects's facts.categories gives them: known measures,
 * sorted by key), each group's observations read from `loaded` as a check asks for them (each ask
 * noted in `reads`); with `loaded` null, every group has none (the first pass).
 */
function categoryIndex(keys: readonly FigureKey[], input: { measures: readonly Measure[]; documents: Map<string, DocumentRecord> }, reads: Reads, loaded: ReadonlyMap<string, Observation[]> | null): FactIndex {
  const measureById = new Map(input.measures.map((m) => [m.measure_id, m]));
  const byId = new Map<string, ObservationGroup>();
  const byPeriod = new Map<string, ObservationGroup[]>();
  const facts: FactIndex = {
    group: (measureId, period, geography, breakdown = '') => byId.get(figureId(measureId, period, geography, breakdown)),
    categories: (period) => byPeriod.get(period) ?? [],
  };
  const sorted = [...keys].sort((a, b) => compareKeys([a.measure_id, a.period, a.geography, a.breakdown], [b.measure_id, b.period, b.geography, b.breakdown]));
  for (const key of sorted) {
    const measure = measureById.get(key.measure_id);
    if (!measure || key.breakdown === '') continue;
    const id = idOf(key);
    const group = { kind: 'observations', measure, period: key.period, geography: key.geography, breakdown: key.breakdown, documents: input.documents, facts } as Omit<ObservationGroup, 'observations'> as ObservationGroup;
    Object.defineProperty(group, 'observations', {
      enumerable: true,
      get: (): Observation[] => {
        reads.ids.add(id);
        reads.count++;
        if (loaded === null) return [];
        const observations = loaded.get(id);
        if (observations === undefined) throw new Error(`the observations of ${id} were not read for the sentence checks: a check chose which categories to read by their observations`);
        return observations;
      },
    });
    byId.set(id, group);
    const list = byPeriod.get(key.period);
    if (list) list.push(group);
    else byPeriod.set(key.period, [group]);
  }
  return facts;
}
