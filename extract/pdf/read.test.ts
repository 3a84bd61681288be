import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { readPdfItems } from './read.js';

const PDF_PATH = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', 'ho-taser-figures-mar2010.pdf');
const PDF = new Uint8Array(readFileSync(PDF_PATH));

describe('reading a PDF in a child process', () => {
  it('returns positioned items per page', async () => {
    const { pages } = await readPdfItems(PDF, 'taser.pdf');
    expect(pages).toHaveLength(6);
    expect(pages[2]!.items.some((i) => i.str === 'Totals' && i.horizontal)).toBe(true);
    expect(pages[2]!.items.some((i) => i.str === 'Discharges' && !i.horizontal)).toBe(true);
  });

  it('turns a file that is not a PDF into an InputError naming it', async () => {
    const error = await readPdfItems(new TextEncoder().encode('not a pdf at all'), 'broken.pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('broken.pdf');
    expect((error as InputError).code).toBe('input-unreadable');
  });

  it('stops a parse that takes too long and says so', async () => {
    const error = await readPdfItems(PDF, 'slow.pdf', { timeoutMs: 50, maxOutputBytes: 1e7, maxHeapMb: 256 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('took longer than 50 ms');
  });
});

describe('reading a PDF in this process', () => {
  it('leaves the engine its own Array.prototype.push (pdfjs legacy build replaces it with a polyfill)', () => {
    // in a fresh process: whether pdfjs was loaded, and by whom, is the point
    const script = `const engine = Array.prototype.push; const { pdfItems } = await import(${JSON.stringify(join(import.meta.dirname, 'items.mjs'))}); const { pages } = await pdfItems(new Uint8Array((await import('node:fs')).readFileSync(${JSON.stringify(PDF_PATH)}))); process.stdout.write(JSON.stringify({ same: Array.prototype.push === engine, pages: pages.length }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { same: boolean; pages: number };
    expect(out).toEqual({ same: true, pages: 6 });
  });
});
