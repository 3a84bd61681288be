import type { AnyCheck } from './define.js';
import { check as changeOnEarlier } from './rules/change-on-earlier.js';
import { check as changeStatement } from './rules/change-statement.js';
import { check as countPercentBase } from './rules/count-percent-base.js';
import { check as countSumBase } from './rules/count-sum-base.js';
import { check as crossSourceFigure } from './rules/cross-source-figure.js';
import { check as derivedFigure } from './rules/derived-figure.js';
import { check as inferredBase } from './rules/inferred-base.js';
import { check as percentSum100 } from './rules/percent-sum-100.js';
import { check as proseShare } from './rules/prose-share.js';
import { check as repeatedRun } from './rules/repeated-run.js';
import { check as restatedFigure } from './rules/restated-figure.js';
import { check as revisedFigure } from './rules/revised-figure.js';
import { check as totalEqualsSum } from './rules/total-equals-sum.js';

export * from './contracts.js';
export { defineCheck, type AnyCheck, type Outcome, type TableSubject, type SentenceSubject, type ObservationGroup } from './define.js';
export { buildSubjects, observationGroups, sentenceSubjects, tableSubjects, type Subjects } from './subjects.js';
export { checkAcrossDocuments, familyOf, measureFamilies, sentencesInMemory, type FigureKey, type MeasureFamilies, type ObservationSource, type SentenceSource } from './across-documents.js';
export { runChecks, evaluateChecks, finishChecks, sharingTexts, type CheckPart } from './run.js';

/** Every check, sorted by id. Each lives in checks/rules/<id>.ts; checks/registry.test.ts keeps this list honest. */
export const CHECKS: readonly AnyCheck[] = [
  changeOnEarlier,
  changeStatement,
  countPercentBase,
  countSumBase,
  crossSourceFigure,
  derivedFigure,
  inferredBase,
  percentSum100,
  proseShare,
  repeatedRun,
  restatedFigure,
  revisedFigure,
  totalEqualsSum,
];
