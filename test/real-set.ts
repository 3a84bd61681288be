/**
 * The real-publication set (test/fixtures/real/): other producers' workbooks and PDFs run through
 * extract → transform → checks, one file at a time, as pipelines/run.ts runs a document; and the
 * verdicts given by hand on their error and warning findings (test/reference/real-findings.json).
 * Shared by test/real-findings.test.ts and `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CHECKS, buildSubjects, runChecks, type Finding } from '../checks/index.js';
import { extractDocument, readCorpus } from '../extract/index.js';
import { measures, transform } from '../transform/index.js';

export const REAL_DIR = join(import.meta.dirname, 'fixtures', 'real');
export const VERDICTS_PATH = join(import.meta.dirname, 'reference', 'real-findings.json');

export const Verdict = z
  .object({
    file: z.string(),
    finding_id: z.string().regex(/^[a-z0-9-]+:[0-9a-f]{12}$/),
    check: z.string(),
    severity: z.enum(['error', 'warning']),
    verdict: z.enum(['real', 'false']),
    reason: z.string().min(1),
  })
  .strict();
export type Verdict = z.infer<typeof Verdict>;

export function readVerdicts(path = VERDICTS_PATH): Verdict[] {
  return z.array(Verdict).parse(JSON.parse(readFileSync(path, 'utf8')));
}

export interface RealFinding {
  file: string;
  finding: Finding;
}

export interface RealRun {
  files: string[];
  /** error- and warning-level findings, sorted by file then id */
  findings: RealFinding[];
  /** files whose extraction, transform or checks threw, or where a check crashed */
  failures: Array<{ file: string; message: string }>;
}

/** Each real file on its own (no cross-file checks between unrelated publishers). */
export async function runRealSet(dir = REAL_DIR): Promise<RealRun> {
  // SOURCES.md says where each file came from: not a release
  const documents = (await readCorpus(dir)).documents.filter((d) => !d.record.file.endsWith('.md'));
  const failures: RealRun['failures'] = [];
  const findings: RealFinding[] = [];
  const queue = [...documents];
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const file = d.record.file;
      try {
        const x = await extractDocument(d.record, d.bytes);
        const results = runChecks(CHECKS, buildSubjects([x], transform([x]), measures()));
        for (const c of results.crashes) failures.push({ file, message: `check ${c.check} crashed on ${c.subject}: ${c.message}` });
        for (const f of results.findings) if (f.severity === 'error' || f.severity === 'warning') findings.push({ file, finding: f });
      } catch (err) {
        failures.push({ file, message: String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), documents.length) }, worker));
  findings.sort((a, b) => (a.file === b.file ? cmp(a.finding.id, b.finding.id) : cmp(a.file, b.file)));
  return { files: documents.map((d) => d.record.file), findings, failures };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface Tally {
  file: string;
  realErrors: number;
  falseErrors: number;
  realWarnings: number;
  falseWarnings: number;
  unjudged: number;
}

/** Per file: the findings of a run counted by their verdicts (a finding with no verdict is unjudged). */
export function tally(run: RealRun, verdicts: Verdict[]): Tally[] {
  const byKey = new Map(verdicts.map((v) => [`${v.file}\u0000${v.finding_id}`, v]));
  return run.files.map((file) => {
    const t: Tally = { file, realErrors: 0, falseErrors: 0, realWarnings: 0, falseWarnings: 0, unjudged: 0 };
    for (const { finding } of run.findings.filter((f) => f.file === file)) {
      const v = byKey.get(`${file}\u0000${finding.id}`);
      if (!v) t.unjudged++;
      else if (finding.severity === 'error') v.verdict === 'real' ? t.realErrors++ : t.falseErrors++;
      else v.verdict === 'real' ? t.realWarnings++ : t.falseWarnings++;
    }
    return t;
  });
}

export function describeFinding({ file, finding: f }: RealFinding): string {
  const where = f.evidence.map((e) => `${e.where}${e.value === null ? '' : ` = ${e.value}`}`).join('; ');
  return `${file} ${f.id} [${f.severity}] ${f.message} (at ${where})`;
}
