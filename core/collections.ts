/** Add `value` to the list `map` keeps under `key`, starting the list if there is none. */
export function pushToKey<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * `items` in lists by `keyOf` of each, each list in the items' order, the keys in order of first
 * appearance. Each item is pushed onto its list (copying a list per item is quadratic in a big table).
 */
export function groupBy<K, V>(items: Iterable<V>, keyOf: (item: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) pushToKey(groups, keyOf(item), item);
  return groups;
}

/**
 * Append `items` to `out` one by one: out.push(...items) passes every item as an argument, which
 * overflows the call stack for a long list (a finding with the evidence of a whole table).
 */
export function pushAll<T>(out: { push(item: T): unknown }, items: readonly T[]): void {
  for (const item of items) out.push(item);
}
