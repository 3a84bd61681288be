/** Code-point string comparison: locale-independent, stable across machines. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort a copy by a key (or keys) compared by code point / numerically. */
export function sortBy<T>(items: readonly T[], key: (item: T) => ReadonlyArray<string | number>): T[] {
  return [...items].sort((x, y) => compareKeys(key(x), key(y)));
}

export function compareKeys(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareCodePoints(String(x), String(y));
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
