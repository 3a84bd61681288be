import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport, type ReportJob } from './report-stage.js';

function job(dir: string): ReportJob {
  return { dir, input: { title: 'a report', corpus: [], problems: [], findings: [], summaries: [] }, entries: [] };
}

describe('the report stage', () => {
  it('writes findings.json, checks.json, report.md and report.html, and leaves no evidence shelf', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-report-'));
    await writeReport(job(dir));
    expect(JSON.parse(await readFile(join(dir, 'findings.json'), 'utf8'))).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'checks.json'), 'utf8'))).toEqual([]);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('a report');
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('a report');
    await expect(readFile(join(dir, 'report-evidence.shelf'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects when the report cannot be written', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'davs-report-'));
    const notADirectory = join(parent, 'file');
    await writeFile(notADirectory, '');
    await expect(writeReport(job(join(notADirectory, 'staging')))).rejects.toThrow(/ENOTDIR|not a directory/);
  });
});
