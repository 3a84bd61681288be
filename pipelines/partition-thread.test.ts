import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CHECKS, judgePartition, type CheckPart } from '../checks/index.js';
import { readCorpus } from '../extract/index.js';
import { observationPartitions, observationRowPartitions } from '../load/index.js';
import { RAW, sink, tempDir } from '../test/helpers.js';
import { measures, orderObservations } from '../transform/index.js';
import { judgePartitions } from './partition-thread.js';
import { runNightly } from './run.js';

async function night(warehouse: string, checksThread: boolean) {
  const result = await runNightly({ rawDir: RAW, warehouseDir: warehouse, failOn: 'never', log: sink().log, checksThread, reportThread: false, clock: () => new Date('2026-01-01T00:00:00Z') });
  return { result, findings: await readFile(join(warehouse, 'current', 'findings.json'), 'utf8'), checks: await readFile(join(warehouse, 'current', 'checks.json'), 'utf8') };
}

async function* partitions(...list: string[][]): AsyncGenerator<string[]> {
  for (const rows of list) yield rows;
}

describe('the checks that compare documents, on two threads', () => {
  it('give the findings and counts that one thread gives', async () => {
    const one = await night(await tempDir('checks-one'), false);
    const two = await night(await tempDir('checks-two'), true);
    expect(two.result.findings.length).toBeGreaterThan(0);
    expect(two.findings).toBe(one.findings);
    expect(two.checks).toBe(one.checks);
    expect(two.result.run.warehouse_sha256).toBe(one.result.run.warehouse_sha256);
  }, 120_000);

  it('judges each partition, here or on the thread, to the part one thread gives, in partition order', async () => {
    const warehouse = await tempDir('checks-parts');
    await night(warehouse, false);
    const records = (await readCorpus(RAW)).documents.map((d) => d.record).filter((r) => r.edition_of === null);
    const files = new Map(records.map((r) => [r.document_id, r.file]));
    const instance = await DuckDBInstance.create(join(warehouse, 'davs.duckdb'), { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      const inline: CheckPart[] = [];
      const judging = { checks: CHECKS.filter((c) => c.subjects === 'observations'), measures: measures(), documents: new Map(records.map((r) => [r.document_id, r])), order: orderObservations };
      for await (const partition of observationPartitions(connection, files)) inline.push(judgePartition(partition, judging));
      expect(inline.length).toBeGreaterThan(3);
      // a few rows in flight at most: some partitions are judged here, some there
      const shared = await judgePartitions(observationRowPartitions(connection), files, records, 200);
      expect(shared).toEqual(inline);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 120_000);

  it("rejects with the thread's error when a partition it was sent cannot be read", async () => {
    await expect(judgePartitions(partitions(['not a row']), new Map(), [])).rejects.toThrow(/JSON/);
  });

  it('rejects when a row names a document the run does not have', async () => {
    const row = JSON.stringify(['obs:1', 'm', 'YE 2020-03', 'England and Wales', 'K04000001', '', '1', 1, 0, 'count', 'doc-x', null, 'cell', 'c1', 'e', 'a.txt:L1']);
    await expect(judgePartitions(partitions([row]), new Map(), [])).rejects.toThrow(/doc-x, which the run does not have/);
  });
});
