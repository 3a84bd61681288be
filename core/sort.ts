/** Code-point string comparison: locale-independent, stable across machines. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort a copy by a key (or keys) compared by code point / numerically. */
export function sortBy<T>(items: readonly T[], key: (item: T) => ReadonlyArray<string | number>): T[] {
  // each item's key made once, not at every comparison (a sort compares each item about log2(n) times)
  const keyed = items.map((item) => ({ item, key: key(item) }));
  return keyed.sort((x, y) => compareKeys(x.key, y.key)).map((k) => k.item);
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
