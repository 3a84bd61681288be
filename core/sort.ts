/**
 * Locale-independent string comparison, the same on every machine: JavaScript's `<`, which orders
 * UTF-16 code units. That is code-point order (and DuckDB's, which compares UTF-8 bytes) for every
 * string but one whose first difference puts a character above U+FFFF against one in
 * U+E000-U+FFFF: there the surrogate (U+D800-U+DFFF) is compared, and orders first. The name is
 * older than this note; every sorted output of davs rests on this order, so changing it is a change
 * of what davs writes, for its own commit.
 */
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
