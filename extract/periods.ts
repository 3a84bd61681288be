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
