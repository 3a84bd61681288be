import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../extract/manifest.js';
import { DEFAULT_SOURCE_DIR, changeTextNumbers, writeScaleCorpus } from './scale-corpus.js';

const N = 11; // one full cycle of the 9 bundled files and two more
const bundled = parseManifest(readFileSync(join(DEFAULT_SOURCE_DIR, 'manifest.json'), 'utf8'), 'raw/manifest.json');

async function generate(): Promise<{ dir: string; files: Map<string, Buffer> }> {
  const dir = await mkdtemp(join(tmpdir(), 'davs-scale-test-'));
  await writeScaleCorpus(N, dir);
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name)));
  return { dir, files };
}

/** Numbers of a text, in order (digits only), to compare a copy with its original. */
const numbers = (text: string) => [...text.matchAll(/\d+/g)].map((m) => m[0]);

describe('scale corpus', () => {
  it('is reproducible, changes a few numbers per copy, and lists every file with its sha256', { timeout: 120_000 }, async () => {
    const a = await generate();
    const b = await generate();
    try {
      // byte-identical across generations
      expect([...a.files.keys()]).toEqual([...b.files.keys()]);
      for (const [name, bytes] of a.files) expect(bytes.equals(b.files.get(name)!), name).toBe(true);

      // the manifest validates and lists every file with the right sha256; every bundled file is cycled
      const manifest = parseManifest(a.files.get('manifest.json')!.toString('utf8'), 'manifest.json');
      expect(manifest.documents).toHaveLength(N);
      expect(new Set(manifest.documents.map((d) => d.file))).toEqual(new Set([...a.files.keys()].filter((f) => f !== 'manifest.json')));
      for (const d of manifest.documents) expect(d.sha256, d.file).toBe(createHash('sha256').update(a.files.get(d.file)!).digest('hex'));
      for (const e of bundled.documents) expect(manifest.documents.some((d) => d.file === e.file.replace(/\.(\w+)$/, '-c0000.$1')), e.file).toBe(true);
      // PDFs point at their own copy's text; release names carry the copy index
      for (const d of manifest.documents.filter((x) => x.edition_of !== undefined)) {
        expect(d.edition_of).toBe(d.file.replace(/\.pdf$/, '.txt'));
        expect(a.files.has(d.edition_of!)).toBe(true);
      }
      for (const d of manifest.documents.filter((x) => x.release !== undefined)) expect(d.release).toMatch(/-c\d{4}$/);

      // every copy differs from its original; text copies in a few numbers (at most 3), nothing else
      for (const d of manifest.documents) {
        const source = d.file.replace(/-c\d{4}(\.\w+)$/, '$1');
        const original = readFileSync(join(DEFAULT_SOURCE_DIR, source));
        const copy = a.files.get(d.file)!;
        expect(copy.equals(original), d.file).toBe(false);
        if (d.format !== 'text') continue;
        const before = numbers(original.toString('utf8'));
        const after = numbers(copy.toString('utf8'));
        expect(after).toHaveLength(before.length);
        const differing = before.filter((x, i) => x !== after[i]).length;
        expect(differing, d.file).toBeGreaterThan(0);
        expect(differing, d.file).toBeLessThanOrEqual(3);
        expect(copy.toString('utf8').replace(/\d/g, '0')).toBe(original.toString('utf8').replace(/\d/g, '0'));
      }
    } finally {
      await rm(a.dir, { recursive: true, force: true });
      await rm(b.dir, { recursive: true, force: true });
    }
  });

  it('changes the last digit of three body numbers, never a year', () => {
    const text = '# Title\n\nRelease date: 1 April 2021\n\n## Main points\n\nIn 2020 there were 1,234 referrals, 56.7% of 890 cases and 42 services.\n';
    const { text: out, changed } = changeTextNumbers(text, 1);
    expect(changed).toHaveLength(3);
    expect(out).toContain('In 2020');
    expect(out).toContain('1 April 2021');
    for (const c of changed) expect(c.to.slice(0, -1)).toBe(c.from.slice(0, -1));
    expect(changeTextNumbers(text, 1).text).toBe(out);
  });
});
