import { z } from 'zod';
import { Figure, Locator } from '../core/index.js';

/** A known measure: what a figure is a figure of, whichever document states it. */
export const Measure = z
  .object({
    measure_id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    unit: Figure.shape.unit,
    description: z.string(),
  })
  .strict();
export type Measure = z.infer<typeof Measure>;

/** One value of a known measure, for a period and geography, as one release states it. */
export const Observation = z
  .object({
    observation_id: z.string(),
    measure_id: z.string(),
    period: z.string(),
    geography: z.string(),
    /** ONS GSS code of the geography (transform/geographies.jsonl); null when it has none. */
    geography_code: z.string().nullable(),
    /**
     * Which part of the measure the value is, for a value of one category of a breakdown: the table and
     * labels it was read under, e.g. 'Ethnicity › White › Intake'. '' for the measure as a whole.
     */
    breakdown: z.string(),
    figure: Figure,
    document_id: z.string(),
    release_date: z.string().nullable(),
    source_kind: z.enum(['cell', 'statement']),
    /** cell_id or statement_id the value came from. */
    source_id: z.string(),
    /** The sentence, or the row and column labels, the value was read from. */
    excerpt: z.string(),
    locator: Locator,
  })
  .strict();
export type Observation = z.infer<typeof Observation>;
