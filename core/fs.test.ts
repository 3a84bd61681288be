import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLinesToFile } from './fs.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'davs-fs-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writing a file a batch of lines at a time', () => {
  const lines = Array.from({ length: 4321 }, (_, i) => (i % 7 === 0 ? `line ${i}\nwith a newline inside and ünïcödé ›` : i % 11 === 0 ? '' : `line ${i}`));
  const whole = `${lines.join('\n')}\n`;

  it('gives the bytes of the lines joined by newlines with one at the end, pushed all at once or a few at a time', async () => {
    await writeLinesToFile(join(dir, 'list.txt'), (out) => out.push(...lines));
    expect(await readFile(join(dir, 'list.txt'), 'utf8')).toBe(whole);
    await writeLinesToFile(join(dir, 'pushed.txt'), (out) => {
      for (let i = 0; i < lines.length; i += 3) out.push(...lines.slice(i, i + 3));
    });
    expect(await readFile(join(dir, 'pushed.txt'), 'utf8')).toBe(whole);
    // long lines: batches end by size (a megabyte of characters) long before 2,000 lines
    const long = lines.map((l, i) => (i % 5 === 0 ? `${l} ${'x€'.repeat(40_000 + i)}` : l));
    await writeLinesToFile(join(dir, 'long.txt'), (out) => {
      for (const line of long) out.push(line);
    });
    expect(await readFile(join(dir, 'long.txt'), 'utf8')).toBe(`${long.join('\n')}\n`);
    await writeLinesToFile(join(dir, 'empty.txt'), () => undefined);
    expect(await readFile(join(dir, 'empty.txt'), 'utf8')).toBe('');
  });

  it('leaves neither the file nor a temporary one when making the lines fails part way', async () => {
    await expect(
      writeLinesToFile(join(dir, 'failed.txt'), (out) => {
        for (let i = 0; i < 5000; i++) out.push(`line ${i}`);
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    expect(existsSync(join(dir, 'failed.txt'))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes('failed'))).toEqual([]);
  });
});
