import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck } from './define.js';
import { sharedTexts } from '../core/memory.js';
import { evaluateChecks, finishChecks, runChecks, sharingTexts } from './run.js';
import type { Subjects } from './subjects.js';

const document = { document_id: 'doc-000000000000', file: 'doc.txt', format: 'text', publisher: 'P', title: 'T', release_date: null, release_date_precision: 'day', period_covered: null, sha256: '0'.repeat(64), bytes: 1, metadata_source: 'inferred', edition_of: null, reference_period: null, period_labels: {}, geography: null, release: 'doc' } as const;
const sentence = (line: number) => ({ kind: 'sentence' as const, document, sentence_id: `s${line}`, sentence: 'x', statements: [], locator: { kind: 'line' as const, document: 'doc.txt', line } });

describe('check runner', () => {
  it('records a check that throws as crashed, with the subject, and goes on to the next subject', () => {
    const check = defineCheck({
      id: 'always-throws-on-line-1',
      title: 't',
      severity: 'error',
      describe: 'd',
      subjects: 'sentences',
      params: z.object({}),
      evaluate: (s) => {
        if (s.sentence_id === 's1') throw new Error('boom');
        return [{ status: 'pass' }];
      },
    });
    const subjects: Subjects = { tables: [], observations: [], sentences: [sentence(1), sentence(2)] };
    const { summaries, findings, crashes } = runChecks([check], subjects);
    expect(findings).toEqual([]);
    expect(summaries[0]).toMatchObject({ evaluated: 1, passed: 1, crashed: 1 });
    expect(summaries[0]!.crashes[0]).toBe('doc.txt:L1: boom');
    // and against its document, so the run records it as that document's problem
    expect(crashes).toEqual([{ check: 'always-throws-on-line-1', file: subjects.sentences[0]!.document.file, subject: 'doc.txt:L1', message: 'boom' }]);
  });

  it('gives a finding an id from its check and subject only', () => {
    const make = (message: string) =>
      defineCheck({
        id: 'fails',
        title: 't',
        severity: 'warning',
        describe: 'd',
        subjects: 'sentences',
        params: z.object({}),
        evaluate: (s) => [{ status: 'fail', message, expected: '1', actual: '2', tolerance: 'exact', evidence: [{ document: 'doc', locator: s.locator, excerpt: 'x', value: '2' }], subject: { sentence: s.sentence_id } }],
      });
    const subjects: Subjects = { tables: [], observations: [], sentences: [sentence(7)] };
    const a = runChecks([make('one wording')], subjects).findings[0]!;
    const b = runChecks([make('another wording')], subjects).findings[0]!;
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^fails:[0-9a-f]{12}$/);
  });

  it('gives a part with its texts held once that is the same part, merged and finished the same', () => {
    const check = defineCheck({
      id: 'fails-with-evidence',
      title: 't',
      severity: 'error',
      describe: 'd',
      subjects: 'sentences',
      params: z.object({}),
      evaluate: (s) => [{ status: 'fail', message: `line ${s.locator.kind === 'line' ? s.locator.line : 0} is off`, expected: '1', actual: '2', tolerance: 'exact', evidence: [{ document: 'doc', locator: s.locator, excerpt: 'the same sentence', value: '2' }, { document: 'doc', locator: s.locator, excerpt: 'the same sentence', value: null }], subject: { sentence: s.sentence_id } }],
    });
    const part = evaluateChecks([check], { tables: [], observations: [], sentences: [sentence(3), sentence(4)] });
    const id = part.findings[0]!.id;
    part.places.push([id, { document: 'doc-000000000000', file: 'doc.txt', release: 'doc', table_id: 't1', title: 'Table 1', position: [0, 1], cells: [{ row: 'a', column: '2020', value: 2 }] }]);
    const shared = sharingTexts(part, sharedTexts());
    expect(shared).toEqual(part);
    expect(finishChecks([check], [shared])).toEqual(finishChecks([check], [part]));
  });
});
