import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument, readCorpus } from '../extract/index.js';
import { measures, transform } from '../transform/index.js';
import type { CheckResults, Finding } from './contracts.js';
import { CHECKS } from './index.js';
import { aliasMap, canonicalId, mergeFindings, normaliseLabel, sameTable, type FindingPlace } from './merge.js';
import { runChecks } from './run.js';
import { buildSubjects } from './subjects.js';

/** Every check over a folder of checks/fixtures/merge/, through the real extractor, with and without merging. */
async function runMergeFixture(kase: 'editions' | 'columns' | 'releases'): Promise<CheckResults> {
  const { documents } = await readCorpus(join(import.meta.dirname, 'fixtures', 'merge', kase));
  const extractions = await Promise.all(documents.map((d) => extractDocument(d.record, d.bytes)));
  return runChecks(CHECKS, buildSubjects(extractions, transform(extractions), measures()));
}

const files = (f: Finding) => [...new Set(f.evidence.map((e) => e.locator.document))];

describe('merging findings that are one discrepancy', () => {
  it('merges the same table printed in an article and its appendix (one release) into one finding with both places', async () => {
    const r = await runMergeFixture('editions');
    const failing = r.summaries.find((s) => s.check === 'percent-sum-100')!;
    expect(failing.failed).toBe(2); // one column, in each document
    const findings = r.findings.filter((f) => f.check === 'percent-sum-100');
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(files(f!)).toEqual(['appendix.txt', 'article.txt']);
    expect(f!.merged_ids).toHaveLength(2);
    expect(f!.merged_ids![0]).toBe(f!.id);
    expect(f!.message).toMatch(/^Table 3b: Referrals of women to refuge services, Wales.*column "April 2017 to March 2018".*; also in article\.txt Table 3 \(the same figures\)$/);
    expect(f!.expected).toBe('100%');
    expect(f!.actual).toBe('98%');
    // evidence of both documents, each cell once
    expect(f!.evidence).toHaveLength(6);
    expect(new Set(f!.evidence.map((e) => e.source_id)).size).toBe(6);
  });

  it('merges several columns of one table failing the same check into one finding listing each column', async () => {
    const r = await runMergeFixture('columns');
    expect(r.summaries.find((s) => s.check === 'percent-sum-100')!.failed).toBe(3);
    const [f, ...rest] = r.findings.filter((f) => f.check === 'percent-sum-100');
    expect(rest).toEqual([]);
    expect(f!.merged_ids).toHaveLength(3);
    expect(f!.message).toMatch(/^Table 2: Outcome of referrals, 2019 to 2021, in 3 columns: column "2019 › %": 95%, expected 100%; column "2020 › %": 95%, expected 100%; column "2021 › %": 96%, expected 100%\. The first, column "2019 › %": /);
    expect(f!.actual).toBe('95% (column "2019 › %"); 95% (column "2020 › %"); 96% (column "2021 › %")');
    expect(f!.expected).toBe('100%');
    expect(f!.evidence).toHaveLength(9);
  });

  it('does not merge the same table across releases', async () => {
    const r = await runMergeFixture('releases');
    const findings = r.findings.filter((f) => f.check === 'percent-sum-100');
    expect(findings).toHaveLength(2);
    expect(findings.map(files)).toEqual([['article-2020.txt'], ['article-2021.txt']]);
  });

  it('keeps ids stable: the merged id is one of the old ids, merged_ids lists them all, and every old id resolves to it', async () => {
    const { documents } = await readCorpus(join(import.meta.dirname, 'fixtures', 'merge', 'columns'));
    const extractions = await Promise.all(documents.map((d) => extractDocument(d.record, d.bytes)));
    const subjects = buildSubjects(extractions, transform(extractions), measures());
    const merged = runChecks(CHECKS, subjects).findings.find((f) => f.check === 'percent-sum-100')!;
    // the findings as they were before merging: one per column, with their own ids
    const unmerged = runChecks(CHECKS, subjects, { merge: false }).findings.filter((f) => f.check === 'percent-sum-100');
    expect(unmerged).toHaveLength(3);
    expect(unmerged.every((f) => f.merged_ids !== undefined && f.merged_ids.length === 1 && f.merged_ids[0] === f.id)).toBe(true);
    expect([...merged.merged_ids!].sort()).toEqual(unmerged.map((f) => f.id).sort());
    expect(unmerged.map((f) => f.id)).toContain(merged.id);
    for (const old of unmerged) expect(canonicalId([merged], old.id)).toBe(merged.id);
    expect(canonicalId([merged], 'percent-sum-100:000000000000')).toBeUndefined();
    expect(aliasMap([merged]).size).toBe(3);
    // the same id on a second run
    expect(runChecks(CHECKS, subjects).findings.find((f) => f.check === 'percent-sum-100')!.id).toBe(merged.id);
  });
});

describe('mergeFindings', () => {
  const evidence = (file: string, line: number, id: string): Finding['evidence'][number] => ({
    document: file.replace('.', '-'),
    locator: { kind: 'line', document: file, line },
    where: `${file}:L${line}`,
    excerpt: id,
    value: '1',
    source_kind: 'cell',
    source_id: id,
    role: 'part',
  });
  const finding = (check: string, hex: string, file: string, line: number, actual = '98%'): Finding => ({
    id: `${check}:${hex.padStart(12, '0')}`,
    check,
    severity: 'warning',
    message: `Table 3: x, column "2020": ${actual}`,
    expected: '100%',
    actual,
    tolerance: '± 1.5',
    evidence: [evidence(file, line, `${file}:${hex}`)],
  });
  const place = (file: string, table: string, title = 'Table 3: x', release = 'r'): FindingPlace => ({
    document: file.replace('.', '-'),
    file,
    release,
    table_id: table,
    title,
    cells: [
      { row: 'accepted', column: '2020', value: 56 },
      { row: 'declined', column: '2020', value: 42 },
    ],
    position: [0, 0],
  });

  it('does not merge findings of different checks on the same cells', () => {
    const a = finding('percent-sum-100', 'a', 'a.txt', 1);
    const b = finding('total-equals-sum', 'b', 'b.txt', 1);
    const out = mergeFindings([a, b], new Map([[a.id, place('a.txt', 't1')], [b.id, place('b.txt', 't1')]]));
    expect(out.map((f) => f.merged_ids)).toEqual([[a.id], [b.id]]);
  });

  it('does not merge across releases, different figures, or different table numbers', () => {
    const a = finding('percent-sum-100', 'a', 'a.txt', 1);
    const b = finding('percent-sum-100', 'b', 'b.txt', 1);
    const c = finding('percent-sum-100', 'c', 'c.txt', 1, '97%');
    const d = finding('percent-sum-100', 'd', 'd.txt', 1);
    const places = new Map([
      [a.id, place('a.txt', 't1')],
      [b.id, place('b.txt', 't1', 'Table 3: x', 'another release')],
      [c.id, place('c.txt', 't1')],
      [d.id, place('d.txt', 't1', 'Table 5: x')],
    ]);
    expect(mergeFindings([a, b, c, d], places)).toHaveLength(4);
  });

  it('never puts two tables of one document into one finding, even through a third document', () => {
    // a.txt prints the same figures in Table 3a and Table 3b; b.txt's Table 3 matches both
    const a1 = finding('percent-sum-100', 'a1', 'a.txt', 1);
    const a2 = finding('percent-sum-100', 'a2', 'a.txt', 9);
    const b = finding('percent-sum-100', 'b', 'b.txt', 1);
    const places = new Map([
      [a1.id, place('a.txt', 't1', 'Table 3a: x')],
      [a2.id, place('a.txt', 't2', 'Table 3b: x')],
      [b.id, place('b.txt', 't1')],
    ]);
    const out = mergeFindings([a1, a2, b], places);
    expect(out).toHaveLength(2);
    expect(out.map((f) => f.merged_ids)).toEqual([[a1.id, b.id], [a2.id]]);
  });

  it('leaves findings with no place (prose, observations) alone, and takes the highest severity of a merge', () => {
    const a = finding('percent-sum-100', 'a', 'a.txt', 2);
    const b = { ...finding('percent-sum-100', 'b', 'a.txt', 1), severity: 'error' as const };
    const loose = finding('percent-sum-100', 'c', 'a.txt', 3);
    const out = mergeFindings([a, b, loose], new Map([[a.id, { ...place('a.txt', 't1'), cells: [{ row: 'x', column: '2021', value: 1 }] }], [b.id, place('a.txt', 't1')]]));
    expect(out).toHaveLength(2);
    const merged = out.find((f) => f.merged_ids!.length === 2)!;
    expect(merged.id).toBe(b.id); // its first cell comes first
    expect(merged.severity).toBe('error');
    expect(out.find((f) => f.id === loose.id)!.merged_ids).toEqual([loose.id]);
  });

  it('normalises labels and matches table numbers', () => {
    expect(normaliseLabel(['Wales', '% Accepted'])).toBe('accepted');
    expect(normaliseLabel(['Accepted', '(%)'])).toBe('accepted');
    expect(normaliseLabel(['Support not accepted by client (%) [note 3]'])).toBe('support not accepted by client');
    expect(sameTable('Table 3b: Referrals, Wales', 'Table 3: Referrals of women in England and Wales 1')).toBe(true);
    expect(sameTable('Table 3: Referrals', 'Table 4: Referrals')).toBe(false);
    expect(sameTable('Referrals of women to refuge services', 'Women referred to refuge services, Wales')).toBe(true);
    expect(sameTable('Referrals of women to refuge services', 'Calls to the helpline')).toBe(false);
  });
});
