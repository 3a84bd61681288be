/**
 * Period phrases as publishers write them, normalised so that the same period compares equal:
 *   "year ending March 2020", "April 2019 to March 2020", "2019-20" → "YE 2020-03"
 *   "March 2020" → "2020-03";  "2020" → "2020".
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sept?', 'oct', 'nov', 'dec'];
const MONTH = `(${MONTHS.join('|')}|${ABBREVIATIONS.join('|')})`;

interface PeriodPattern {
  re: RegExp;
  normalise: (m: RegExpExecArray) => string | null;
}

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3))) + 1;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function yearEnding(month: number, year: number): string {
  return `YE ${year}-${pad2(month)}`;
}

const PATTERNS: PeriodPattern[] = [
  {
    re: new RegExp(`\\b(?:12|twelve)[- ]month period (?:up to|ending|to) ${MONTH} (\\d{4})\\b`, 'gi'),
    normalise: (m) => yearEnding(monthIndex(m[1]!), Number(m[2])),
  },
  {
    re: new RegExp(`\\byears? ending ${MONTH} (\\d{4})\\b`, 'gi'),
    normalise: (m) => yearEnding(monthIndex(m[1]!), Number(m[2])),
  },
  {
    re: new RegExp(`\\b${MONTH} (\\d{4}) to ${MONTH} (\\d{4})\\b`, 'gi'),
    normalise: (m) => {
      const start = Number(m[2]) * 12 + monthIndex(m[1]!);
      const end = Number(m[4]) * 12 + monthIndex(m[3]!);
      return end - start === 11 ? yearEnding(monthIndex(m[3]!), Number(m[4])) : `${m[2]}-${pad2(monthIndex(m[1]!))}/${m[4]}-${pad2(monthIndex(m[3]!))}`;
    },
  },
  {
    // financial years "2019-20", "2019/20", "2019 – 2020": April to March in UK public statistics
    re: /\b(19|20)(\d{2})\s?[-/–]\s?(?:(19|20))?(\d{2})\b/g,
    normalise: (m) => {
      const start = Number(m[1]! + m[2]!);
      const endShort = Number(m[4]);
      const end = m[3] ? Number(m[3] + m[4]) : Math.floor(start / 100) * 100 + endShort;
      return end === start + 1 ? yearEnding(3, end) : null;
    },
  },
  {
    re: new RegExp(`\\b${MONTH} (\\d{4})\\b`, 'gi'),
    normalise: (m) => `${m[2]}-${pad2(monthIndex(m[1]!))}`,
  },
  {
    re: /\b(19[5-9]\d|20\d\d)\b/g,
    normalise: (m) => m[1]!,
  },
];

export interface FoundPeriod {
  text: string;
  period: string;
  offset: number;
  end: number;
}

/** Every period phrase in `text`, longest match first where they overlap, in order of position. */
export function findPeriods(text: string): FoundPeriod[] {
  // What earlier (longer) patterns took, in order of position: taken spans never overlap, and one
  // pattern's matches come in order of position, so each pattern is checked against them in one sweep.
  let taken: FoundPeriod[] = [];
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    const added: FoundPeriod[] = [];
    let t = 0;
    for (let m = pattern.re.exec(text); m; m = pattern.re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      while (t < taken.length && taken[t]!.end <= start) t++;
      if (t < taken.length && taken[t]!.offset < end) continue; // overlaps a span already taken
      const period = pattern.normalise(m);
      if (period === null) continue;
      added.push({ text: m[0], period, offset: start, end });
    }
    if (added.length > 0) taken = mergeByOffset(taken, added);
  }
  return taken;
}

function mergeByOffset(a: readonly FoundPeriod[], b: readonly FoundPeriod[]): FoundPeriod[] {
  const out: FoundPeriod[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.offset <= b[j]!.offset)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** The single period a header or label names, or null if none or several. */
export function periodOf(text: string): string | null {
  const found = findPeriods(text);
  return found.length === 1 ? found[0]!.period : null;
}

/** True when the whole text is a period ("2020", "Year ending March 2019", "2019-20"). */
export function isPeriodText(text: string): boolean {
  const t = text.trim();
  const found = findPeriods(t);
  return found.length === 1 && found[0]!.offset === 0 && found[0]!.end === t.length;
}

/**
 * What kind of period a normalised period text is:
 *   'year_ending'    'YE 2020-03': the 12 months ending March 2020 (2019-04-01 to 2020-03-31)
 *   'financial_year' the same 12 months April–March, when the printed label is a financial year ('2017/18', '2017-18', 'financial year ending March 2018')
 *   'calendar_year'  '2019': 2019-01-01 to 2019-12-31
 *   'quarter'        '2016-04/2016-06': three months starting January, April, July or October
 *   'range'          '2019-04/2019-09': any other span of whole months
 *   'snapshot'       '2020-03': a month named on its own (an 'as at' month or that month's figure): the month's first to last day;
 *                    '2020-03-31': that day
 */
export type PeriodType = 'year_ending' | 'financial_year' | 'calendar_year' | 'quarter' | 'range' | 'snapshot';

export interface Period {
  type: PeriodType;
  /** First day of the period, 'YYYY-MM-DD'. */
  start: string;
  /** Last day of the period, 'YYYY-MM-DD'. */
  end: string;
  /** The period as printed (the normalised text when no printed label was given). */
  label: string;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Month number 1–12 of a two-digit month, or null. */
function validMonth(text: string): number | null {
  const m = Number(text);
  return m >= 1 && m <= 12 ? m : null;
}

/** A printed financial year: '2017/18', '2017-18', '2017–2018', or the words 'financial year'. */
const FINANCIAL_YEAR_LABEL = /^\s*(?:FY\s?)?(?:19|20)\d{2}\s?[-/–]\s?(?:19|20)?\d{2}\s*$|\bfinancial year\b/i;

/**
 * Pure: the typed period of a normalised period text ('YE 2020-03', '2019', '2020-03', '2016-04/2016-06',
 * '2020-03-31'), with `label` (the text as printed) deciding only between 'year_ending' and 'financial_year'.
 * Null for anything else: an unknown form, a month 13, a span that ends before it starts. Never a guess.
 */
export function typePeriod(period: string, label?: string | null): Period | null {
  const shown = label ?? period;
  let m = /^YE (\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    const month = validMonth(m[2]!);
    if (month === null) return null;
    const startMonth = (month % 12) + 1;
    const financial = month === 3 && label != null && FINANCIAL_YEAR_LABEL.test(label) && periodOf(label.replace(/\bfinancial year\b/gi, 'year')) === period;
    return {
      type: financial ? 'financial_year' : 'year_ending',
      start: isoDate(month === 12 ? year : year - 1, startMonth, 1),
      end: isoDate(year, month, lastDay(year, month)),
      label: shown,
    };
  }
  m = /^(\d{4})$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    return { type: 'calendar_year', start: isoDate(year, 1, 1), end: isoDate(year, 12, 31), label: shown };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    const month = validMonth(m[2]!);
    if (month === null) return null;
    return { type: 'snapshot', start: isoDate(year, month, 1), end: isoDate(year, month, lastDay(year, month)), label: shown };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (m) {
    const [year, month, day] = [Number(m[1]), validMonth(m[2]!), Number(m[3])];
    if (month === null || day < 1 || day > lastDay(year, month)) return null;
    const date = isoDate(year, month, day);
    return { type: 'snapshot', start: date, end: date, label: shown };
  }
  m = /^(\d{4})-(\d{2})\/(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const [y1, m1, y2, m2] = [Number(m[1]), validMonth(m[2]!), Number(m[3]), validMonth(m[4]!)];
    if (m1 === null || m2 === null) return null;
    const months = y2 * 12 + m2 - (y1 * 12 + m1) + 1;
    if (months < 1) return null;
    return {
      type: months === 3 && m1 % 3 === 1 ? 'quarter' : 'range',
      start: isoDate(y1, m1, 1),
      end: isoDate(y2, m2, lastDay(y2, m2)),
      label: shown,
    };
  }
  return null;
}

/**
 * The typed period a printed label is ('2017/18', 'Year ending March 2020', 'Financial year 2017/18'), or null
 * unless the whole label is one period phrase: 'Q1 2020' and 'January to March 2020' give null, not the year or the month.
 */
export function periodFromLabel(label: string): Period | null {
  const shown = label.trim();
  const phrase = shown.replace(/^(?:(?:financial year|FY)\s+(?=\d)|financial\s+(?=years? ending\b))/i, '');
  if (!isPeriodText(phrase)) return null;
  return typePeriod(findPeriods(phrase)[0]!.period, shown);
}

/**
 * A period given relatively: "this year", "last year", "the previous year", "the year before",
 * "two years earlier", "five years ago". `years` back from the period it is relative to;
 * `deictic` when that period is the document's own (the time of writing: "this year", "last year",
 * "… ago"), not the period the text around it names ("the previous year", "… earlier").
 */
export interface RelativePhrase {
  text: string;
  offset: number;
  end: number;
  years: number;
  deictic: boolean;
}

const COUNT_WORDS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
// "before" only where nothing follows it that it could be before ("the year before the pandemic");
// "this year's survey" is no period of a figure; "in the last year" is the 12 months up to now, not last year.
const RELATIVE =
  /\b(?:(this|the current) year\b(?!['’]s)|(?<!\bthe\s+)(last) year\b(?!['’]s)|the (previous|preceding|prior) year\b|the (year) before(?=\s*(?:[.,;:)]|$))|(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) years? (?:(earlier|previously)\b|(ago)\b|(before)(?=\s*(?:[.,;:)]|$))))/gi;

/** Every relative period phrase in `text`, in order of position. */
export function findRelativePeriods(text: string): RelativePhrase[] {
  const out: RelativePhrase[] = [];
  RELATIVE.lastIndex = 0;
  for (let m = RELATIVE.exec(text); m; m = RELATIVE.exec(text)) {
    const at = { text: m[0], offset: m.index, end: m.index + m[0].length };
    if (m[1]) out.push({ ...at, years: 0, deictic: true });
    else if (m[2]) out.push({ ...at, years: 1, deictic: true });
    else if (m[3] || m[4]) out.push({ ...at, years: 1, deictic: false });
    else {
      const word = m[5]!.toLowerCase();
      const years = COUNT_WORDS[word] ?? Number(word);
      if (!(years >= 1)) continue;
      out.push({ ...at, years, deictic: m[7] !== undefined });
    }
  }
  return out;
}

/**
 * A year-long period `years` earlier ('YE 2020-03' one back → 'YE 2019-03', '2019' → '2018'), or null
 * for any other kind of period (a month, a quarter, a range): a year before those is not said exactly.
 */
export function shiftPeriod(period: string, years: number): string | null {
  let m = /^YE (\d{4})-(\d{2})$/.exec(period);
  if (m) return validMonth(m[2]!) === null ? null : `YE ${Number(m[1]) - years}-${m[2]}`;
  m = /^(\d{4})$/.exec(period);
  if (m) return String(Number(m[1]) - years);
  return null;
}
