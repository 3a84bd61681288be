import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { packagePath } from '../core/paths.js';
import { FileLineError, parseJsonLines } from './json-lines.js';

/**
 * Geographies the releases report on come from a data file, transform/geographies.jsonl: one JSON
 * object a line, {code, name, type, aliases}, with the ONS GSS code (K04000001 England and Wales,
 * E92000001 England, W92000004 Wales, E12… the English regions, E23…/W15… the police force areas).
 * A name is matched exactly after normalisation (see normaliseGeographyName), never fuzzily.
 */
export const GEOGRAPHIES_FILE = packagePath('transform', 'geographies.jsonl');

export const GeographyEntry = z
  .object({
    /** ONS GSS code; null for an area that has none (British Transport Police). */
    code: z.string().regex(/^[EWKSN]\d{8}$/, 'a GSS code is a letter and eight digits, e.g. E12000001').nullable(),
    /** The canonical name observations carry. */
    name: z.string().min(1),
    type: z.enum(['union', 'nation', 'region', 'police-force-area']),
    /** Other names as printed in releases. */
    aliases: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type GeographyEntry = z.infer<typeof GeographyEntry>;

export class GeographyLookupError extends FileLineError {}

/**
 * A name as matched: footnote markers removed (superscripts, '[note 3]', '[x]', '*', '†', a trailing
 * number), lower case, '&' read as 'and', the word 'the' dropped, hyphens and commas as spaces.
 */
export function normaliseGeographyName(name: string): string {
  return name
    .replace(/[\u00B9\u00B2\u00B3\u2070-\u209F]+/g, ' ')
    .replace(/\[(?:note\s*)?[^\]]*\]/gi, ' ')
    .replace(/[*†‡§]+/g, ' ')
    .replace(/(?:\s+\d+(?:\s*,\s*\d+)*)+\s*$/, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[-‐‑–—,.:;()]/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'the')
    .join(' ');
}

export interface Geography {
  code: string | null;
  name: string;
  type: GeographyEntry['type'];
}

/** The geographies of one lookup file, by normalised name. */
export class GeographyLookup {
  private readonly byName = new Map<string, Geography>();
  private readonly byCanonical = new Map<string, Geography>();
  /** Longest name in words, to bound the search of free text. */
  private readonly maxWords: number;
  /** The first word of every name: where in free text a name can begin. */
  private readonly firstWords = new Set<string>();

  constructor(entries: ReadonlyArray<{ entry: GeographyEntry; line: number }>, file: string) {
    const seen = new Map<string, number>();
    let maxWords = 1;
    for (const { entry, line } of entries) {
      const geography: Geography = { code: entry.code, name: entry.name, type: entry.type };
      if (this.byCanonical.has(entry.name)) throw new GeographyLookupError(file, line, `name '${entry.name}' is given twice (also line ${seen.get(normaliseGeographyName(entry.name))})`);
      this.byCanonical.set(entry.name, geography);
      for (const name of [entry.name, ...entry.aliases]) {
        const key = normaliseGeographyName(name);
        if (key === '') throw new GeographyLookupError(file, line, `name '${name}' is empty once normalised`);
        const other = seen.get(key);
        if (other !== undefined && other !== line) throw new GeographyLookupError(file, line, `name '${name}' normalises to '${key}', which line ${other} already names`);
        seen.set(key, line);
        this.byName.set(key, geography);
        const words = key.split(' ');
        maxWords = Math.max(maxWords, words.length);
        this.firstWords.add(words[0]!);
      }
    }
    this.maxWords = maxWords;
  }

  /** Parses and validates a lookup file's text; an error names the file and the line. */
  static parse(text: string, file: string): GeographyLookup {
    return new GeographyLookup(parseJsonLines(text, GeographyEntry, (line, reason) => new GeographyLookupError(file, line, reason)), file);
  }

  static read(file: string = GEOGRAPHIES_FILE): GeographyLookup {
    return GeographyLookup.parse(readFileSync(file, 'utf8'), file);
  }

  /** The geography a whole name is, exactly after normalisation, or null. */
  lookup(name: string): Geography | null {
    return this.byName.get(normaliseGeographyName(name)) ?? null;
  }

  /** GSS code of a canonical name; null when the name is not in the lookup or has no code. */
  codeOf(canonicalName: string): string | null {
    return this.byCanonical.get(canonicalName)?.code ?? null;
  }

  /** Geographies named in free text, longest first where names overlap, in order of position. */
  find(text: string): GeographyMention[] {
    // words (a hyphen or an apostrophe inside a word splits it: 'Dyfed-Powys' is two) and '&'
    const words: Array<{ key: string; offset: number; end: number }> = [];
    const WORD = /[A-Za-z]+|&/g;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
      const key = m[0] === '&' ? 'and' : m[0].toLowerCase();
      if (key === 'the') continue;
      words.push({ key, offset: m.index, end: m.index + m[0].length });
    }
    const out: GeographyMention[] = [];
    for (let i = 0; i < words.length; ) {
      if (!this.firstWords.has(words[i]!.key)) {
        i++;
        continue;
      }
      let found: { geography: Geography; n: number } | null = null;
      for (let n = Math.min(this.maxWords, words.length - i); n >= 1 && !found; n--) {
        // the words must be joined only by spaces, hyphens, '&' or a dropped 'the'
        if (!joined(text, words, i, n)) continue;
        const g = this.byName.get(words.slice(i, i + n).map((w) => w.key).join(' '));
        if (g) found = { geography: g, n };
      }
      if (found) {
        out.push({ geography: found.geography.name, code: found.geography.code, offset: words[i]!.offset, end: words[i + found.n - 1]!.end });
        i += found.n;
      } else i++;
    }
    return out;
  }
}

function joined(text: string, words: ReadonlyArray<{ offset: number; end: number }>, i: number, n: number): boolean {
  for (let k = i; k < i + n - 1; k++) {
    const between = text.slice(words[k]!.end, words[k + 1]!.offset);
    if (!/^(?:[\s-]|\bthe\b)*$/i.test(between)) return false;
  }
  return true;
}

let bundled: GeographyLookup | undefined;
/** The bundled lookup, transform/geographies.jsonl, read once. */
export function geographies(): GeographyLookup {
  return (bundled ??= GeographyLookup.read());
}

export interface GeographyMention {
  geography: string;
  code: string | null;
  offset: number;
  end: number;
}

/** Geographies named in `text`, longest first where they overlap ("England and Wales" is not also "Wales"). */
export function findGeographies(text: string): GeographyMention[] {
  return geographies().find(text);
}

/** The geography a whole label names ("North East", "England and Wales ¹¹" with its markers), or null. */
export function geographyOfLabel(label: string): string | null {
  return geographies().lookup(label)?.name ?? null;
}

/** GSS code of a canonical geography name (as observations carry), or null. */
export function geographyCode(name: string): string | null {
  return geographies().codeOf(name);
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
