/** Add `value` to the list `map` keeps under `key`, starting the list if there is none. */
export function pushToKey<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Append `items` to `out` one by one: out.push(...items) passes every item as an argument, which
 * overflows the call stack for a long list (a finding with the evidence of a whole table).
 */
export function pushAll<T>(out: { push(item: T): unknown }, items: readonly T[]): void {
  for (const item of items) out.push(item);
}
