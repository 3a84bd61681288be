/**
 * Pure layout for the two reconstructed appendix workbooks of the ONS article "Domestic abuse victim
 * services, England and Wales: November 2020" (raw/ons-dav-2020-11.txt). The article links to
 * "Domestic abuse victim services: Appendix tables", which we do not have; these workbooks stand in
 * for it, holding ONLY figures the article itself states, with the periods it gives. Every figure
 * carries the (1-based) line of raw/ons-dav-2020-11.txt it was read from, so the provenance can be
 * checked (build.test.ts does) and reported.
 *
 * Two editions of the same figures:
 *  - `oldStyleWorkbook()`: as ONS published before 2021: one table per sheet ("Table 2"), title row
 *    with a footnote marker glued on, a blank row, merged header cells, ".." for missing figures,
 *    "Source:" and "Notes:" with numbered notes below the table, a few numbers stored as text, a
 *    hidden note row, a hidden "Lookup" sheet and a SUM formula with its cached value.
 *  - `accessibleWorkbook()`: the government accessible-spreadsheet standard used from 2021: Cover,
 *    Contents and Notes sheets, one table per sheet starting in A1 ("Table_2"), "[note n]" markers,
 *    no merged cells, shorthand "[x]" (not available) and "[z]" (not applicable) in empty cells.
 *
 * Nothing here touches SheetJS: build.ts turns these specs into .xlsx bytes.
 */

/** Where the figures come from. */
export const ARTICLE_FILE = 'raw/ons-dav-2020-11.txt';
export const ARTICLE_TITLE = 'Domestic abuse victim services, England and Wales: November 2020';
export const RELEASE_DATE = '25 November 2020';
/** Fixed document dates: the workbook must not change with the time of the build. */
export const FIXED_DATE_ISO = '2020-11-25T00:00:00Z';

/** A figure the article states, and the line of the article it was read from. */
export interface Figure {
  value: number;
  line: number;
}

const fig = (value: number, line: number): Figure => ({ value, line });

// ---------------------------------------------------------------------------------------------
// The figures, once, with their article lines. Both workbooks are laid out from these.
// ---------------------------------------------------------------------------------------------

/** Article Table 1: full-time equivalent practitioners, England and Wales, 2017 and 2019 (lines 109-123). */
const T1 = {
  idva: [fig(897, 113), fig(980, 113)],
  outreach: [fig(691, 114), fig(813, 114)],
  ypva: [fig(182, 115), fig(191, 115)],
};

/**
 * Article Table 2: MARACs, England and Wales, years ending March 2018, 2019, 2020 (lines 135-151).
 *
 * DISCREPANCY IN THE ARTICLE: the main points (line 36) say 99,467 cases were discussed at MARACs in
 * the year ending March 2020, while Table 2 (line 140) and the body text (lines 129 and 300) say
 * 99,447. The workbooks use the Table 2 value, 99,447, as the appendix tables would; the main-points
 * figure is left for davs' discrepancy report to find in the article itself.
 */
const T2 = {
  maracs: [fig(256, 139), fig(252, 139), fig(247, 139)],
  cases: [fig(88_461, 140), fig(93_892, 140), fig(99_447, 140)],
  recommendedCases: [fig(93_220, 141), fig(92_700, 141), fig(92_710, 141)],
  perTenThousand: [fig(38, 142), fig(41, 142), fig(43, 142)],
  recommendedPerTenThousand: [fig(40, 143), fig(40, 143), fig(40, 143)],
  repeatPercent: [fig(28, 144), fig(29, 144), fig(31, 144)],
};

/** IDVAs from the 2019 practitioner survey; the survey did not run in 2018 (lines 101-105, 198). */
const T2A = {
  allRisk: { y2017: fig(897, 103), y2019: fig(980, 103) },
  highRisk: { y2017: fig(782, 103), y2019: fig(833, 103) },
  recommended: { y2017: fig(1_059, 103), y2019: fig(1_120, 103) },
  shortfallPercent2019: fig(26, 103),
  londonHighRisk2019: fig(152, 105),
  londonRecommended2019: fig(141, 105),
};

/** Article Table 3: referrals of women to refuge services (lines 364-383). Periods April 2016 to March 2017, …2018, …2019. */
const T3 = {
  england: {
    total: [fig(35_143, 368), fig(33_118, 368), fig(35_250, 368)],
    accepted: [fig(38, 369), fig(36, 369), fig(33, 369)],
    declined: [fig(62, 370), fig(64, 370), fig(67, 370)],
  },
  wales: {
    total: [fig(2_481, 371), fig(2_215, 371), fig(2_156, 371)],
    accepted: [fig(54, 372), fig(56, 372), fig(56, 372)],
    declined: [fig(32, 373), fig(30, 373), fig(32, 373)],
    notAccepted: [fig(13, 374), fig(12, 374), fig(12, 374)],
  },
};

/** Article Table 4: referrals of women to community-based services (lines 391-409). */
const T4 = {
  england: {
    total: [fig(205_628, 395), fig(205_459, 395), fig(232_578, 395)],
    accepted: [fig(75, 396), fig(66, 396), fig(67, 396)],
    declined: [fig(25, 397), fig(34, 397), fig(33, 397)],
  },
  wales: {
    total: [fig(7_365, 398), fig(9_452, 398), fig(16_672, 398)],
    accepted: [fig(79, 399), fig(60, 399), fig(62, 399)],
    declined: [fig(2, 400), fig(8, 400), fig(4, 400)],
    notAccepted: [fig(15, 401), fig(21, 401), fig(31, 401)],
  },
};

/**
 * Domestic abuse helpline services from Routes to Support (line 95): England and Wales 132 (2017) and
 * 151 (2018), total not available for 2019; England 130 (2019) and 133 (2020); Wales 20 (2018) and
 * 18 (2020), Wales not available for 2019 (line 197).
 */
const T7 = {
  englandAndWales2017: fig(132, 95),
  englandAndWales2018: fig(151, 95),
  england2019: fig(130, 95),
  england2020: fig(133, 95),
  wales2018: fig(20, 95),
  wales2020: fig(18, 95),
};

/**
 * Refuge services and bed spaces from Routes to Support (snapshots in May): England 294 services in
 * 2010 and 261 in 2020 (line 59); 3,578 bed spaces in 2015 and 3,923 in 2020, shortfall 34.1% and
 * 30.3% (line 61); Wales 33 services and 279 bed spaces in 2018, 310 bed spaces in 2019 (services not
 * available), 34 services and 284 bed spaces in 2020 (line 85).
 */
const T8 = {
  englandServices2010: fig(294, 59),
  englandServices2020: fig(261, 59),
  englandBeds2015: fig(3_578, 61),
  englandBeds2020: fig(3_923, 61),
  englandShortfall2015: fig(34.1, 61),
  englandShortfall2020: fig(30.3, 61),
  walesServices2018: fig(33, 85),
  walesServices2020: fig(34, 85),
  walesBeds2018: fig(279, 85),
  walesBeds2019: fig(310, 85),
  walesBeds2020: fig(284, 85),
};

/**
 * England and Wales totals for 2020 in Table 8 are NOT stated by the article: they are the sums of
 * the England and Wales figures above, computed here (and written as =SUM formulas in the old-style
 * workbook, with this cached value). Note 20 says so in both workbooks.
 */
export const T8_TOTALS_2020 = {
  services: T8.englandServices2020.value + T8.walesServices2020.value,
  beds: T8.englandBeds2020.value + T8.walesBeds2020.value,
};

/** MARACs by police force area, year ending March 2020 (lines 129, 133, 174, 309, 446). */
const T15A = {
  maracs: fig(247, 129),
  cases: fig(99_447, 129),
  perTenThousand: fig(43, 129),
  children: fig(124_569, 309),
  repeatPercent: fig(31, 446),
  gloucestershirePerTenThousand: fig(5, 174),
  southWalesPerTenThousand: fig(79, 174),
};

/** National Domestic Abuse Helpline, run by Refuge (lines 220 and 415). */
const T29 = {
  conversations: [fig(47_770, 220), fig(40_859, 220)],
  withSurvivors: [fig(33_853, 220), fig(29_166, 220)],
  interactionsBySurvivorsPercent2020: fig(62, 415),
};

// ---------------------------------------------------------------------------------------------
// Notes: one catalogue; the old-style tables number the ones they use 1, 2, 3…; the accessible
// workbook lists them all on its Notes sheet as [note n].
// ---------------------------------------------------------------------------------------------

export interface NoteSpec {
  /** Number on the accessible Notes sheet. */
  n: number;
  text: string;
  /** Article line the note is taken from (0 when it is this reconstruction's own note). */
  line: number;
}

export const NOTES: NoteSpec[] = [
  { n: 1, line: 121, text: 'Data from SafeLives are not classified as official statistics.' },
  { n: 2, line: 380, text: "Data from Women's Aid Federation of England and Welsh Women's Aid are not classified as official statistics." },
  { n: 3, line: 79, text: "Data from Women's Aid Federation of England are not classified as official statistics." },
  { n: 4, line: 539, text: 'Data from the National Domestic Abuse Helpline, run by Refuge, are sourced from a non-governmental, administrative dataset and are not classified as official statistics.' },
  { n: 5, line: 122, text: 'Outreach and YPVA provision varies widely across regions.' },
  { n: 6, line: 151, text: 'Data for Wigan are not included in the year ending March 2019 and 2020, as this MARAC did not submit data to SafeLives.' },
  { n: 7, line: 171, text: 'The population data are from the 2011 Census.' },
  { n: 8, line: 201, text: "This figure is based on the adult female population because it is mainly female victims referred to a MARAC, and SafeLives' recommendations are built on analysis of female victims." },
  { n: 9, line: 198, text: 'The practitioner survey did not run in 2018 due to moving the timing of the survey from September to January, in order to better align the publication of results with other reporting periods.' },
  { n: 10, line: 199, text: 'Victims at high risk of domestic abuse are those at risk of serious harm or murder.' },
  { n: 11, line: 200, text: "Recommendations are SafeLives', based on typical IDVA caseloads, MARAC cases and estimated number of victims at high risk of serious harm or murder." },
  { n: 12, line: 381, text: 'Data for England and Wales are presented separately because they are sourced from two different data collections.' },
  { n: 13, line: 383, text: 'The total number of referrals for England, and the number that were accepted and declined, are estimates based on response to the annual survey and the total numbers of services listed on Routes to Support.' },
  { n: 14, line: 382, text: 'These figures cannot provide a full picture of demand for refuge services. Some survivors may not disclose abuse and some may not have been referred to a refuge because referring agencies may already be aware that a refuge is full or cannot meet their needs.' },
  { n: 15, line: 80, text: 'Data on refuge services and bed spaces come from snapshots taken in May each year. We can see net change only and not the number of services changing provider as part of the commissioning process.' },
  { n: 16, line: 81, text: 'One unit (bed space) refers to accommodation for one woman or one woman and her children.' },
  { n: 17, line: 82, text: 'The percentage shortfall is calculated using the Council of Europe minimum recommendation of one space per 10,000 population. In instances where the percentage shortfall is a negative value, the number of refuge spaces exceeded the minimum recommendation.' },
  { n: 18, line: 196, text: 'A time series of these data is not available for Wales prior to 2017.' },
  { n: 19, line: 197, text: 'The number of services in Wales is not available for 2019.' },
  { n: 20, line: 0, text: 'The England and Wales totals for 2020 are the sums of the England and Wales figures, calculated in this reconstruction; the article does not state them.' },
  { n: 21, line: 309, text: 'The presence of children in these cases is defined differently across MARACs. As a result, these figures should be treated with caution.' },
  { n: 22, line: 446, text: 'A repeat MARAC case is one in which a further incident is identified within 12 months of a previous referral.' },
  { n: 23, line: 220, text: 'Phone conversations include a small number of hang-ups.' },
  { n: 24, line: 415, text: 'Percentage of interactions with the helpline made by current or historical survivors of domestic abuse, as stated in the article; the article does not give the number of interactions.' },
  { n: 25, line: 563, text: 'From 1 November 2019, the National Domestic Abuse Helpline has been run solely by Refuge.' },
  { n: 26, line: 123, text: 'SafeLives did not receive a response from all domestic abuse services and did not contact all statutory bodies who may provide domestic abuse services.' },
];

function note(n: number): NoteSpec {
  const found = NOTES.find((x) => x.n === n);
  if (!found) throw new Error(`no note ${n}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Sheet specs
// ---------------------------------------------------------------------------------------------

export type CellSpec =
  /** Text (titles, labels, notes). `link` is an in-workbook hyperlink target such as "#'Table_2'!A1". */
  | { kind: 'text'; text: string; link?: string }
  /** A figure stored as a number, with its number format. */
  | { kind: 'number'; figure: Figure; format: string }
  /** A figure stored as TEXT, as old spreadsheets sometimes did ("1,234", "31%"). */
  | { kind: 'numberAsText'; figure: Figure; text: string }
  /** A figure this reconstruction computes (not stated by the article), stored as a plain number. */
  | { kind: 'derived'; value: number; format: string }
  /** A formula with its cached value (computed from figures on the same sheet). */
  | { kind: 'formula'; formula: string; value: number; format: string }
  /** Shorthand where a figure is missing: "..", "n/a" (old style), "[x]", "[z]" (accessible). */
  | { kind: 'shorthand'; text: string };

export type Row = Array<CellSpec | null>;

export interface MergeSpec {
  /** 0-based, inclusive. */
  s: { r: number; c: number };
  e: { r: number; c: number };
}

export interface SheetSpec {
  name: string;
  hidden: boolean;
  rows: Row[];
  merges: MergeSpec[];
  /** 0-based indices of hidden rows. */
  hiddenRows: number[];
  /** Column widths in characters. */
  colWidths: number[];
}

export interface WorkbookSpec {
  title: string;
  subject: string;
  sheets: SheetSpec[];
}

const COUNT = '#,##0';
const ONE_DP = '0.0';

const t = (text: string): CellSpec => ({ kind: 'text', text });
const n = (figure: Figure, format = COUNT): CellSpec => ({ kind: 'number', figure, format });
const asText = (figure: Figure, text: string): CellSpec => ({ kind: 'numberAsText', figure, text });
const sh = (text: string): CellSpec => ({ kind: 'shorthand', text });

/** Builds one sheet row by row. */
class Grid {
  readonly rows: Row[] = [];
  readonly merges: MergeSpec[] = [];
  readonly hiddenRows: number[] = [];

  /** Appends a row; returns its 0-based index. */
  add(...cells: Row): number {
    this.rows.push(cells);
    return this.rows.length - 1;
  }

  blank(): number {
    return this.add();
  }

  merge(r0: number, c0: number, r1: number, c1: number): void {
    this.merges.push({ s: { r: r0, c: c0 }, e: { r: r1, c: c1 } });
  }

  hide(r: number): void {
    this.hiddenRows.push(r);
  }

  sheet(name: string, colWidths: number[], hidden = false): SheetSpec {
    return { name, hidden, rows: this.rows, merges: this.merges, hiddenRows: this.hiddenRows, colWidths };
  }
}

// ---------------------------------------------------------------------------------------------
// Old style (before 2021)
// ---------------------------------------------------------------------------------------------

/** Old-style missing-figure symbols, explained on the Contents sheet. */
const NA = '..';
const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
const NOT_APPLICABLE = 'n/a';

interface OldTable {
  sheet: string;
  /** Title without the footnote marker. */
  title: string;
  /** Footnote marker appended to the title: superscript "¹" or a glued " 1" as some old sheets had. */
  marker: string;
}

const OLD_TABLES: OldTable[] = [
  { sheet: 'Table 1', title: 'Table 1: Domestic abuse full-time equivalent practitioners, England and Wales, 2017 and 2019', marker: '¹' },
  { sheet: 'Table 2', title: 'Table 2: Cases discussed at multi-agency risk assessment conferences (MARACs), year ending March 2018 to year ending March 2020', marker: '¹' },
  { sheet: 'Table 2a', title: 'Table 2a: Full-time equivalent independent domestic violence advisors (IDVAs), England and Wales and London, 2017 to 2019', marker: '¹' },
  { sheet: 'Table 3', title: 'Table 3: Referrals of women to refuge services in England and Wales in the year ending March 2017 to the year ending March 2019', marker: '¹' },
  { sheet: 'Table 4', title: 'Table 4: Referrals of women to community-based services in England and Wales in the year ending March 2017 to the year ending March 2019', marker: ' 1' },
  { sheet: 'Table 7', title: 'Table 7: Domestic abuse helpline services, England and Wales, 2017 to 2020', marker: '¹' },
  { sheet: 'Table 8', title: 'Table 8: Refuge services and refuge bed spaces, England and Wales, 2010 to 2020', marker: '¹' },
  { sheet: 'Table 15a', title: 'Table 15a: Multi-agency risk assessment conferences (MARACs) by police force area, year ending March 2020', marker: '¹' },
  { sheet: 'Table 29', title: 'Table 29: National Domestic Abuse Helpline phone conversations, year ending March 2019 and year ending March 2020', marker: '¹' },
];

function oldTable(sheet: string): OldTable {
  const found = OLD_TABLES.find((x) => x.sheet === sheet);
  if (!found) throw new Error(`no old-style table ${sheet}`);
  return found;
}

/** Title row, blank row; returns the grid. */
function oldStart(sheet: string): Grid {
  const g = new Grid();
  const table = oldTable(sheet);
  g.add(t(table.title + table.marker));
  g.blank();
  return g;
}

/** "Source: …" and "Notes:" with the notes numbered 1, 2, 3… directly below the table. */
function oldFooter(g: Grid, source: string, notes: number[], hiddenNotes: number[] = []): void {
  g.add(t(`Source: ${source}`));
  g.add(t('Notes:'));
  notes.forEach((id, i) => {
    const r = g.add(t(`${i + 1}. ${note(id).text}`));
    if (hiddenNotes.includes(id)) g.hide(r);
  });
}

function oldContents(): SheetSpec {
  const g = new Grid();
  g.add(t(`${ARTICLE_TITLE}: appendix tables`));
  g.add(t(`Reconstruction built by davs from the figures stated in the ONS article of ${RELEASE_DATE} (${ARTICLE_FILE}); it is not the ONS appendix tables file.`));
  g.blank();
  g.add(t('Contents'));
  for (const table of OLD_TABLES) g.add(t(table.sheet), t(table.title.replace(/^Table \w+: /, '')));
  g.blank();
  g.add(t('Symbols'));
  g.add(t(NA), t('not available (or not stated in the article)'));
  g.add(t(NOT_APPLICABLE), t('not applicable'));
  g.blank();
  g.add(t(`Release date: ${RELEASE_DATE}`));
  g.add(t('Contact: Nick Stripe, crimestatistics@ons.gov.uk, +44 (0)20 7592 8695'));
  return g.sheet('Contents', [12, 120]);
}

function oldTable1(): SheetSpec {
  const g = oldStart('Table 1');
  const h1 = g.add(t('England and Wales'), t('Full-time equivalent practitioners'), null);
  const h2 = g.add(null, t('2017'), t('2019'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h1, 2);
  g.add(t('Independent domestic violence advisor (IDVAs) - All risk levels'), n(T1.idva[0]!), n(T1.idva[1]!));
  g.add(t('Outreach workers²'), n(T1.outreach[0]!), n(T1.outreach[1]!));
  g.add(t("Young person's violence advisors²"), n(T1.ypva[0]!), n(T1.ypva[1]!));
  oldFooter(g, 'SafeLives', [1, 5, 26]);
  return g.sheet('Table 1', [62, 14, 14]);
}

function oldTable2(): SheetSpec {
  const g = oldStart('Table 2');
  const h1 = g.add(t('England and Wales'), t('Year ending March'), null, null);
  const h2 = g.add(null, t('2018'), t('2019'), t('2020'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h1, 3);
  const row = (label: string, figures: Figure[]) => g.add(t(label), ...figures.map((f) => n(f)));
  row('Number of MARACs', T2.maracs);
  row('Number of cases discussed', T2.cases);
  row('Recommended number of cases discussed', T2.recommendedCases);
  row('Number of cases discussed per 10,000 adult females⁴', T2.perTenThousand);
  row('Recommended number of cases per 10,000 adult females', T2.recommendedPerTenThousand);
  row('Percentage of repeat cases', T2.repeatPercent);
  // note 3 (the 2011 Census population, from Figure 2's notes) is on a hidden row, as old sheets kept
  // superseded notes: the visible notes read 1, 2, 4.
  oldFooter(g, 'SafeLives', [1, 6, 7, 8], [7]);
  return g.sheet('Table 2', [58, 12, 12, 12]);
}

function oldTable2a(): SheetSpec {
  const g = oldStart('Table 2a');
  const h1 = g.add(t('Area'), t('Measure'), t('Full-time equivalent'), null, null);
  const h2 = g.add(null, null, t('2017'), t('2018'), t('2019'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h2, 1);
  g.merge(h1, 2, h1, 4);
  const na = sh(NOT_APPLICABLE);
  const ew0 = g.add(t('England and Wales'), t('IDVAs, all risk levels'), n(T2A.allRisk.y2017), na, n(T2A.allRisk.y2019));
  g.add(null, t('IDVAs for victims at high risk³'), n(T2A.highRisk.y2017), na, n(T2A.highRisk.y2019));
  // stored as text, as in old sheets typed by hand
  g.add(null, t('SafeLives recommended number of IDVAs⁴'), asText(T2A.recommended.y2017, '1,059'), na, n(T2A.recommended.y2019));
  const ew1 = g.add(null, t('Percentage shortfall in coverage'), sh(NA), na, n(T2A.shortfallPercent2019));
  const ld0 = g.add(t('London'), t('IDVAs for victims at high risk³'), sh(NA), na, n(T2A.londonHighRisk2019));
  const ld1 = g.add(null, t('SafeLives recommended number of IDVAs⁴'), sh(NA), na, n(T2A.londonRecommended2019));
  g.merge(ew0, 0, ew1, 0);
  g.merge(ld0, 0, ld1, 0);
  oldFooter(g, 'SafeLives', [1, 9, 10, 11]);
  return g.sheet('Table 2a', [20, 44, 10, 10, 10]);
}

type Referrals = typeof T3;

/** Tables 3 and 4 as the article lays them out; the England total carries the marker of note 13 (estimates). */
function oldReferrals(sheet: 'Table 3' | 'Table 4', data: Referrals, source: string, notes: number[], textStored?: string): SheetSpec {
  const g = oldStart(sheet);
  g.add(null, null, t('April 2016 to March 2017'), t('April 2017 to March 2018'), t('April 2018 to March 2019'));
  const pct = (figures: Figure[]) => figures.map((f) => n(f, '0'));
  const total = data.england.total;
  const firstTotal = textStored ? asText(total[0]!, textStored) : n(total[0]!);
  const marker = SUPERSCRIPT[notes.indexOf(13) + 1] ?? '';
  const e0 = g.add(t('England'), t(`Total referrals${marker}`), firstTotal, n(total[1]!), n(total[2]!));
  g.add(null, t('% Accepted'), ...pct(data.england.accepted));
  const e1 = g.add(null, t('% Declined'), ...pct(data.england.declined));
  const w0 = g.add(t('Wales'), t('Total referrals'), ...data.wales.total.map((f) => n(f)));
  g.add(null, t('% Accepted'), ...pct(data.wales.accepted));
  g.add(null, t('% Declined'), ...pct(data.wales.declined));
  const w1 = g.add(null, t('% Support not accepted by client'), ...pct(data.wales.notAccepted));
  g.merge(e0, 0, e1, 0);
  g.merge(w0, 0, w1, 0);
  oldFooter(g, source, notes);
  return g.sheet(sheet, [12, 34, 16, 16, 16]);
}

const WOMENS_AID_SURVEY = "Women's Aid Federation of England and Welsh Women's Aid - Women's Aid Annual Survey";
const ROUTES_TO_SUPPORT = "Women's Aid Federation of England – data from Routes to Support, the UK violence against women and girls service directory";

function oldTable7(): SheetSpec {
  const g = oldStart('Table 7');
  const h1 = g.add(t('Country'), t('Number of domestic abuse helpline services'), null, null, null);
  const h2 = g.add(null, t('2017'), t('2018'), t('2019'), t('2020'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h1, 4);
  const na = () => sh(NA);
  g.add(t('England'), na(), na(), n(T7.england2019), n(T7.england2020));
  g.add(t('Wales³'), na(), n(T7.wales2018), na(), n(T7.wales2020));
  g.add(t('England and Wales'), n(T7.englandAndWales2017), n(T7.englandAndWales2018), na(), na());
  oldFooter(g, ROUTES_TO_SUPPORT, [3, 18, 19]);
  return g.sheet('Table 7', [22, 10, 10, 10, 10]);
}

function oldTable8(): SheetSpec {
  const g = oldStart('Table 8');
  const h1 = g.add(t('Country'), t('Refuge services²'), null, null, null, t('Refuge bed spaces³'), null, null, null, t('Percentage shortfall in refuge spaces⁴'), null);
  const h2 = g.add(null, t('2010'), t('2018'), t('2019'), t('2020'), t('2015'), t('2018'), t('2019'), t('2020'), t('2015'), t('2020'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h1, 4);
  g.merge(h1, 5, h1, 8);
  g.merge(h1, 9, h1, 10);
  const na = () => sh(NA);
  const england = g.add(t('England'), n(T8.englandServices2010), na(), na(), n(T8.englandServices2020), n(T8.englandBeds2015), na(), na(), n(T8.englandBeds2020), n(T8.englandShortfall2015, ONE_DP), n(T8.englandShortfall2020, ONE_DP));
  const wales = g.add(t('Wales⁵'), na(), n(T8.walesServices2018), na(), n(T8.walesServices2020), na(), n(T8.walesBeds2018), n(T8.walesBeds2019), n(T8.walesBeds2020), na(), na());
  // rows 1-based in A1 notation: the England row and the Wales row, summed down columns E and I
  const sum = (col: string) => `SUM(${col}${england + 1}:${col}${wales + 1})`;
  g.add(
    t('England and Wales⁶'),
    na(),
    na(),
    na(),
    { kind: 'formula', formula: sum('E'), value: T8_TOTALS_2020.services, format: COUNT },
    na(),
    na(),
    na(),
    { kind: 'formula', formula: sum('I'), value: T8_TOTALS_2020.beds, format: COUNT },
    na(),
    na(),
  );
  oldFooter(g, ROUTES_TO_SUPPORT, [3, 15, 16, 17, 19, 20, 18]);
  return g.sheet('Table 8', [22, 9, 9, 9, 9, 9, 9, 9, 9, 12, 12]);
}

function oldTable15a(): SheetSpec {
  const g = oldStart('Table 15a');
  const h1 = g.add(t('Police force area'), t('Year ending March 2020'), null, null, null, null);
  const h2 = g.add(null, t('Number of MARACs'), t('Number of cases discussed'), t('Cases discussed per 10,000 adult females²'), t('Number of children in households³'), t('Percentage of repeat cases⁴'));
  g.merge(h1, 0, h2, 0);
  g.merge(h1, 1, h1, 5);
  const na = () => sh(NA);
  // the repeat-case percentage is stored as the text "31%", as hand-typed old sheets had it
  g.add(t('England and Wales⁵'), n(T15A.maracs), n(T15A.cases), n(T15A.perTenThousand), n(T15A.children), asText(T15A.repeatPercent, '31%'));
  g.add(t('Gloucestershire'), na(), na(), n(T15A.gloucestershirePerTenThousand), na(), na());
  g.add(t('South Wales'), na(), na(), n(T15A.southWalesPerTenThousand), na(), na());
  oldFooter(g, 'SafeLives', [1, 8, 21, 22, 6]);
  return g.sheet('Table 15a', [24, 12, 14, 20, 18, 14]);
}

function oldTable29(): SheetSpec {
  const g = oldStart('Table 29');
  const h1 = g.add(null, t('Year ending March'), null);
  const h2 = g.add(null, t('2019'), t('2020³'));
  g.merge(h1, 1, h1, 2);
  g.merge(h1, 0, h2, 0);
  g.add(t('Phone conversations²'), n(T29.conversations[0]!), n(T29.conversations[1]!));
  g.add(t('  of which with current or historical survivors of domestic abuse'), n(T29.withSurvivors[0]!), n(T29.withSurvivors[1]!));
  g.add(t('Percentage of interactions made by current or historical survivors⁴'), sh(NA), n(T29.interactionsBySurvivorsPercent2020, '0'));
  oldFooter(g, 'Refuge – National Domestic Abuse Helpline', [4, 23, 25, 24]);
  return g.sheet('Table 29', [66, 12, 12]);
}

/** A lookup list, hidden as old workbooks hid the lists behind their drop-downs. */
function oldLookup(): SheetSpec {
  const g = new Grid();
  g.add(t('Area code'), t('Area name'));
  g.add(t('K04000001'), t('England and Wales'));
  g.add(t('E92000001'), t('England'));
  g.add(t('W92000004'), t('Wales'));
  return g.sheet('Lookup', [12, 20], true);
}

export function oldStyleWorkbook(): WorkbookSpec {
  return {
    title: `${ARTICLE_TITLE}: appendix tables (reconstruction)`,
    subject: `Reconstruction by davs from the figures stated in the ONS article of ${RELEASE_DATE}`,
    sheets: [
      oldContents(),
      oldTable1(),
      oldTable2(),
      oldTable2a(),
      oldReferrals('Table 3', T3, WOMENS_AID_SURVEY, [2, 12, 14, 13], '35,143'),
      oldReferrals('Table 4', T4, WOMENS_AID_SURVEY, [2, 12, 13]),
      oldTable7(),
      oldTable8(),
      oldTable15a(),
      oldTable29(),
      oldLookup(),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Accessible style (from 2021)
// ---------------------------------------------------------------------------------------------

const X = '[x]';
const Z = '[z]';

interface AccessibleTable {
  sheet: string;
  title: string;
  source: string;
}

const ACCESSIBLE_TABLES: AccessibleTable[] = [
  { sheet: 'Table_1', title: 'Table 1: Domestic abuse full-time equivalent practitioners, England and Wales, 2017 and 2019', source: 'SafeLives' },
  { sheet: 'Table_2', title: 'Table 2: Cases discussed at multi-agency risk assessment conferences (MARACs), England and Wales, year ending March 2018 to year ending March 2020', source: 'SafeLives' },
  { sheet: 'Table_2a', title: 'Table 2a: Full-time equivalent independent domestic violence advisors (IDVAs), England and Wales and London, 2017 to 2019', source: 'SafeLives' },
  { sheet: 'Table_3', title: 'Table 3: Referrals of women to refuge services, England and Wales, year ending March 2017 to year ending March 2019', source: WOMENS_AID_SURVEY },
  { sheet: 'Table_4', title: 'Table 4: Referrals of women to community-based services, England and Wales, year ending March 2017 to year ending March 2019', source: WOMENS_AID_SURVEY },
  { sheet: 'Table_7', title: 'Table 7: Domestic abuse helpline services, England and Wales, 2017 to 2020', source: ROUTES_TO_SUPPORT },
  { sheet: 'Table_8', title: 'Table 8: Refuge services and refuge bed spaces, England and Wales, 2010 to 2020', source: ROUTES_TO_SUPPORT },
  { sheet: 'Table_15a', title: 'Table 15a: Multi-agency risk assessment conferences (MARACs) by police force area, year ending March 2020', source: 'SafeLives' },
  { sheet: 'Table_29', title: 'Table 29: National Domestic Abuse Helpline phone conversations, year ending March 2019 and year ending March 2020', source: 'Refuge – National Domestic Abuse Helpline' },
];

function accessibleTable(sheet: string): AccessibleTable {
  const found = ACCESSIBLE_TABLES.find((x) => x.sheet === sheet);
  if (!found) throw new Error(`no accessible table ${sheet}`);
  return found;
}

/** A1 title, the table count, the notes pointer and the source, as the standard has them. */
function accessibleStart(sheet: string, tables: 'one' | 'two' = 'one'): Grid {
  const g = new Grid();
  const table = accessibleTable(sheet);
  g.add(t(table.title));
  g.add(t(`This worksheet contains ${tables} table${tables === 'one' ? '' : 's'}.`));
  g.add(t('Some cells refer to notes which can be found on the Notes worksheet.'));
  g.add(t(`Source: ${table.source}`));
  return g;
}

function accessibleCover(): SheetSpec {
  const g = new Grid();
  g.add(t(`${ARTICLE_TITLE}: appendix tables`));
  g.add(
    t(
      `This workbook is a reconstruction built by davs from the figures stated in the ONS article "${ARTICLE_TITLE}" (${ARTICLE_FILE}). It is not the ONS appendix tables file: it holds only the figures the article states, for the periods the article gives.`,
    ),
  );
  g.add(t('Release date'));
  g.add(t(RELEASE_DATE));
  g.add(t('Next release'));
  g.add(t('To be announced'));
  g.add(t('Source'));
  g.add(t(`Office for National Statistics, "${ARTICLE_TITLE}", using data from SafeLives, Women's Aid Federation of England, Welsh Women's Aid and Refuge.`));
  g.add(t('Shorthand'));
  g.add(t('[x] = not available (the source did not collect the figure, or the article does not state it)'));
  g.add(t('[z] = not applicable'));
  g.add(t('Contact'));
  g.add(t('Nick Stripe'));
  g.add(t('crimestatistics@ons.gov.uk'));
  g.add(t('+44 (0)20 7592 8695'));
  return g.sheet('Cover', [120]);
}

function accessibleContents(): SheetSpec {
  const g = new Grid();
  g.add(t('Table of contents'));
  g.add(t('This worksheet contains one table.'));
  g.add(t('Worksheet name'), t('Table title'), t('Source'));
  g.add({ kind: 'text', text: 'Notes', link: "#'Notes'!A1" }, t('Notes used in this workbook'), null);
  for (const table of ACCESSIBLE_TABLES) g.add({ kind: 'text', text: table.sheet, link: `#'${table.sheet}'!A1` }, t(table.title), t(table.source));
  return g.sheet('Contents', [14, 120, 60]);
}

function accessibleNotes(): SheetSpec {
  const g = new Grid();
  g.add(t('Notes'));
  g.add(t('This worksheet contains one table.'));
  g.add(t('Note number'), t('Note text'));
  for (const x of NOTES) g.add(t(`[note ${x.n}]`), t(x.text));
  return g.sheet('Notes', [14, 140]);
}

function accessibleTable1(): SheetSpec {
  const g = accessibleStart('Table_1');
  g.add(t('Practitioner type [note 1] [note 26]'), t('2017'), t('2019'));
  g.add(t('Independent domestic violence advisors (IDVAs), all risk levels'), n(T1.idva[0]!), n(T1.idva[1]!));
  g.add(t('Outreach workers [note 5]'), n(T1.outreach[0]!), n(T1.outreach[1]!));
  g.add(t("Young person's violence advisors [note 5]"), n(T1.ypva[0]!), n(T1.ypva[1]!));
  return g.sheet('Table_1', [62, 12, 12]);
}

function accessibleTable2(): SheetSpec {
  const g = accessibleStart('Table_2');
  g.add(t('Measure [note 1]'), t('Year ending March 2018'), t('Year ending March 2019 [note 6]'), t('Year ending March 2020 [note 6]'));
  const row = (label: string, figures: Figure[]) => g.add(t(label), ...figures.map((f) => n(f)));
  row('Number of MARACs', T2.maracs);
  row('Number of cases discussed', T2.cases);
  row('Recommended number of cases discussed', T2.recommendedCases);
  row('Number of cases discussed per 10,000 adult females [note 7] [note 8]', T2.perTenThousand);
  row('Recommended number of cases per 10,000 adult females', T2.recommendedPerTenThousand);
  row('Percentage of repeat cases', T2.repeatPercent);
  return g.sheet('Table_2', [66, 24, 30, 30]);
}

function accessibleTable2a(): SheetSpec {
  const g = accessibleStart('Table_2a');
  // 2018: the survey did not run, so there is no figure to give: [z]
  g.add(t('Area'), t('Measure [note 1]'), t('2017'), t('2018 [note 9]'), t('2019'));
  const z = () => sh(Z);
  const x = () => sh(X);
  g.add(t('England and Wales'), t('IDVAs, all risk levels (full-time equivalent)'), n(T2A.allRisk.y2017), z(), n(T2A.allRisk.y2019));
  g.add(t('England and Wales'), t('IDVAs for victims at high risk (full-time equivalent) [note 10]'), n(T2A.highRisk.y2017), z(), n(T2A.highRisk.y2019));
  g.add(t('England and Wales'), t('SafeLives recommended number of IDVAs [note 11]'), n(T2A.recommended.y2017), z(), n(T2A.recommended.y2019));
  g.add(t('England and Wales'), t('Percentage shortfall in coverage'), x(), z(), n(T2A.shortfallPercent2019, '0'));
  g.add(t('London'), t('IDVAs for victims at high risk (full-time equivalent) [note 10]'), x(), z(), n(T2A.londonHighRisk2019));
  g.add(t('London'), t('SafeLives recommended number of IDVAs [note 11]'), x(), z(), n(T2A.londonRecommended2019));
  return g.sheet('Table_2a', [20, 62, 10, 14, 10]);
}

const PERIODS = ['April 2016 to March 2017', 'April 2017 to March 2018', 'April 2018 to March 2019'];

/** Table_3 holds TWO tables, one below the other: England and Wales come from different collections. */
function accessibleTable3(): SheetSpec {
  const g = accessibleStart('Table_3', 'two');
  const pct = (figures: Figure[]) => figures.map((f) => n(f, '0'));
  g.add(t('Table 3a: Referrals of women to refuge services, England'));
  g.add(t('Measure [note 2] [note 12] [note 14]'), ...PERIODS.map((p) => t(p)));
  g.add(t('Total referrals [note 13]'), ...T3.england.total.map((f) => n(f)));
  g.add(t('Accepted (%)'), ...pct(T3.england.accepted));
  g.add(t('Declined (%)'), ...pct(T3.england.declined));
  g.blank();
  g.add(t('Table 3b: Referrals of women to refuge services, Wales'));
  g.add(t('Measure [note 2] [note 12] [note 14]'), ...PERIODS.map((p) => t(p)));
  g.add(t('Total referrals'), ...T3.wales.total.map((f) => n(f)));
  g.add(t('Accepted (%)'), ...pct(T3.wales.accepted));
  g.add(t('Declined (%)'), ...pct(T3.wales.declined));
  g.add(t('Support not accepted by client (%)'), ...pct(T3.wales.notAccepted));
  return g.sheet('Table_3', [44, 26, 26, 26]);
}

function accessibleTable4(): SheetSpec {
  const g = accessibleStart('Table_4');
  const pct = (figures: Figure[]) => figures.map((f) => n(f, '0'));
  g.add(t('Country [note 12]'), t('Measure [note 2]'), ...PERIODS.map((p) => t(p)));
  g.add(t('England'), t('Total referrals [note 13]'), ...T4.england.total.map((f) => n(f)));
  g.add(t('England'), t('Accepted (%)'), ...pct(T4.england.accepted));
  g.add(t('England'), t('Declined (%)'), ...pct(T4.england.declined));
  g.add(t('Wales'), t('Total referrals'), ...T4.wales.total.map((f) => n(f)));
  g.add(t('Wales'), t('Accepted (%)'), ...pct(T4.wales.accepted));
  g.add(t('Wales'), t('Declined (%)'), ...pct(T4.wales.declined));
  g.add(t('Wales'), t('Support not accepted by client (%)'), ...pct(T4.wales.notAccepted));
  return g.sheet('Table_4', [18, 36, 26, 26, 26]);
}

function accessibleTable7(): SheetSpec {
  const g = accessibleStart('Table_7');
  const x = () => sh(X);
  g.add(t('Country [note 3]'), t('2017'), t('2018'), t('2019 [note 19]'), t('2020'));
  g.add(t('England'), x(), x(), n(T7.england2019), n(T7.england2020));
  g.add(t('Wales [note 18]'), x(), n(T7.wales2018), x(), n(T7.wales2020));
  g.add(t('England and Wales'), n(T7.englandAndWales2017), n(T7.englandAndWales2018), x(), x());
  return g.sheet('Table_7', [22, 10, 10, 16, 10]);
}

function accessibleTable8(): SheetSpec {
  const g = accessibleStart('Table_8');
  const x = () => sh(X);
  g.add(
    t('Country [note 3] [note 15]'),
    t('Refuge services 2010'),
    t('Refuge services 2018'),
    t('Refuge services 2019 [note 19]'),
    t('Refuge services 2020'),
    t('Refuge bed spaces 2015 [note 16]'),
    t('Refuge bed spaces 2018 [note 16]'),
    t('Refuge bed spaces 2019 [note 16]'),
    t('Refuge bed spaces 2020 [note 16]'),
    t('Percentage shortfall in refuge spaces 2015 [note 17]'),
    t('Percentage shortfall in refuge spaces 2020 [note 17]'),
  );
  g.add(t('England'), n(T8.englandServices2010), x(), x(), n(T8.englandServices2020), n(T8.englandBeds2015), x(), x(), n(T8.englandBeds2020), n(T8.englandShortfall2015, ONE_DP), n(T8.englandShortfall2020, ONE_DP));
  g.add(t('Wales [note 18]'), x(), n(T8.walesServices2018), x(), n(T8.walesServices2020), x(), n(T8.walesBeds2018), n(T8.walesBeds2019), n(T8.walesBeds2020), x(), x());
  g.add(
    t('England and Wales [note 20]'),
    x(),
    x(),
    x(),
    { kind: 'derived', value: T8_TOTALS_2020.services, format: COUNT },
    x(),
    x(),
    x(),
    { kind: 'derived', value: T8_TOTALS_2020.beds, format: COUNT },
    x(),
    x(),
  );
  return g.sheet('Table_8', [30, 14, 14, 18, 14, 18, 18, 18, 18, 22, 22]);
}

function accessibleTable15a(): SheetSpec {
  const g = accessibleStart('Table_15a');
  const x = () => sh(X);
  g.add(
    t('Police force area [note 1]'),
    t('Number of MARACs'),
    t('Number of cases discussed [note 6]'),
    t('Cases discussed per 10,000 adult females [note 8]'),
    t('Number of children in households [note 21]'),
    t('Percentage of repeat cases [note 22]'),
  );
  g.add(t('England and Wales'), n(T15A.maracs), n(T15A.cases), n(T15A.perTenThousand), n(T15A.children), n(T15A.repeatPercent, '0'));
  g.add(t('Gloucestershire'), x(), x(), n(T15A.gloucestershirePerTenThousand), x(), x());
  g.add(t('South Wales'), x(), x(), n(T15A.southWalesPerTenThousand), x(), x());
  return g.sheet('Table_15a', [26, 18, 24, 26, 26, 24]);
}

function accessibleTable29(): SheetSpec {
  const g = accessibleStart('Table_29');
  g.add(t('Measure [note 4]'), t('Year ending March 2019'), t('Year ending March 2020 [note 25]'));
  g.add(t('Phone conversations [note 23]'), n(T29.conversations[0]!), n(T29.conversations[1]!));
  g.add(t('Phone conversations with current or historical survivors of domestic abuse'), n(T29.withSurvivors[0]!), n(T29.withSurvivors[1]!));
  g.add(t('Percentage of interactions made by current or historical survivors [note 24]'), sh(X), n(T29.interactionsBySurvivorsPercent2020, '0'));
  return g.sheet('Table_29', [76, 24, 32]);
}

export function accessibleWorkbook(): WorkbookSpec {
  return {
    title: `${ARTICLE_TITLE}: appendix tables (accessible edition, reconstruction)`,
    subject: `Reconstruction by davs from the figures stated in the ONS article of ${RELEASE_DATE}`,
    sheets: [
      accessibleCover(),
      accessibleContents(),
      accessibleNotes(),
      accessibleTable1(),
      accessibleTable2(),
      accessibleTable2a(),
      accessibleTable3(),
      accessibleTable4(),
      accessibleTable7(),
      accessibleTable8(),
      accessibleTable15a(),
      accessibleTable29(),
    ],
  };
}

/** Every figure cell of a workbook spec (number or number-stored-as-text), with its sheet. */
export function figureCells(spec: WorkbookSpec): Array<{ sheet: string; figure: Figure; asText: boolean }> {
  const out: Array<{ sheet: string; figure: Figure; asText: boolean }> = [];
  for (const sheet of spec.sheets)
    for (const row of sheet.rows)
      for (const cell of row) {
        if (cell?.kind === 'number') out.push({ sheet: sheet.name, figure: cell.figure, asText: false });
        if (cell?.kind === 'numberAsText') out.push({ sheet: sheet.name, figure: cell.figure, asText: true });
      }
  return out;
}
