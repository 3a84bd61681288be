import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/index.js';
import { DEFAULT_CONFIG, loadConfig } from './config.js';

describe('davs.config.json', () => {
  it('falls back to documented defaults when there is no file', () => {
    expect(loadConfig('/nonexistent/davs.config.json', false)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.limits.workbook.maxInflatedBytes).toBe(512 * 1024 * 1024);
  });

  it('fills what a file leaves out and keeps what it sets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-config-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify({ limits: { workbook: { maxCells: 1000 } } }));
    const config = loadConfig(join(dir, 'c.json'), true);
    expect(config.limits.workbook.maxCells).toBe(1000);
    expect(config.limits.workbook.maxRows).toBe(DEFAULT_CONFIG.limits.workbook.maxRows);
  });

  it('names the file and the key when it is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-config-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify({ limits: { workbook: { maxCels: 1000 } } }));
    expect(() => loadConfig(join(dir, 'c.json'), true)).toThrow(UsageError);
    expect(() => loadConfig(join(dir, 'c.json'), true)).toThrow(/c\.json[\s\S]*maxCels/);
    expect(() => loadConfig(join(dir, 'missing.json'), true)).toThrow(/does not exist/);
  });
});
