import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport, writeReportInThread, type ReportJob } from './report-stage.js';

function job(dir: string): ReportJob {
  return { dir, input: { title: 'a report', corpus: [], problems: [], findings: [], summaries: [] }, entries: [] };
}

describe('the report stage', () => {
  it('writes the same files on a thread of its own as on this one', async () => {
    const here = await mkdtemp(join(tmpdir(), 'davs-report-'));
    const there = await mkdtemp(join(tmpdir(), 'davs-report-'));
    await writeReport(job(here));
    await writeReportInThread(job(there));
    for (const file of ['findings.json', 'checks.json', 'report.md', 'report.html']) {
      expect(await readFile(join(there, file), 'utf8'), file).toBe(await readFile(join(here, file), 'utf8'));
    }
  });

  it("rejects with the thread's error when the report cannot be written", async () => {
    const parent = await mkdtemp(join(tmpdir(), 'davs-report-'));
    const notADirectory = join(parent, 'file');
    await writeFile(notADirectory, '');
    await expect(writeReportInThread(job(join(notADirectory, 'staging')))).rejects.toThrow(/ENOTDIR|not a directory/);
  });
});
