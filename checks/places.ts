/**
 * How many places a finding names for a figure that the whole corpus states. A check that compares
 * one statement with every other statement of a figure (a change on the earlier value, a share
 * against its table) would otherwise name every place the figure is stated: in a corpus that
 * repeats a figure in every release, its evidence, the report's card and the finding_evidence rows
 * grow with the corpus for each finding, so with the square of the corpus in all. A steward needs
 * each different value and where to find it, and how often it is stated: the first few places of
 * each value (in the order the check gives them), the count of the rest in the message.
 */

/** Places named for one value: more are counted, not listed. */
export const PLACES_PER_VALUE = 3;
/** Different values named: more are counted, not listed. */
export const VALUES_NAMED = 10;

/** One value and the places that state it: the first PLACES_PER_VALUE of them, and how many there are. */
export interface ValuePlaces<T> {
  key: string;
  shown: T[];
  count: number;
}

/**
 * The places of `items` by value (`keyOf`), values in the order they first appear, each with at
 * most PLACES_PER_VALUE places in their order. Linear in the number of items.
 */
export function placesByValue<T>(items: readonly T[], keyOf: (item: T) => string): ValuePlaces<T>[] {
  const byKey = new Map<string, ValuePlaces<T>>();
  for (const item of items) {
    const key = keyOf(item);
    let places = byKey.get(key);
    if (!places) {
      places = { key, shown: [], count: 0 };
      byKey.set(key, places);
    }
    if (places.shown.length < PLACES_PER_VALUE) places.shown.push(item);
    places.count++;
  }
  return [...byKey.values()];
}

/** " (stated in 57 places, 3 named)" for a value whose places are not all named; '' when they are. */
export function uncountedPlaces(places: ValuePlaces<unknown>): string {
  return places.count > places.shown.length ? ` (stated in ${places.count} places, ${places.shown.length} named)` : '';
}

/** ", and 4 other values" when `values` were cut to `named`; '' when none were. */
export function otherValues(values: number, named: number): string {
  const rest = values - named;
  return rest > 0 ? `, and ${rest} other value${rest === 1 ? '' : 's'}` : '';
}
