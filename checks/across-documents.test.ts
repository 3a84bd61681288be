import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pushToKey } from '../core/collections.js';
import { extractDocument, readCorpus, type Extraction } from '../extract/index.js';
import { measures, orderObservations, transformDocument, type Observation } from '../transform/index.js';
import { checkAcrossDocuments, familyOf, measureFamilies, sentencesInMemory, type FigureKey, type ObservationSource, type SentenceSource } from './across-documents.js';
import { defineCheck, type AnyCheck } from './define.js';
import { CHECKS } from './index.js';
import { derivedFigureCheck } from './rules/derived-figure.js';
import { finishChecks, runChecks } from './run.js';
import { buildSubjects, sentenceSubjects } from './subjects.js';

/**
 * The checks that compare documents, judged a partition at a time over observations read from a
 * source (the warehouse in a run), find what judging every observation at once finds.
 */
const RAW = join(import.meta.dirname, '..', 'raw');
let extractions: Extraction[] = [];
let observations: Observation[] = [];
beforeAll(async () => {
  const corpus = await readCorpus(RAW);
  for (const raw of corpus.documents.filter((d) => d.record.format === 'text')) {
    const x = await extractDocument(raw.record, raw.bytes);
    extractions.push(x);
    observations.push(...transformDocument(x).observations);
  }
}, 120_000);

/** A source over observations in memory, partitions in a shuffled order (the judging must not depend on it). */
function memorySource(all: readonly Observation[]): ObservationSource & { figuresRead: FigureKey[] } {
  const figuresRead: FigureKey[] = [];
  return {
    figuresRead,
    async *partitions(families) {
      const byKey = new Map<string, Observation[]>();
      for (const o of all) pushToKey(byKey, JSON.stringify([o.geography, o.breakdown, familyOf(families, o.measure_id)]), o);
      const keys = [...byKey.keys()].sort().reverse();
      for (const k of keys) yield [...byKey.get(k)!].reverse();
    },
    async categories() {
      const seen = new Map<string, FigureKey>();
      for (const o of all) if (o.breakdown !== '') seen.set(JSON.stringify([o.measure_id, o.period, o.geography, o.breakdown]), { measure_id: o.measure_id, period: o.period, geography: o.geography, breakdown: o.breakdown });
      return [...seen.values()];
    },
    async figures(keys) {
      figuresRead.push(...keys);
      const wanted = new Set(keys.map((k) => JSON.stringify([k.measure_id, k.period, k.geography, k.breakdown])));
      return all.filter((o) => wanted.has(JSON.stringify([o.measure_id, o.period, o.geography, o.breakdown])));
    },
  };
}

async function across(checks: readonly AnyCheck[], source: ObservationSource, sentences: SentenceSource = sentencesInMemory(sentenceSubjects(extractions))) {
  return finishChecks(
    checks,
    await checkAcrossDocuments({
      checks,
      measures: measures(),
      documents: new Map(extractions.map((x) => [x.document.document_id, x.document])),
      sentences,
      source,
      order: orderObservations,
    }),
  );
}

describe('checks across documents, a partition at a time', () => {
  const others = CHECKS.filter((c) => c.subjects !== 'tables');

  it('finds what judging every observation at once finds: the same findings and counts', async () => {
    const whole = runChecks(others, { ...buildSubjects(extractions, orderObservations([...observations]), measures()), tables: [] });
    expect(whole.findings.length).toBeGreaterThanOrEqual(3);
    expect(whole.findings.map((f) => f.check)).toEqual(expect.arrayContaining(['revised-figure', 'restated-figure']));
    const source = memorySource(observations);
    expect(await across(others, source)).toEqual(whole);
    // the sentence checks read the categories they name, not every category
    const categories = await source.categories();
    expect(source.figuresRead.length).toBeGreaterThan(0);
    expect(source.figuresRead.length).toBeLessThan(categories.length);
  });

  it('judges the sentences a document at a time, giving again only the documents whose sentences read a category', async () => {
    const inMemory = sentencesInMemory(sentenceSubjects(extractions));
    const given: Array<{ again: boolean; documents: string[] }> = [];
    const counting: SentenceSource = async function* (only) {
      for await (const sentences of inMemory(only)) {
        given.push({ again: only !== undefined, documents: [...new Set(sentences.map((s) => s.document.document_id))] });
        yield sentences;
      }
    };
    const whole = runChecks(others, { ...buildSubjects(extractions, orderObservations([...observations]), measures()), tables: [] });
    expect(await across(others, memorySource(observations), counting)).toEqual(whole);
    expect(given.every((g) => g.documents.length === 1)).toBe(true);
    const first = given.filter((g) => !g.again).map((g) => g.documents[0]);
    const again = given.filter((g) => g.again).map((g) => g.documents[0]);
    // every document with sentences once, in corpus order; then those whose sentences read a category's observations
    expect(first).toEqual([...new Set(sentenceSubjects(extractions).map((s) => s.document.document_id))]);
    expect(again.length).toBeGreaterThan(0);
    expect(again.length).toBeLessThan(first.length);
    expect(again).toEqual(first.filter((d) => again.includes(d)));
  });

  it('a finding that rests on a figure stated twice differently is found across partitions read in any order', async () => {
    // the 2023 release restating a 2020 figure otherwise: one more restated or revised finding, whichever partition it is in
    const marac = observations.find((o) => o.measure_id === 'marac-cases' && o.breakdown === '')!;
    const changed = observations.map((o) => (o === marac ? { ...o, figure: { ...o.figure, value: o.figure.value + 1000, raw: `${o.figure.raw}0` } } : o));
    const whole = runChecks(others, { ...buildSubjects(extractions, orderObservations([...changed]), measures()), tables: [] });
    const before = runChecks(others, { ...buildSubjects(extractions, orderObservations([...observations]), measures()), tables: [] });
    expect(whole.findings).not.toEqual(before.findings);
    expect(await across(others, memorySource(changed))).toEqual(whole);
  });

  it('a sentence check that chose its categories by their observations crashes, rather than judging some unread', async () => {
    const byValues = defineCheck({
      id: 'reads-categories-by-value',
      title: 't',
      severity: 'warning',
      describe: 'd',
      subjects: 'sentences',
      params: z.object({}),
      applies: (s) => s.facts !== undefined,
      evaluate: (s) => {
        const period = s.statements[0]?.period;
        if (!period) return [];
        // reads the first category, then picks another by what it holds: the first pass reads one only
        const [first, ...rest] = s.facts!.categories(period);
        if (!first) return [];
        const next = first.observations.length > 0 ? rest[0] : undefined;
        return next && next.observations.length > 0 ? [{ status: 'pass' as const }] : [];
      },
    });
    const result = await across([byValues], memorySource(observations));
    expect(result.summaries[0]!.crashed).toBeGreaterThan(0);
    expect(result.summaries[0]!.crashes[0]).toMatch(/were not read for the sentence checks/);
  });

  it('judges each geography, breakdown and family of measures apart: a derived figure with its inputs, other measures alone', async () => {
    const families = measureFamilies(others, measures());
    // checks/derivations.jsonl: MARAC cases per 10,000 adult women from the cases and the recommended number
    expect(families.get('marac-cases-rate')).toBe(familyOf(families, 'marac-cases'));
    expect(families.get('marac-cases-recommended')).toBe(familyOf(families, 'marac-cases'));
    expect(familyOf(families, 'marac-cases')).toBe('marac-cases');
    expect(familyOf(families, 'idva-fte-high-risk')).not.toBe(familyOf(families, 'marac-cases'));
    expect(familyOf(families, 'marac-meetings')).toBe('marac-meetings');
    // linked through a measure they share, two derivations are one family, keyed by its least id
    const chained = measureFamilies([derivedFigureCheck([
      { measure: 'c', kind: 'ratio', numerator: 'b', denominator: 'x', scale: 1 },
      { measure: 'a', kind: 'ratio', numerator: 'x', denominator: 'y', scale: 1 },
    ])], ['a', 'b', 'c', 'x', 'y', 'z'].map((id) => ({ ...measures()[0]!, measure_id: id })));
    expect([...chained].sort()).toEqual([['a', 'a'], ['b', 'a'], ['c', 'a'], ['x', 'a'], ['y', 'a']]);
    // the derived-figure check judged its groups (not undecided for want of inputs another partition held)
    const whole = runChecks(others, { ...buildSubjects(extractions, orderObservations([...observations]), measures()), tables: [] });
    const derived = (await across(others, memorySource(observations))).summaries.find((c) => c.check === 'derived-figure')!;
    expect(derived).toEqual(whole.summaries.find((c) => c.check === 'derived-figure'));
    expect(derived.passed + derived.failed).toBeGreaterThan(0);
  });

  it('an observation group check that reads a measure it does not name crashes, rather than finding nothing there', async () => {
    const readsOther = (named: boolean) =>
      defineCheck({
        id: 'reads-another-measure',
        title: 't',
        severity: 'warning',
        describe: 'd',
        subjects: 'observations',
        params: z.object({}),
        applies: (g) => g.measure.measure_id === 'marac-meetings',
        ...(named ? { readsMeasures: (id: string) => (id === 'marac-meetings' ? ['marac-cases'] : []) } : {}),
        evaluate: (g) => (g.facts.group('marac-cases', g.period, g.geography, g.breakdown) === undefined ? [] : [{ status: 'pass' as const }]),
      });
    const unnamed = await across([readsOther(false)], memorySource(observations));
    expect(unnamed.summaries[0]!.crashed).toBeGreaterThan(0);
    expect(unnamed.summaries[0]!.crashes[0]).toMatch(/judged with the groups of its geography, breakdown and family of measures only/);
    const named = await across([readsOther(true)], memorySource(observations));
    expect(named.summaries[0]!.crashed).toBe(0);
    expect(named.summaries[0]!.passed).toBeGreaterThan(0);
  });
});
