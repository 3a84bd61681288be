import { compareKeys } from '../core/sort.js';
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
  /** Every observation, a partition at a time: all of one geography and breakdown (every group an observation group's checks look up is in its partition). */
  partitions(): AsyncIterable<Observation[]>;
  /** Each category figure (breakdown ≠ ''), once. */
  categories(): Promise<FigureKey[]>;
  /** The observations of these figures. */
  figures(keys: readonly FigureKey[]): Promise<Observation[]>;
}

/**
 * The checks that compare documents (`checks` whose subjects are observation groups or sentences),
 * judged over observations read from `source`, one part per partition plus one for the sentences:
 * the parts finishChecks merges, with the same findings and counts as judging all the observations at
 * once (buildSubjects), but never more of them in memory than a partition, and the categories the
 * sentences name.
 *
 * A group's checks look up other groups of the same geography and breakdown only (the year before,
 * a derived figure's inputs), so each partition is judged alone. A sentence check looks up the
 * categories of a period (facts.categories: a share in prose against its table): it is run twice,
 * first over the categories' keys alone to learn whose observations it reads, then with those
 * observations loaded. It must choose which categories to read from their keys, not from their
 * observations (prose-share does).
 */
export async function checkAcrossDocuments(input: {
  checks: readonly AnyCheck[];
  measures: readonly Measure[];
  /** The primary editions, by document id. */
  documents: Map<string, DocumentRecord>;
  sentences: readonly SentenceSubject[];
  source: ObservationSource;
  /** The transform's order of observations (orderObservations): a group's observations are in it. */
  order: (observations: Observation[]) => Observation[];
}): Promise<CheckPart[]> {
  const parts: CheckPart[] = [];
  for await (const partition of input.source.partitions()) parts.push(judgePartition(partition, input));
  parts.push(await checkSentences(input));
  return parts;
}

/** The part of one partition (every observation of one geography and breakdown): the checks whose subjects are its observation groups. */
export function judgePartition(partition: Observation[], input: Pick<Parameters<typeof checkAcrossDocuments>[0], 'checks' | 'measures' | 'documents' | 'order'>): CheckPart {
  const { groups } = observationGroups(input.order(partition), input.measures, input.documents);
  return evaluateChecks(
    input.checks.filter((c) => c.subjects === 'observations'),
    { tables: [], sentences: [], observations: groups },
  );
}

/** The part of the sentences: the checks whose subjects are sentences, with the categories they read (see checkAcrossDocuments). */
export async function checkSentences(input: Omit<Parameters<typeof checkAcrossDocuments>[0], 'source'> & { source: Omit<ObservationSource, 'partitions'> }): Promise<CheckPart> {
  const sentenceChecks = input.checks.filter((c) => c.subjects === 'sentences');
  const keys = await input.source.categories();
  const read = new Set<string>();
  // first pass: which categories' observations the sentence checks read (their outcomes are not kept)
  evaluateChecks(sentenceChecks, { tables: [], sentences: withFacts(input.sentences, categoryIndex(keys, input, read, null)), observations: [] });
  const wanted = keys.filter((k) => read.has(idOf(k)));
  const loaded = new Map<string, Observation[]>();
  for (const o of input.order(await input.source.figures(wanted))) {
    const id = idOf(o);
    const list = loaded.get(id);
    if (list) list.push(o);
    else loaded.set(id, [o]);
  }
  return evaluateChecks(sentenceChecks, { tables: [], sentences: withFacts(input.sentences, categoryIndex(keys, input, new Set(), loaded)), observations: [] });
}

function idOf(k: FigureKey): string {
  return figureId(k.measure_id, k.period, k.geography, k.breakdown);
}

function withFacts(sentences: readonly SentenceSubject[], facts: FactIndex): SentenceSubject[] {
  return sentences.map((s) => ({ ...s, facts }));
}

/**
 * The category groups of the run (as buildSubjects's facts.categories gives them: known measures,
 * sorted by key), each group's observations read from `loaded` as a check asks for them (each asked
 * for is noted in `read`); with `loaded` null, every group has none (the first pass).
 */
function categoryIndex(keys: readonly FigureKey[], input: { measures: readonly Measure[]; documents: Map<string, DocumentRecord> }, read: Set<string>, loaded: ReadonlyMap<string, Observation[]> | null): FactIndex {
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
        read.add(id);
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
