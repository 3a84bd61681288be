import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { readPdfItems } from './read.js';

const PDF = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'real', 'ho-taser-figures-mar2010.pdf')));

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
