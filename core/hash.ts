import * as crypto from 'node:crypto';

/** Node's one-shot hash (20.12 and later): several times faster than a Hash object for the short strings ids are made of. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** The sha256 of `data` (a string as its UTF-8 bytes), in hex. */
export function sha256(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted by code point at every level: the input to every content hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** `value` as JSON.parse(canonicalJson(value)) gives it: object keys sorted by code point at every level, undefined properties left out. */
export function canonical(value: unknown): unknown {
  return sortKeys(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** First 12 hex digits of the sha256 of the canonical JSON of `value`. */
export function contentId(value: unknown): string {
  return sha256(canonicalJson(value)).slice(0, 12);
}
