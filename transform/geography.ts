/**
 * Geographies the releases report on: the two nations, England and Wales together, and the
 * English regions as ONS and SafeLives name them. Police force areas are not listed yet.
 */
const NAMES: Array<[canonical: string, pattern: string]> = [
  ['England and Wales', 'England (?:and|&) Wales'],
  ['United Kingdom', 'United Kingdom|the UK'],
  ['North East', 'North East'],
  ['North West', 'North West'],
  ['Yorkshire and The Humber', 'Yorkshire (?:and|&) (?:the )?Humber(?:side)?'],
  ['East Midlands', 'East Midlands'],
  ['West Midlands', 'West Midlands'],
  ['East of England', 'East of England|Eastern|the East'],
  ['London', '(?:Greater )?London'],
  ['South East', 'South East'],
  ['South West', 'South West'],
  ['South Wales', 'South Wales'],
  ['North Wales', 'North Wales'],
  ['England', 'England'],
  ['Wales', 'Wales'],
];

const MENTION = new RegExp(`\\b(${NAMES.map(([, p]) => `(?:${p})`).join('|')})\\b`, 'gi');

export interface GeographyMention {
  geography: string;
  offset: number;
  end: number;
}

function canonical(text: string): string {
  for (const [name, pattern] of NAMES) if (new RegExp(`^(?:${pattern})$`, 'i').test(text)) return name;
  return text;
}

/** Geographies named in `text`, longest first where they overlap ("England and Wales" is not also "Wales"). */
export function findGeographies(text: string): GeographyMention[] {
  const out: GeographyMention[] = [];
  MENTION.lastIndex = 0;
  for (let m = MENTION.exec(text); m; m = MENTION.exec(text)) {
    out.push({ geography: canonical(m[1]!), offset: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The geography a whole label names ("North East", "England and Wales ¹¹" after markers are removed), or null. */
export function geographyOfLabel(label: string): string | null {
  const found = findGeographies(label);
  return found.length === 1 && found[0]!.offset === 0 && found[0]!.end === label.trim().length ? found[0]!.geography : null;
}

/**
 * The geography a figure at [start, end) of a sentence refers to: the first named after it in its
 * clause, else the nearest before. `found` is findGeographies(sentence), when the caller has it (a
 * sentence with many figures is searched once, not once per figure).
 */
export function geographyFor(sentence: string, start: number, end: number, found: readonly GeographyMention[] = findGeographies(sentence)): string | null {
  // mentions come in order of position and do not overlap: their starts and their ends both ascend
  const next = found[firstIndex(found, (g) => g.offset >= end)];
  if (next && next.offset - end <= 60 && !/[;,]|\d/.test(sentence.slice(end, next.offset))) return next.geography;
  const before = found[firstIndex(found, (g) => g.end > start) - 1];
  return before ? before.geography : null;
}

/** The first index at which `past` holds, for a predicate that is false and then true along the list (the length if never). */
function firstIndex<T>(list: readonly T[], past: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (past(list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
