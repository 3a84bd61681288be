/**
 * The warehouse schema: one spec per table, from which the DDL, the COMMENTs and the appender's
 * column types all come. The comments are written for an analyst who has only DuckDB:
 *   SELECT table_name, comment FROM duckdb_tables();
 *   SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main';
 */

/** Column types the loader knows how to append. `VARCHAR[]` is a DuckDB LIST of strings. */
export type ColumnType = 'VARCHAR' | 'VARCHAR[]' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'DATE' | 'TIMESTAMP';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly comment: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly comment: string;
  /** Column names of the primary key; empty when the table has only a natural sort key. */
  readonly primaryKey: readonly string[];
  readonly columns: readonly ColumnSpec[];
}

export const TABLE_NAMES = [
  'runs',
  'documents',
  'document_problems',
  'tables',
  'table_columns',
  'table_rows',
  'cells',
  'cell_statuses',
  'statements',
  'measures',
  'observations',
  'findings',
  'finding_evidence',
  'check_summaries',
  'finding_decisions',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const LOCATOR_FORMATS =
  "'<file>:L<line>' for a line of a text release (e.g. 'ons-dav-2020-11.txt:L129'), " +
  "'<file>#p<page>:L<line>' for a line of a PDF page (e.g. 'insights.pdf#p12:L3'), " +
  "'<file>!<sheet>!<cell>' for a spreadsheet cell (e.g. 'app.xlsx!T15a!C7'); <file> is the file name under raw/";

const UNITS = "one of 'count', 'percent', 'fte', 'rate', 'currency', 'number'";
const PERIODS =
  "normalised period: 'YE 2020-03' = the 12 months ending March 2020, '2020-03' = the month, '2020' = the year, " +
  "'2019-04/2019-09' = another span";
const LIST_NOTE = 'a DuckDB list VARCHAR[] (index from 1: x[1]; flatten with array_to_string(x, \' > \'))';

function col(name: string, type: ColumnType, comment: string, nullable = false): ColumnSpec {
  return { name, type, nullable, comment };
}

const documentId = (what: string): ColumnSpec =>
  col('document_id', 'VARCHAR', `${what}; joins documents.document_id. Form '<file slug>-<12 hex of content>', e.g. 'ons-dav-2020-11-0123456789ab'.`);

export const TABLES: readonly TableSpec[] = [
  {
    name: 'runs',
    comment:
      'One row per nightly run that built this file (normally exactly one): when it ran, which davs version, which corpus, and the headline counts. ' +
      'The only table carrying clock time or host paths; every other table is a pure function of the files in raw/.',
    primaryKey: [],
    columns: [
      col('run_id', 'VARCHAR', 'Identifier of the run, as printed in the run log.'),
      col('started_at', 'TIMESTAMP', 'When the run started, UTC (TIMESTAMP without time zone, to the millisecond).'),
      col('finished_at', 'TIMESTAMP', 'When the run finished producing this warehouse, UTC.'),
      col('davs_version', 'VARCHAR', 'Version of the davs tool that produced this file (package.json version).'),
      col('raw_dir', 'VARCHAR', 'Directory the releases were read from on the machine that ran davs.'),
      col('corpus_sha256', 'VARCHAR', 'sha256 (64 lowercase hex) over the sorted (file, sha256) pairs of every file read: equal values mean the same inputs.'),
      col('documents', 'INTEGER', 'Number of releases loaded (rows in documents).'),
      col('failed_documents', 'INTEGER', "Number of files that failed in some stage (rows of document_problems with kind 'failed')."),
      col('findings', 'INTEGER', 'Number of findings raised by the checks (rows in findings).'),
      col('errors', 'INTEGER', "Number of findings with severity 'error'."),
      col('warnings', 'INTEGER', "Number of findings with severity 'warning'."),
      col('document_problems', 'INTEGER', 'Number of rows in document_problems (failed, missing, changed, skipped, unlisted and empty files).'),
      col('cells', 'BIGINT', 'Number of numeric cells loaded (rows in cells): the shrink guard compares it with the last published run.'),
      col('code_revision', 'VARCHAR', 'git revision of the davs code that ran (with \'+dirty\' when it had uncommitted changes); NULL outside a git checkout.', true),
      col('lockfile_sha256', 'VARCHAR', 'sha256 of package-lock.json: the exact dependency versions.', true),
      col('node_version', 'VARCHAR', "Node.js version, e.g. 'v20.20.0'."),
      col('duckdb_version', 'VARCHAR', "DuckDB library version that wrote this file, e.g. 'v1.5.2'."),
    ],
  },
  {
    name: 'documents',
    comment:
      'One row per statistical release read from raw/ (a text, PDF or spreadsheet file). Every other table points back here through document_id.',
    primaryKey: ['document_id'],
    columns: [
      documentId('Stable identifier of the release'),
      col('file', 'VARCHAR', "File name under raw/, e.g. 'ons-dav-2020-11.txt'; the first part of every locator string."),
      col('format', 'VARCHAR', "File format: 'text', 'pdf' or 'xlsx'."),
      col('publisher', 'VARCHAR', "Organisation that published the release, e.g. 'Office for National Statistics', 'SafeLives'."),
      col('title', 'VARCHAR', 'Title of the release as published.'),
      col('release_date', 'DATE', 'Publication date; NULL when unknown. Read it with release_date_precision: when that is \'month\' or \'year\', only the month or year part is meaningful.', true),
      col('release_date_precision', 'VARCHAR', "How precise release_date is: 'day', 'month' or 'year'."),
      col('period_covered', 'VARCHAR', `Period the release reports on, ${PERIODS}; NULL when not stated.`, true),
      col('sha256', 'VARCHAR', 'sha256 of the file bytes (64 lowercase hex): identifies the exact file read.'),
      col('bytes', 'BIGINT', 'File size in bytes.'),
      col('metadata_source', 'VARCHAR', "Where publisher/title/dates came from: 'manifest' (raw/manifest.json) or 'inferred' (read from the file itself)."),
      col('edition_of', 'VARCHAR', 'For another format of the same release (the PDF of a text report): the document_id of the primary edition. Checks and observations use the primary edition only; this edition\'s tables and cells are loaded with their page locators. NULL for primary editions.', true),
      col('release', 'VARCHAR', 'The release the document belongs to: an article and its appendix workbook share one (raw/manifest.json `release`; by default the file name without extension). restated-figure compares figures within a release.'),
      col('reference_period', 'VARCHAR', `Period a figure of this document is for when its table or sentence names none (raw/manifest.json reference_period, else period_covered when that is one period), ${PERIODS}; NULL when unknown.`, true),
      col('period_labels', 'VARCHAR', "The document's own meaning of period labels it prints, as JSON from the printed period to the period it stands for, e.g. {\"2020\":\"YE 2020-03\"} for a report whose '2020' is April 2019 to March 2020 (raw/manifest.json period_labels); '{}' when none."),
      col('geography', 'VARCHAR', 'Area the document reports on where its text names none (raw/manifest.json geography), as named there; NULL when not given.', true),
    ],
  },
  {
    name: 'document_problems',
    comment:
      'One row per thing that went wrong with a file of raw/ in this run, so that nothing is lost unnoticed: a file that could not be read or failed a later stage ' +
      "(kind 'failed': none of it is in the tables below, unless message says otherwise), a manifest entry whose file is missing ('missing') or changed ('changed'), " +
      "a file davs does not read ('skipped'), a file without a manifest entry ('unlisted'), a document that gave no tables and no numbers, such as a scanned PDF ('empty'), " +
      "and a stewards' decisions file (checks/decisions.jsonl) the run could not read ('decisions': the run treats every finding as undecided).",
    primaryKey: [],
    columns: [
      col('file', 'VARCHAR', 'File name under raw/ (a path for a file in a subfolder).'),
      col('kind', 'VARCHAR', "'failed', 'missing', 'changed', 'skipped', 'unlisted', 'empty' or 'decisions'."),
      col('severity', 'VARCHAR', "'error' (failed, missing: data was lost) or 'warning' (the rest); davs run --fail-on counts them with the findings."),
      col('stage', 'VARCHAR', "Pipeline stage that found it: 'corpus' (listing raw/), 'extract', 'transform', 'checks' or 'load'."),
      col('code', 'VARCHAR', "Stable code, e.g. 'input-unreadable', 'input-invalid', 'duplicate-key', 'document-crashed', 'file-missing', 'file-changed', 'file-skipped', 'file-unlisted', 'document-empty'."),
      col('message', 'VARCHAR', 'What happened, naming the file and the place: where, what, and what to do.'),
    ],
  },
  {
    name: 'tables',
    comment:
      'One row per table found in a release. Its columns are in table_columns, its rows in table_rows and its numeric values in cells (all joined on table_id).',
    primaryKey: ['table_id'],
    columns: [
      col('table_id', 'VARCHAR', "Stable identifier: '<document_id>:t<ordinal, 3 digits>', e.g. 'ons-dav-2020-11-0123456789ab:t001'."),
      documentId('Release the table is in'),
      col('ordinal', 'INTEGER', 'Position of the table in its release, from 1, in reading order.'),
      col('title', 'VARCHAR', 'Caption of the table as published.'),
      col('subtitle', 'VARCHAR', 'Lines between the caption and the grid (ONS put the geography there); NULL when none.', true),
      col('section', 'VARCHAR', 'Heading of the section of the release the table sits in; NULL when none.', true),
      col('locator', 'VARCHAR', `Where the table starts (its caption), as a locator string: ${LOCATOR_FORMATS}.`),
      col('n_rows', 'INTEGER', 'Number of rows (rows in table_rows for this table).'),
      col('n_columns', 'INTEGER', 'Number of value columns (rows in table_columns for this table).'),
      col('notes', 'VARCHAR', "Source lines and footnotes under the table, one per line (joined by newline), each as '<marker>: <text>' or just '<text>' when unmarked; '' when none."),
    ],
  },
  {
    name: 'table_columns',
    comment:
      'One row per value column of a table (the row-label column is not counted). Key (table_id, column_index); cells join on the same pair.',
    primaryKey: ['table_id', 'column_index'],
    columns: [
      col('table_id', 'VARCHAR', 'Table the column belongs to; joins tables.table_id.'),
      col('column_index', 'INTEGER', 'Position of the column among the value columns, from 0 (left to right); joins cells.column_index.'),
      col('header_path', 'VARCHAR[]', `Header text from the top header row down to this column, as ${LIST_NOTE}.`),
      col('unit', 'VARCHAR', `Unit the header states for the column, ${UNITS}; NULL when the header does not say.`, true),
      col('period', 'VARCHAR', `Period the header names, ${PERIODS}; NULL when it names none or several.`, true),
      col('base_n', 'DOUBLE', "Base (n) stated for the column, e.g. 1234 for 'n=1,234': the count percentages in this column are of; NULL when not stated.", true),
    ],
  },
  {
    name: 'table_rows',
    comment:
      'One row per row of a table, with its place in the row hierarchy (categories nested under headings). Key (table_id, row_index); cells join on the same pair.',
    primaryKey: ['table_id', 'row_index'],
    columns: [
      col('table_id', 'VARCHAR', 'Table the row belongs to; joins tables.table_id.'),
      col('row_index', 'INTEGER', 'Position of the row in the table, from 0 (top to bottom); joins cells.row_index.'),
      col('label', 'VARCHAR', 'Row label as published, footnote markers removed.'),
      col('label_path', 'VARCHAR[]', `Labels from the top-level ancestor row down to this row, as ${LIST_NOTE}.`),
      col('depth', 'INTEGER', 'Nesting depth: 0 for a top-level row, 1 for a row under it, and so on.'),
      col('parent_index', 'INTEGER', 'row_index of the parent row in the same table; NULL for a top-level row.', true),
      col('role', 'VARCHAR', "What the row is: 'category' (an ordinary row), 'total', 'subtotal', 'statistic' (e.g. a mean or median) or 'heading' (groups the rows under it, no values)."),
      col('footnotes', 'VARCHAR[]', `Footnote markers glued to the label ('England and Wales ¹¹' gives ['11']), as ${LIST_NOTE}; see tables.notes for their text.`),
      col('locator', 'VARCHAR', `Where the row is, as a locator string: ${LOCATOR_FORMATS}.`),
    ],
  },
  {
    name: 'cells',
    comment:
      'One row per numeric cell of a table: the number as published (raw) and as a value, with the labels of its row and column. ' +
      'Join tables on table_id, table_rows on (table_id, row_index), table_columns on (table_id, column_index), documents on document_id. ' +
      'A number printed with a footnote or flag (2*, 15a, 12 [note 3]) is here, with the flag in marker. Blank cells are not here; shorthand ([x], [c]) and text a value column holds that is not a number (12-15, see note) are in cell_statuses.',
    primaryKey: ['cell_id'],
    columns: [
      col('cell_id', 'VARCHAR', "Stable identifier: '<table_id>:r<row_index>c<column_index>', e.g. 'ons-dav-2020-11-0123456789ab:t001:r3c1'."),
      col('table_id', 'VARCHAR', 'Table the cell is in; joins tables.table_id.'),
      documentId('Release the cell is in'),
      col('row_index', 'INTEGER', 'Row of the cell, from 0; joins table_rows.row_index (with table_id).'),
      col('column_index', 'INTEGER', 'Value column of the cell, from 0; joins table_columns.column_index (with table_id).'),
      col('row_path', 'VARCHAR[]', `Row labels from the top-level ancestor down to the cell's row, as ${LIST_NOTE}.`),
      col(
        'geography_code',
        'VARCHAR',
        "ONS GSS code of the area the cell is for, as the transform resolves it (observations.geography_code): the first label of row_path that names a place in transform/geographies.jsonl " +
          "('E12000001' for a row 'North East'), else a column header that does, else the table's area (its subtitle or title, '…, England and Wales'), else the document's (its title, or raw/manifest.json geography). " +
          "NULL when none of these names one, when the row's labels repeat in its table (an area column davs does not read), or for an area without a code.",
        true,
      ),
      col('column_path', 'VARCHAR[]', `Column headers from the top header row down to the cell's column, as ${LIST_NOTE}.`),
      col('raw', 'VARCHAR', "The cell text exactly as published, e.g. '1,234' or '12.5%'."),
      col('value', 'DOUBLE', "raw as a number: '1,234' is 1234, '12.5%' is 12.5 (percent values are in percentage points, not fractions), '2*' is 2 (the flag is in marker), '£29,242' is 29242, '-0' is 0."),
      col('decimals', 'INTEGER', 'Decimal places shown in raw (0 for 1,234; 1 for 12.5%): the value is exact to ± half a unit in that place.'),
      col('unit', 'VARCHAR', `Unit of value, ${UNITS}; 'currency' when raw carries a currency sign ('£29,242').`),
      col(
        'marker',
        'VARCHAR',
        "Footnote or flag the publisher printed with the number, which value leaves out: '*' for '2*', 'a' for '15a', '†' for '1,234†', " +
          "'r' for '12 [r]', the note number for '12 [note 3]' or '12³' ('3', as in tables.notes), '()' for '(23)' shown in parentheses as an estimate " +
          "on a small base outside an account (in an account '(23)' is the value -23, with no marker); several in printed order, space-separated ('15a*' gives 'a *'). " +
          'NULL when the number stands alone.',
        true,
      ),
      col('base_n', 'DOUBLE', "Base (n) of the cell's column (table_columns.base_n); NULL when not stated.", true),
      col('period', 'VARCHAR', `Period of the cell's column (table_columns.period), ${PERIODS}; NULL when the header names none.`, true),
      col('locator', 'VARCHAR', `Where the cell is, as a locator string: ${LOCATOR_FORMATS}.`),
      col('locator_kind', 'VARCHAR', "Kind of locator: 'line' (text file), 'page' (PDF) or 'cell' (spreadsheet)."),
      col('line', 'INTEGER', "Line number, from 1: of the file for 'line' locators, of the page for 'page' locators; NULL for 'cell'.", true),
      col('page', 'INTEGER', "PDF page number, from 1, for 'page' locators; NULL otherwise.", true),
      col('sheet', 'VARCHAR', "Worksheet name for 'cell' locators; NULL otherwise.", true),
      col('cell_ref', 'VARCHAR', "Spreadsheet cell reference (e.g. 'C7') for 'cell' locators; NULL otherwise.", true),
    ],
  },
  {
    name: 'cell_statuses',
    comment:
      'One row per table cell that holds a status instead of a number: shorthand such as [x] (not available), [c] (confidential), [z] (not applicable), ".." or a revision flag "R", ' +
      "or text in a column of numbers that is not a number davs can read ('12-15', 'see note'; meaning 'unreadable: …'). A check that needs such a cell is undecided, never failed. " +
      'Never a number and never dropped; join tables on table_id and table_rows/table_columns on the indexes, as for cells.',
    primaryKey: ['table_id', 'row_index', 'column_index'],
    columns: [
      col('table_id', 'VARCHAR', 'Table the cell is in; joins tables.table_id.'),
      documentId('Release the cell is in'),
      col('row_index', 'INTEGER', 'Row of the cell, from 0; joins table_rows.row_index (with table_id).'),
      col('column_index', 'INTEGER', 'Value column of the cell, from 0; joins table_columns.column_index (with table_id).'),
      col('row_path', 'VARCHAR[]', `Row labels from the top-level ancestor down to the cell's row, as ${LIST_NOTE}.`),
      col('column_path', 'VARCHAR[]', `Column headers from the top header row down to the cell's column, as ${LIST_NOTE}.`),
      col('raw', 'VARCHAR', "The shorthand or text exactly as published, e.g. '[x]' or '12-15'."),
      col('meaning', 'VARCHAR', "What the shorthand means, e.g. 'not available', 'confidential'; 'unreadable: not a number the reader understands' for text davs cannot read as a number."),
      col('locator', 'VARCHAR', `Where the cell is, as a locator string: ${LOCATOR_FORMATS}.`),
    ],
  },
  {
    name: 'statements',
    comment:
      'One row per number stated in running prose (not in a table), with the sentence it is in. A sentence with three numbers gives three rows sharing sentence_id.',
    primaryKey: ['statement_id'],
    columns: [
      col('statement_id', 'VARCHAR', "Stable identifier: '<sentence_id>:o<character offset of the number in the sentence>'."),
      documentId('Release the sentence is in'),
      col('sentence_id', 'VARCHAR', "Identifier of the sentence: '<document_id>:L<line>:s<12 hex of the sentence text>', with '-2', '-3' … for a second or third identical sentence at the same place (a PDF that prints a paragraph twice)."),
      col('section', 'VARCHAR', 'Heading of the section the sentence is in; NULL when none.', true),
      col('sentence', 'VARCHAR', 'The whole sentence, as published.'),
      col('raw', 'VARCHAR', "The number exactly as written, e.g. '1,234' or '12%'."),
      col('value', 'DOUBLE', 'raw as a number (percent in percentage points, not fractions).'),
      col('decimals', 'INTEGER', 'Decimal places shown in raw: the value is exact to ± half a unit in that place.'),
      col('unit', 'VARCHAR', `Unit of value, ${UNITS}.`),
      col('period', 'VARCHAR', `Period the sentence says the number refers to, ${PERIODS}; NULL when it does not say.`, true),
      col('locator', 'VARCHAR', `Where the sentence is, as a locator string: ${LOCATOR_FORMATS}.`),
      col('line', 'INTEGER', "Line number, from 1 (of the file for text, of the page for PDF); NULL for spreadsheet locators.", true),
      col('page', 'INTEGER', 'PDF page number, from 1; NULL unless the release is a PDF.', true),
    ],
  },
  {
    name: 'measures',
    comment:
      'One row per known measure (what a figure is a figure of, e.g. cases discussed at MARACs), whichever release states it. observations join on measure_id.',
    primaryKey: ['measure_id'],
    columns: [
      col('measure_id', 'VARCHAR', "Stable identifier, lowercase with hyphens, e.g. 'marac-cases'."),
      col('title', 'VARCHAR', 'Short human name of the measure.'),
      col('unit', 'VARCHAR', `Unit of the measure's values, ${UNITS}.`),
      col('description', 'VARCHAR', 'What exactly is counted or measured.'),
    ],
  },
  {
    name: 'observations',
    comment:
      'One row per value of a known measure for a period and geography as one release states it, from a table cell or a sentence. ' +
      'The same (measure_id, period, geography, breakdown) may appear once per release that states it: compare them to see revisions and disagreements.',
    primaryKey: ['observation_id'],
    columns: [
      col('observation_id', 'VARCHAR', "Stable identifier: 'obs:<12 hex of document and source>'."),
      col('measure_id', 'VARCHAR', 'What the value measures; joins measures.measure_id.'),
      col('period', 'VARCHAR', `Period the value is for, ${PERIODS}.`),
      col(
        'period_type',
        'VARCHAR',
        "Kind of period, from period: 'year_ending' ('YE 2020-03', 12 months), 'calendar_year' ('2019'), 'quarter' (three months from January, April, July or October), " +
          "'range' (any other span of months), 'snapshot' (a month named on its own, '2020-03': an as-at month or that month's figure). " +
          "A financial year (April to March, printed '2019/20') is normalised to 'YE 2020-03' and typed 'year_ending'. NULL when period is not one of these forms.",
        true,
      ),
      col('period_start', 'DATE', "First day of the period, e.g. 2019-04-01 for 'YE 2020-03', 2019-01-01 for '2019', the month's first day for a snapshot month; NULL when period_type is NULL.", true),
      col('period_end', 'DATE', "Last day of the period, e.g. 2020-03-31 for 'YE 2020-03', 2019-12-31 for '2019', the month's last day for a snapshot month; NULL when period_type is NULL.", true),
      col('geography', 'VARCHAR', "Area the value is for, canonical name, e.g. 'England and Wales', 'England', 'Wales', 'North East'."),
      col(
        'geography_code',
        'VARCHAR',
        "ONS GSS code of geography, e.g. 'K04000001' England and Wales, 'E92000001' England, 'W92000004' Wales, 'E12000001'..'E12000009' the English regions, " +
          "'E23…'/'W15…' a police force area; from the lookup transform/geographies.jsonl (names matched exactly after normalising case, '&'/'and', 'the' and footnote markers). " +
          'NULL when the area has no code (British Transport Police).',
        true,
      ),
      col(
        'breakdown',
        'VARCHAR',
        "Which category of the measure the value is, for a measure published as a breakdown (measures.breakdown = 'labels'): the table title and the row and column labels it was read under, " +
          "e.g. 'Ethnicity › White' or 'Referral route › Police'; '' (empty) for the measure as a whole. Part of the key: (measure_id, period, geography, breakdown).",
      ),
      col('raw', 'VARCHAR', 'The number exactly as published.'),
      col('value', 'DOUBLE', 'raw as a number (percent in percentage points, not fractions).'),
      col('decimals', 'INTEGER', 'Decimal places shown in raw: the value is exact to ± half a unit in that place.'),
      col('unit', 'VARCHAR', `Unit of value, ${UNITS}.`),
      documentId('Release that states the value'),
      col('release_date', 'DATE', 'Publication date of that release (documents.release_date); NULL when unknown.', true),
      col('source_kind', 'VARCHAR', "Where in the release the value was read: 'cell' (source_id joins cells.cell_id) or 'statement' (source_id joins statements.statement_id)."),
      col('source_id', 'VARCHAR', 'cell_id or statement_id the value came from, per source_kind.'),
      col('excerpt', 'VARCHAR', 'The sentence, or the row and column labels, the value was read from.'),
      col('locator', 'VARCHAR', `Where the value is, as a locator string: ${LOCATOR_FORMATS}.`),
    ],
  },
  {
    name: 'findings',
    comment:
      'One row per discrepancy the checks found (e.g. a total that is not the sum of its parts beyond rounding). Its evidence is in finding_evidence (join on finding_id); ' +
      'the check that raised it in check_summaries (join check_id). finding_id is stable across runs, so decisions recorded against it survive.',
    primaryKey: ['finding_id'],
    columns: [
      col('finding_id', 'VARCHAR', "Stable identifier '<check_id>:<12 hex of the check and its subject>', e.g. 'total-equals-sum:0123456789ab'; never depends on the message, run order or time."),
      col('check_id', 'VARCHAR', 'Check that raised the finding; joins check_summaries.check_id.'),
      col('severity', 'VARCHAR', "'error', 'warning' or 'info'."),
      col('message', 'VARCHAR', 'What is wrong, in one sentence.'),
      col('expected', 'VARCHAR', 'What the check expected, as text (e.g. the sum of the parts).'),
      col('actual', 'VARCHAR', 'What the release says, as text.'),
      col('tolerance', 'VARCHAR', 'How far actual may sit from expected before it is a finding, from how the figures were rounded, as text.'),
      col('n_evidence', 'INTEGER', 'Number of evidence rows for this finding in finding_evidence (at least 1).'),
      col(
        'merged_ids',
        'VARCHAR[]',
        "Every finding_id merged into this finding (one discrepancy found in several columns or rows of a table, or in the same table of several documents of one release), this finding's own id first; [finding_id] when nothing was merged; " +
          LIST_NOTE +
          '. A decision recorded against any of them applies to this finding: SELECT finding_id FROM findings WHERE list_contains(merged_ids, ?).',
      ),
    ],
  },
  {
    name: 'finding_evidence',
    comment:
      'One row per place a finding rests on: which release, where in it, what it says there and the value read. Key (finding_id, ordinal).',
    primaryKey: ['finding_id', 'ordinal'],
    columns: [
      col('finding_id', 'VARCHAR', 'Finding this is evidence for; joins findings.finding_id.'),
      col('ordinal', 'INTEGER', 'Position of this evidence within its finding, from 1, in the order the check gave it.'),
      documentId("Release this evidence is in: the evidence's document_id (findings.json evidence `document`), not its file name (the file is documents.file)"),
      col('locator', 'VARCHAR', `Where to look, as a locator string: ${LOCATOR_FORMATS}.`),
      col('excerpt', 'VARCHAR', 'What the release says there (at most 300 characters).'),
      col('value', 'VARCHAR', "The value read there, as published text (e.g. '1,234'); NULL when the evidence is context only.", true),
      col(
        'source_kind',
        'VARCHAR',
        "What the value was read from: 'cell' (source_id joins cells.cell_id) or 'statement' (source_id joins statements.statement_id); NULL when the evidence is not one value read from a cell or a sentence (a table title, a column's base n printed in its header).",
        true,
      ),
      col('source_id', 'VARCHAR', 'cell_id or statement_id the value was read from, per source_kind; NULL when source_kind is NULL.', true),
      col(
        'role',
        'VARCHAR',
        "What this evidence is to the finding's check, e.g. 'stated' (the figure judged), 'part' and 'total' (a sum), 'count', 'percent' and 'base' (a share of its base n), 'input' (a figure a derived value is computed from), 'earlier' and 'later' (a revision); NULL when it has none.",
        true,
      ),
    ],
  },
  {
    name: 'check_summaries',
    comment:
      'One row per check in this run: how many subjects (tables, rows, pairs of figures…) it looked at and what became of them. ' +
      'evaluated = passed + failed + undecided; crashed counts subjects on which the check itself threw, which are not in evaluated.',
    primaryKey: ['check_id'],
    columns: [
      col('check_id', 'VARCHAR', "Identifier of the check, lowercase with hyphens, e.g. 'total-equals-sum'; joins findings.check_id."),
      col('title', 'VARCHAR', 'What the check verifies, in words.'),
      col('severity', 'VARCHAR', "Severity of the findings it raises: 'error', 'warning' or 'info'."),
      col('evaluated', 'INTEGER', 'Number of outcomes the check reached (a subject may give more than one).'),
      col('passed', 'INTEGER', 'Outcomes that passed.'),
      col('failed', 'INTEGER', 'Outcomes that failed; each gave a finding (identical findings are merged, so this can exceed the check\'s rows in findings).'),
      col('undecided', 'INTEGER', 'Outcomes the check could not decide (e.g. a value it needed was missing).'),
      col('crashed', 'INTEGER', 'Subjects on which the check itself threw an error (a bug in the check, not in the data; messages are in the run log).'),
    ],
  },
  {
    name: 'finding_decisions',
    comment:
      "One row per steward's decision on a finding, from the version-controlled file checks/decisions.jsonl (written by `davs review`), so a rebuild from the same files gives the same rows. " +
      "status says whether the finding still occurs: 'current' (join findings on applies_to) or 'stale' (the finding is gone from this run: the figures were corrected, or the check changed). " +
      'Decided findings do not count towards --fail-on; undecided ones are the findings no current row here applies_to.',
    primaryKey: ['finding_id'],
    columns: [
      col('finding_id', 'VARCHAR', "Finding decided on, '<check_id>:<12 hex>'; joins findings.finding_id when status = 'current'."),
      col(
        'verdict',
        'VARCHAR',
        "The steward's verdict: 'confirmed' (a real discrepancy in the release), 'false-alarm' (davs was wrong), 'explained' (the release explains it, e.g. a footnote), 'fixed-upstream' (the publisher corrected it).",
      ),
      col('note', 'VARCHAR', 'Why, in the steward\'s words (never empty).'),
      col('decided_by', 'VARCHAR', 'Who decided (davs review --by, else the git user name or $USER).'),
      col('decided_on', 'DATE', 'The day the decision was recorded.'),
      col('status', 'VARCHAR', "'current' when the finding occurs in this run (as itself, or merged into another finding: findings.merged_ids), 'stale' when it no longer does (the decision is kept and listed in the report, never dropped)."),
      col(
        'applies_to',
        'VARCHAR',
        "finding_id of this run's finding the decision applies to: finding_id itself, or the finding it was merged into (list_contains(findings.merged_ids, finding_id)); join findings on it. NULL when status = 'stale'.",
        true,
      ),
    ],
  },
];

/** Double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Single-quoted SQL string literal. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * CREATE TABLE for the spec. With `primaryKey: false` the table is created without its PRIMARY KEY
 * (writeWarehouse creates them so, and checks each key once its rows are in).
 */
export function createTableSql(spec: TableSpec, options: { primaryKey?: boolean } = {}): string {
  const columns = spec.columns.map((c) => `  ${quoteIdent(c.name)} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
  if (options.primaryKey !== false && spec.primaryKey.length > 0) columns.push(`  PRIMARY KEY (${spec.primaryKey.map(quoteIdent).join(', ')})`);
  return `CREATE TABLE ${quoteIdent(spec.name)} (\n${columns.join(',\n')}\n)`;
}

/**
 * The table's COMMENT: its spec's comment, and for a table with a primary key, that key. The
 * warehouse carries no PRIMARY KEY constraint (the loader checks each key once its rows are in),
 * so the comment is where an analyst reads it.
 */
export function tableComment(spec: TableSpec): string {
  if (spec.primaryKey.length === 0) return spec.comment;
  return `${spec.comment} Primary key (${spec.primaryKey.join(', ')}): unique, checked when the warehouse is loaded (no PRIMARY KEY constraint is declared).`;
}

export function commentSql(spec: TableSpec): string[] {
  return [
    `COMMENT ON TABLE ${quoteIdent(spec.name)} IS ${quoteString(tableComment(spec))}`,
    ...spec.columns.map((c) => `COMMENT ON COLUMN ${quoteIdent(spec.name)}.${quoteIdent(c.name)} IS ${quoteString(c.comment)}`),
  ];
}

/**
 * Every statement that creates the empty, commented schema, in order. With `primaryKey: false` the
 * tables have no PRIMARY KEY constraint (see createTableSql).
 */
export function schemaSql(options: { primaryKey?: boolean } = {}): string[] {
  return TABLES.flatMap((spec) => [createTableSql(spec, options), ...commentSql(spec)]);
}

export function tableSpec(name: TableName): TableSpec {
  const spec = TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`no table spec for ${name}`);
  return spec;
}
