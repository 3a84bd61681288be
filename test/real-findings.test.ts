import { beforeAll, describe, expect, it } from 'vitest';
import { describeFinding, readVerdicts, runRealSet, tally, type RealRun, type Tally, type Verdict } from './real-set.js';

/**
 * Precision on real publications: every error and warning the checks give on the files of
 * test/fixtures/real/ (other producers' workbooks and PDFs) has been judged by hand, against the
 * cells it cites, in test/reference/real-findings.json: "real" (the publication is inconsistent) or
 * "false" (davs misread or misjudged it). A finding with no verdict fails this test: judge it (open
 * the cells it names) and add it, keyed by finding id, with a one-line reason.
 *
 * The issue's targets are zero false errors and at most one false warning per file. They are
 * asserted for every file where they hold today; the files listed below do not meet them yet (work
 * for the checks, see their verdicts). Take a file off its list once it does; never add one to pass.
 */
const OVER_FALSE_ERROR_TARGET = new Set<string>([]);
const OVER_FALSE_WARNING_TARGET = new Set<string>([]);

let run: RealRun;
let verdicts: Verdict[];
let tallies: Tally[];
beforeAll(async () => {
  run = await runRealSet();
  verdicts = readVerdicts();
  tallies = tally(run, verdicts);
  const rows = tallies.map((t) => `${t.file.padEnd(66)} ${String(t.realErrors).padStart(4)} ${String(t.falseErrors).padStart(5)} ${String(t.realWarnings).padStart(6)} ${String(t.falseWarnings).padStart(6)} ${String(t.unjudged).padStart(8)}`);
  const failed = run.failures.map((f) => `  ${f.file}: ${f.message.slice(0, 160)}`);
  console.log(
    [`real-publication findings (${run.files.length} files), by verdict`, `${'file'.padEnd(66)} real-E false-E real-W false-W unjudged`, ...rows, ...(failed.length > 0 ? ['not checked (the file failed):', ...failed] : [])].join('\n'),
  );
}, 300_000);

describe('checks on real publications (test/fixtures/real)', () => {
  it('reads at least 12 real files', () => {
    expect(run.files.length).toBeGreaterThanOrEqual(12);
  });

  it('gives no error or warning that has not been judged by hand', () => {
    const judged = new Set(verdicts.map((v) => `${v.file}\u0000${v.finding_id}`));
    const unjudged = run.findings.filter((f) => !judged.has(`${f.file}\u0000${f.finding.id}`)).map(describeFinding);
    expect(unjudged, `unjudged findings: judge each in test/reference/real-findings.json\n${unjudged.join('\n')}`).toEqual([]);
  });

  it('keeps the verdicts file sorted, one verdict per finding, with the severity and check it was judged at', () => {
    const keys = verdicts.map((v) => `${v.file}\u0000${v.finding_id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    const current = new Map(run.findings.map((f) => [`${f.file}\u0000${f.finding.id}`, f.finding]));
    const changed = verdicts.filter((v) => {
      const f = current.get(`${v.file}\u0000${v.finding_id}`);
      return f !== undefined && (f.severity !== v.severity || f.check !== v.check);
    });
    expect(changed.map((v) => `${v.file} ${v.finding_id}`), 'findings whose severity or check changed since they were judged: judge them again').toEqual([]);
  });

  it('gives no false error on a file that meets the target today', () => {
    const over = tallies.filter((t) => t.falseErrors > 0 && !OVER_FALSE_ERROR_TARGET.has(t.file));
    expect(over.map((t) => `${t.file}: ${t.falseErrors} false errors`)).toEqual([]);
  });

  it('gives at most one false warning per file, on files that meet the target today', () => {
    const over = tallies.filter((t) => t.falseWarnings > 1 && !OVER_FALSE_WARNING_TARGET.has(t.file));
    expect(over.map((t) => `${t.file}: ${t.falseWarnings} false warnings`)).toEqual([]);
  });
});
