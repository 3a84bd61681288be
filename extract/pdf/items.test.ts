import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without declarations (see its header)
import { CopyingPort } from './items.mjs';

interface Port {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: (event: { data: unknown }) => void, options?: { signal?: AbortSignal } | null): void;
  removeEventListener(type: string, listener: (event: { data: unknown }) => void): void;
  terminate(): void;
}

/** Post `message` on a new port and resolve with what its listener receives. */
function delivered(message: unknown, transfer?: Transferable[]): Promise<unknown> {
  const port = new CopyingPort() as Port;
  return new Promise((resolve) => {
    port.addEventListener('message', (event) => resolve(event.data));
    port.postMessage(message, transfer);
  });
}

describe('the port pdfjs reads through (CopyingPort)', () => {
  it('delivers a copy of plain data: the sender may change what it sent', async () => {
    const items = [{ str: 'Total', transform: [1, 0, 0, 1, 72.5, 700], hasEOL: false, missing: undefined }];
    const message = { sourceName: 'worker', data: { items, styles: Object.create(null) as object } };
    const receiving = delivered(message);
    items.length = 0; // pdfjs empties its chunk once sent
    expect(await receiving).toEqual({ sourceName: 'worker', data: { items: [{ str: 'Total', transform: [1, 0, 0, 1, 72.5, 700], hasEOL: false, missing: undefined }], styles: {} } });
  });

  it('copies what is not plain data as structuredClone does: typed arrays, errors, maps, cycles', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const cyclic: { name: string; self?: unknown } = { name: 'cycle' };
    cyclic.self = cyclic;
    const got = (await delivered({ bytes, error: new Error('bad xref'), map: new Map([['a', 1]]), cyclic })) as Record<string, unknown>;
    bytes[0] = 9;
    expect(got['bytes']).toEqual(new Uint8Array([1, 2, 3]));
    expect(got['error']).toBeInstanceOf(Error);
    expect((got['error'] as Error).message).toBe('bad xref');
    expect(got['map']).toEqual(new Map([['a', 1]]));
    const copy = got['cyclic'] as { name: string; self: unknown };
    expect(copy).not.toBe(cyclic);
    expect(copy.self).toBe(copy);
  });

  it('transfers the buffers a message transfers', async () => {
    const data = new Uint8Array([37, 80, 68, 70]);
    const got = (await delivered({ data }, [data.buffer])) as { data: Uint8Array };
    expect(got.data).toEqual(new Uint8Array([37, 80, 68, 70]));
    expect(data.byteLength).toBe(0); // detached, as with a real port
  });

  it('stops delivering to a listener once its signal aborts, and to none once terminated', async () => {
    const port = new CopyingPort() as Port;
    const got: unknown[] = [];
    const stop = new AbortController();
    port.addEventListener('message', (e) => got.push(['aborted', e.data]), { signal: stop.signal });
    port.addEventListener('message', (e) => got.push(['kept', e.data]));
    stop.abort();
    port.postMessage(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    port.terminate();
    port.postMessage(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(got).toEqual([['kept', 1]]);
  });
});
