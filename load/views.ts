/**
 * Views for analysts over observations, cells and documents: the latest value of each figure, its
 * vintages and revisions, a measure's time series, and the cells of primary editions. They hold no
 * rows of their own, so the table digests (run.json, davs verify) are unaffected; every view and
 * every view column is commented, as the tables are:
 *   SELECT view_name, comment FROM duckdb_views() WHERE NOT internal;
 *   SELECT table_name, column_name, comment FROM duckdb_columns() WHERE table_name = 'latest_observations';
 *
 * Every ordering is total (ties broken down to observation_id), so the views give the same rows
 * for the same warehouse.
 */
import { quoteIdent, quoteString, tableSpec } from './schema.js';

export interface ViewColumnSpec {
  readonly name: string;
  readonly comment: string;
}

export interface ViewSpec {
  readonly name: ViewName;
  readonly comment: string;
  /** The SELECT, whose output columns are exactly `columns`, in order. */
  readonly sql: string;
  readonly columns: readonly ViewColumnSpec[];
}

export const VIEW_NAMES = ['observation_vintages', 'latest_observations', 'measure_series', 'primary_cells'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

function vcol(name: string, comment: string): ViewColumnSpec {
  return { name, comment };
}

/** The comment the observations table gives `name`. */
function observationComment(name: string): string {
  const column = tableSpec('observations').columns.find((c) => c.name === name);
  if (!column) throw new Error(`observations has no column ${name}`);
  return column.comment;
}

const KEY_NOTE = "A figure is identified by (measure_id, period, geography, breakdown); breakdown is '' for a measure as a whole.";
const RELEASE_ORDER =
  'Releases are ordered by release_date (a release without one counts as the oldest), then by release name, so the order is total.';
const PICK_RULE =
  'The value a release states is the one most of its observations give; on a tie, one stated in a table (not only in prose), then the smaller value; ' +
  'raw, document_id and locator are those of its first observation by (table before prose, document_id, locator, observation_id).';

/** View columns that are observations columns, with the comment the observations table gives each. */
function observationColumns(...names: string[]): ViewColumnSpec[] {
  return names.map((name) => vcol(name, observationComment(name)));
}

const KEY_COLUMNS: readonly ViewColumnSpec[] = observationColumns('measure_id', 'period', 'period_type', 'period_start', 'period_end', 'geography', 'geography_code', 'breakdown');

const VALUE_COLUMNS: readonly ViewColumnSpec[] = [
  vcol('raw', 'The number exactly as this release publishes it (see the view comment for which observation is shown when the release states the figure more than once).'),
  vcol('value', 'raw as a number (percent in percentage points, not fractions).'),
  ...observationColumns('decimals', 'unit'),
];

const SOURCE_COLUMNS: readonly ViewColumnSpec[] = [
  vcol('document_id', 'Document of the release the shown value was read from; joins documents.document_id.'),
  ...observationColumns('locator'),
  vcol('observation_id', 'The observation shown; joins observations.observation_id.'),
  vcol('observations_in_release', 'How many observations of this release (all its primary documents, tables and prose) state the figure.'),
  vcol('values_in_release', 'How many different values the release gives for the figure: more than 1 means the release disagrees with itself (see the observations table).'),
];

const VINTAGES_SQL = `
WITH primary_observations AS (
  SELECT o.*, d.release
  FROM observations o JOIN documents d USING (document_id)
  WHERE d.edition_of IS NULL
),
release_dates AS (
  SELECT release, max(release_date) AS release_date FROM documents GROUP BY release
),
value_counts AS (
  SELECT measure_id, period, geography, breakdown, release, value,
         count(*) AS n,
         max(CASE WHEN source_kind = 'cell' THEN 1 ELSE 0 END) AS in_table
  FROM primary_observations
  GROUP BY measure_id, period, geography, breakdown, release, value
),
release_counts AS (
  SELECT measure_id, period, geography, breakdown, release, sum(n) AS observations_in_release, count(*) AS values_in_release
  FROM value_counts
  GROUP BY measure_id, period, geography, breakdown, release
),
chosen AS (
  SELECT o.*,
         row_number() OVER (
           PARTITION BY o.measure_id, o.period, o.geography, o.breakdown, o.release
           ORDER BY v.n DESC, v.in_table DESC, o.value, CASE WHEN o.source_kind = 'cell' THEN 0 ELSE 1 END, o.document_id, o.locator, o.observation_id
         ) AS pick
  FROM primary_observations o
  JOIN value_counts v USING (measure_id, period, geography, breakdown, release, value)
),
vintages AS (
  SELECT c.measure_id, c.period, c.period_type, c.period_start, c.period_end, c.geography, c.geography_code, c.breakdown,
         c.release, r.release_date,
         row_number() OVER w AS vintage,
         count(*) OVER (PARTITION BY c.measure_id, c.period, c.geography, c.breakdown) AS vintages,
         c.raw, c.value, c.decimals, c.unit,
         c.document_id, c.locator, c.observation_id, k.observations_in_release, k.values_in_release,
         lag(c.release) OVER w AS previous_release,
         lag(c.raw) OVER w AS previous_raw,
         lag(c.value) OVER w AS previous_value,
         lag(c.decimals) OVER w AS previous_decimals
  FROM chosen c
  JOIN release_dates r USING (release)
  JOIN release_counts k USING (measure_id, period, geography, breakdown, release)
  WHERE c.pick = 1
  WINDOW w AS (PARTITION BY c.measure_id, c.period, c.geography, c.breakdown ORDER BY r.release_date ASC NULLS FIRST, c.release)
)
SELECT measure_id, period, period_type, period_start, period_end, geography, geography_code, breakdown,
       release, release_date, vintage, vintages,
       raw, value, decimals, unit,
       document_id, locator, observation_id, observations_in_release, values_in_release,
       previous_release, previous_raw, previous_value,
       round(value - previous_value, greatest(decimals, previous_decimals)) AS revision,
       CASE WHEN previous_value IS NULL THEN NULL
            WHEN value > previous_value THEN 'up'
            WHEN value < previous_value THEN 'down'
            ELSE 'unchanged' END AS revision_direction
FROM vintages
ORDER BY measure_id, period_start NULLS LAST, period, geography, breakdown, vintage`;

const LATEST_SQL = `
SELECT v.measure_id, v.period, v.period_type, v.period_start, v.period_end, v.geography, v.geography_code, v.breakdown,
       v.raw, v.value, v.decimals, v.unit,
       v.release, v.release_date,
       v.vintages AS releases,
       f.release AS first_release, f.raw AS first_raw,
       (SELECT count(*) FROM observation_vintages x
        WHERE x.measure_id = v.measure_id AND x.period = v.period AND x.geography = v.geography AND x.breakdown = v.breakdown
          AND x.revision_direction IN ('up', 'down')) AS revisions,
       v.document_id, v.locator, v.observation_id, v.observations_in_release, v.values_in_release
FROM observation_vintages v
JOIN observation_vintages f ON f.measure_id = v.measure_id AND f.period = v.period AND f.geography = v.geography AND f.breakdown = v.breakdown AND f.vintage = 1
WHERE v.vintage = v.vintages
ORDER BY v.measure_id, v.period_start NULLS LAST, v.period, v.geography, v.breakdown`;

const SERIES_SQL = `
SELECT l.measure_id, m.title AS measure_title, l.geography, l.geography_code, l.breakdown,
       l.period, l.period_type, l.period_start, l.period_end,
       l.raw, l.value, l.decimals, l.unit,
       lag(l.period) OVER w AS previous_period,
       lag(l.value) OVER w AS previous_period_value,
       round(l.value - lag(l.value) OVER w, greatest(l.decimals, lag(l.decimals) OVER w)) AS change,
       l.release, l.release_date, l.releases, l.revisions, l.document_id, l.locator
FROM latest_observations l
JOIN measures m USING (measure_id)
WINDOW w AS (PARTITION BY l.measure_id, l.geography, l.breakdown, l.period_type ORDER BY l.period_start, l.period)
ORDER BY l.measure_id, l.geography_code NULLS LAST, l.geography, l.breakdown, l.period_start NULLS LAST, l.period`;

const CELL_COLUMNS = tableSpec('cells').columns;

const PRIMARY_CELLS_SQL = `
SELECT ${CELL_COLUMNS.map((c) => `c.${quoteIdent(c.name)}`).join(', ')},
       d.file, d.publisher, d.release, d.release_date
FROM cells c JOIN documents d USING (document_id)
WHERE d.edition_of IS NULL
ORDER BY c.cell_id`;

export const VIEWS: readonly ViewSpec[] = [
  {
    name: 'observation_vintages',
    comment:
      `Every vintage of every figure: one row per release (documents.release) that states it, oldest first, with the value of the vintage before and the revision. ${KEY_NOTE} ` +
      `Only primary editions count (documents.edition_of IS NULL), and an article and its appendix workbooks are one release, so a figure printed in both is one vintage. ` +
      `${RELEASE_ORDER} ${PICK_RULE}`,
    sql: VINTAGES_SQL,
    columns: [
      ...KEY_COLUMNS,
      vcol('release', 'The release of this vintage; joins documents.release.'),
      vcol('release_date', 'Publication date of the release (the latest release_date among its documents); NULL when unknown.'),
      vcol('vintage', 'Position of this release among those stating the figure, from 1 (the oldest).'),
      vcol('vintages', 'How many releases state the figure: vintage = vintages is the latest.'),
      ...VALUE_COLUMNS,
      ...SOURCE_COLUMNS,
      vcol('previous_release', 'The release of the vintage before; NULL for the first vintage.'),
      vcol('previous_raw', 'raw of the vintage before; NULL for the first vintage.'),
      vcol('previous_value', 'value of the vintage before; NULL for the first vintage.'),
      vcol('revision', 'value - previous_value, rounded to the decimals the two print (so 3.8 after 3.5 is 0.3); NULL for the first vintage.'),
      vcol('revision_direction', "'up', 'down' or 'unchanged' against the vintage before; NULL for the first vintage."),
    ],
  },
  {
    name: 'latest_observations',
    comment:
      `One row per figure (measure_id, period, geography, breakdown) with the value of the latest release that states it, and how many releases state it. ` +
      `The latest vintage of observation_vintages: ${RELEASE_ORDER} ${PICK_RULE}`,
    sql: LATEST_SQL,
    columns: [
      ...KEY_COLUMNS,
      ...VALUE_COLUMNS,
      vcol('release', 'The latest release stating the figure; joins documents.release.'),
      vcol('release_date', 'Publication date of that release; NULL when unknown.'),
      vcol('releases', 'How many releases state the figure (its vintages in observation_vintages).'),
      vcol('first_release', 'The oldest release stating the figure (equal to release when only one does).'),
      vcol('first_raw', 'raw as the oldest release stated it.'),
      vcol('revisions', "How many vintages changed the value from the one before (revision_direction 'up' or 'down' in observation_vintages)."),
      ...SOURCE_COLUMNS,
    ],
  },
  {
    name: 'measure_series',
    comment:
      "A measure's time series: the latest value (latest_observations) of each (measure, geography, breakdown, period), with the measure's title and the area's GSS code, " +
      'ordered by measure_id, geography_code, geography and period_start, and the change from the previous period of the same geography, breakdown and period_type. ' +
      'Filter it by measure_id (and geography_code) and ORDER BY period_start when you join or aggregate.',
    sql: SERIES_SQL,
    columns: [
      ...observationColumns('measure_id'),
      vcol('measure_title', 'Short human name of the measure (measures.title).'),
      ...observationColumns('geography', 'geography_code', 'breakdown', 'period', 'period_type', 'period_start', 'period_end'),
      vcol('raw', 'The number exactly as the latest release stating it publishes it.'),
      vcol('value', 'raw as a number (percent in percentage points, not fractions).'),
      ...observationColumns('decimals', 'unit'),
      vcol('previous_period', 'The period before this one in the series of the same measure, geography, breakdown and period_type (by period_start); NULL for the first. Periods may not be contiguous: compare it with period.'),
      vcol('previous_period_value', 'value of previous_period; NULL for the first period.'),
      vcol('change', 'value - previous_period_value, rounded to the decimals the two print; NULL for the first period.'),
      vcol('release', 'The release the value is from (the latest stating it); joins documents.release.'),
      vcol('release_date', 'Publication date of that release; NULL when unknown.'),
      vcol('releases', 'How many releases state the figure.'),
      vcol('revisions', 'How many times a release changed the value from the release before.'),
      vcol('document_id', 'Document the value was read from; joins documents.document_id.'),
      ...observationColumns('locator'),
    ],
  },
  {
    name: 'primary_cells',
    comment:
      'The cells of primary editions only (documents.edition_of IS NULL), with their release: the PDF edition of a text report repeats its cells, and counting both would count them twice. ' +
      'Same columns as cells, plus the file, publisher, release and release_date of the document. Keeps the cells of each release\'s documents (an article and its workbook may both print a figure).',
    sql: PRIMARY_CELLS_SQL,
    columns: [
      ...CELL_COLUMNS.map((c) => vcol(c.name, c.comment)),
      vcol('file', "File name under raw/ of the cell's document (documents.file)."),
      vcol('publisher', 'Organisation that published the release (documents.publisher).'),
      vcol('release', 'The release the document belongs to (documents.release).'),
      vcol('release_date', 'Publication date of the document (documents.release_date); NULL when unknown.'),
    ],
  },
];

/** Every statement that creates the commented views, in dependency order (after the tables exist). */
export function viewSql(): string[] {
  return VIEWS.flatMap((spec) => [
    `CREATE VIEW ${quoteIdent(spec.name)} (${spec.columns.map((c) => quoteIdent(c.name)).join(', ')}) AS ${spec.sql.trim()}`,
    `COMMENT ON VIEW ${quoteIdent(spec.name)} IS ${quoteString(spec.comment)}`,
    ...spec.columns.map((c) => `COMMENT ON COLUMN ${quoteIdent(spec.name)}.${quoteIdent(c.name)} IS ${quoteString(c.comment)}`),
  ]);
}
