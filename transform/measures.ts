import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Unit } from '../core/index.js';
import { packagePath } from '../core/paths.js';
import type { Measure } from './contracts.js';
import { FileLineError, parseJsonLines } from './json-lines.js';

/**
 * The measures davs knows, and how to recognise them in a sentence or a table row, come from a data
 * file stewards edit and review: transform/measures.jsonl, one JSON object a line ('#' lines are
 * comments). A measure is matched by what the text says, never by which document it is in; where two
 * measures could match one figure, the one on the earlier line wins.
 *
 * Patterns are regular expressions (JavaScript syntax) given as strings, compiled once when the file
 * is read, case-insensitive unless given as {"regex": "…", "ignore_case": false}; null never matches.
 * - `prose.follows`: the words right after a number in prose that name it ("99,447 cases were discussed").
 * - `prose.subject`: for a number followed by no noun of its own ("… increased by 8% to 107,855 in …"),
 *   the sentence must name the measure this way.
 * - `table.label`: for a table cell, its row label or a column header must read like this (or
 *   `table.title` the table's title, for a table whose labels are only areas and years)…
 * - `context`: …and the sentence, or the document title, table title and labels, must mention this.
 * - `breakdown: "labels"`: the measure's values are categories of breakdown tables (Insights client
 *   profile shares), each observation keyed by its table title and labels.
 * - `exclude`: never a match when the sentence, label or header says this (rates, recommendations).
 */
export const MEASURES_FILE = packagePath('transform', 'measures.jsonl');

const Pattern = z.union([z.string().min(1), z.object({ regex: z.string().min(1), ignore_case: z.boolean() }).strict()]);
type Pattern = z.infer<typeof Pattern>;

export const MeasureEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'an id is lower-case letters, digits and hyphens'),
    title: z.string().min(1),
    /** What is counted, for whom, over what: the text analysts read in the warehouse. */
    definition: z.string().min(1),
    unit: Unit,
    /** Publishers whose releases state the measure. */
    publishers: z.array(z.string().min(1)).min(1),
    /** How values for several areas combine: 'sum' (counts, FTE), 'none' (rates, percentages). */
    aggregation: z.enum(['sum', 'none']),
    prose: z.object({ follows: Pattern.nullable(), subject: Pattern.nullable() }).strict(),
    /** label: a cell's row label or one of its column headers; title: the table's title, for a table whose labels are only areas and years. */
    table: z.object({ label: Pattern.nullable(), title: Pattern.nullable().default(null) }).strict(),
    /**
     * 'labels': each value is one category of a breakdown, named by its table title and labels (the
     * observation's breakdown); a value without one (a prose share) is resolved but not observed.
     */
    breakdown: z.enum(['labels']).optional(),
    context: Pattern,
    exclude: Pattern.nullable(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.unit === 'percent' || e.unit === 'rate') && e.aggregation !== 'none') ctx.addIssue({ code: 'custom', path: ['aggregation'], message: `a ${e.unit} does not add up over areas: aggregation must be 'none'` });
  });
export type MeasureEntry = z.infer<typeof MeasureEntry>;

export interface MeasureDefinition {
  measure: Measure;
  publishers: readonly string[];
  aggregation: MeasureEntry['aggregation'];
  follows: RegExp;
  subject: RegExp;
  label: RegExp;
  title: RegExp;
  context: RegExp;
  /** Observations are categories of a breakdown named by their labels. */
  byLabels: boolean;
  exclude: RegExp;
  /** Where it is defined: file and line. */
  file: string;
  line: number;
}

export class MeasureCatalogueError extends FileLineError {}

/** Matches nothing: a measure with no prose or no table form. */
const NEVER = /(?!)/;

function compile(pattern: Pattern | null, field: string, file: string, line: number): RegExp {
  if (pattern === null) return NEVER;
  const [source, flags] = typeof pattern === 'string' ? [pattern, 'i'] : [pattern.regex, pattern.ignore_case ? 'i' : ''];
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new MeasureCatalogueError(file, line, `${field}: not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Parses and validates a catalogue's text; an error names the file and the line. */
export function parseMeasures(text: string, file: string): MeasureDefinition[] {
  const out: MeasureDefinition[] = [];
  const seen = new Map<string, number>();
  for (const { entry: e, line } of parseJsonLines(text, MeasureEntry, (at, reason) => new MeasureCatalogueError(file, at, reason))) {
    const other = seen.get(e.id);
    if (other !== undefined) throw new MeasureCatalogueError(file, line, `id '${e.id}' is given twice (also line ${other})`);
    seen.set(e.id, line);
    const c = (p: Pattern | null, field: string) => compile(p, field, file, line);
    out.push({
      measure: { measure_id: e.id, title: e.title, unit: e.unit, description: e.definition },
      publishers: e.publishers,
      aggregation: e.aggregation,
      follows: c(e.prose.follows, 'prose.follows'),
      subject: c(e.prose.subject, 'prose.subject'),
      label: c(e.table.label, 'table.label'),
      title: c(e.table.title, 'table.title'),
      byLabels: e.breakdown === 'labels',
      context: c(e.context, 'context'),
      exclude: c(e.exclude, 'exclude'),
      file,
      line,
    });
  }
  return out;
}

export function readMeasures(file: string = MEASURES_FILE): MeasureDefinition[] {
  return parseMeasures(readFileSync(file, 'utf8'), file);
}

/** The bundled catalogue, transform/measures.jsonl, read once when this module loads. */
export const MEASURES: readonly MeasureDefinition[] = readMeasures();
