import { z } from 'zod';
import { defineCheck, type Outcome, groupKey, groupLabel } from '../define.js';
import { countStated, distinctValues, observationEvidence, pairOdds } from './restated-figure.js';

/**
 * Publishers that state the same figure agree: the ONS article's MARAC cases or IDVA numbers and
 * the SafeLives report it cites, for the same period and geography. A difference is a warning with
 * every place each value is stated: one of the sources may be revised, or may measure another thing.
 */
export const check = defineCheck({
  id: 'cross-source-figure',
  title: 'Publishers agree on a figure they both state',
  severity: 'warning',
  describe: 'Documents from different publishers that state one measure for the same period and geography give the same value, within rounding.',
  subjects: 'observations',
  params: z.object({}),
  evaluate: (group) => {
    const publisherOf = (documentId: string) => group.documents.get(documentId)?.publisher ?? documentId;
    const byPublisher = new Map<string, typeof group.observations>();
    for (const o of group.observations) {
      const list = byPublisher.get(publisherOf(o.document_id));
      if (list) list.push(o);
      else byPublisher.set(publisherOf(o.document_id), [o]);
    }
    const publishers = [...byPublisher.keys()].sort();
    if (publishers.length < 2) return [];
    // each publisher's own figure: the value it states most often
    const stated = publishers.map((p) => {
      const own = byPublisher.get(p)!;
      const figures = own.map((o) => o.figure);
      return { publisher: p, figure: countStated(distinctValues(figures), figures)[0]!.figure, observations: own };
    });
    if (distinctValues(stated.map((s) => s.figure)).length === 1) return [{ status: 'pass' }];
    const outcome: Outcome = {
      status: 'fail',
      message: `${groupLabel(group)}: ${stated.map((s) => `${s.publisher} gives ${s.figure.raw}`).join('; ')}`,
      expected: `${stated[0]!.figure.raw} (${stated[0]!.publisher})`,
      actual: stated.slice(1).map((s) => `${s.figure.raw} (${s.publisher})`).join('; '),
      tolerance: pairOdds(stated[0]!.figure, stated.slice(1).map((s) => s.figure).filter((f) => f.value !== stated[0]!.figure.value)),
      evidence: group.observations.map((o) => observationEvidence(o, 'stated')),
      subject: { ...groupKey(group), publishers },
    };
    return [outcome];
  },
});
