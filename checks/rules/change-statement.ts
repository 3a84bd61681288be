import { z } from 'zod';
import type { Figure } from '../../core/index.js';
import { formatLocator } from '../../core/index.js';
import type { Statement } from '../../extract/index.js';
import { defineCheck, type Outcome } from '../define.js';
import { contains, formatNumber, formatTolerance, intervalOf } from '../rounding.js';

/**
 * A sentence that states a change ("29,166 calls, a 14% decrease from 33,853") agrees with its two
 * values: (new − old) ÷ old, in the stated direction, rounds to the stated percentage. The old value
 * is the one the sentence marks ("from", "compared with", "than"). A sentence with one change phrase
 * and exactly two values of the same kind is checked; anything else is undecided, never guessed.
 */
const CHANGE_PHRASES: RegExp[] = [
  /\b(?:an?|the)\s+(?<pct>\d+(?:\.\d+)?)%\s+(?<dir>increase|decrease|rise|fall|drop|reduction|decline)\b/gi,
  /\b(?<dir>increased|decreased|rose|fell|dropped|declined|grew|reduced)\s+by\s+(?<pct>\d+(?:\.\d+)?)%/gi,
  /\b(?<dir>increase|decrease|rise|fall|drop|reduction|decline)\s+of\s+(?<pct>\d+(?:\.\d+)?)%/gi,
];
const DOWN = /^(decrease|decreased|fall|fell|drop|dropped|reduction|reduced|decline|declined)$/i;
const OLD_MARKER = /\b(?:from|compared with|compared to|than|on)\s+(?:the\s+)?$/i;

interface ChangePhrase {
  percent: Figure;
  down: boolean;
  text: string;
  offset: number;
}

export function findChangePhrases(sentence: string): ChangePhrase[] {
  const out: ChangePhrase[] = [];
  for (const re of CHANGE_PHRASES) {
    re.lastIndex = 0;
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
      const pct = m.groups!.pct!;
      const decimals = pct.includes('.') ? pct.split('.')[1]!.length : 0;
      out.push({ percent: { raw: `${pct}%`, value: Number(pct), decimals, unit: 'percent' }, down: DOWN.test(m.groups!.dir!), text: m[0], offset: m.index });
    }
  }
  return out;
}

export const check = defineCheck({
  id: 'change-statement',
  title: 'Stated change agrees with its two values',
  severity: 'error',
  describe: 'A stated percentage change equals (new − old) ÷ old for the two values the sentence gives, in the stated direction, within the rounding of the percentage.',
  subjects: 'sentences',
  params: z.object({}),
  applies: (subject) => findChangePhrases(subject.sentence).length > 0,
  evaluate: (subject) => {
    const phrases = findChangePhrases(subject.sentence);
    if (phrases.length !== 1) return [{ status: 'undecided', reason: 'more than one change in the sentence' }];
    const phrase = phrases[0]!;
    const values = subject.statements.filter((s) => s.figure.unit !== 'percent' && s.figure.unit !== 'rate' && !byBefore(subject.sentence, s.offset));
    if (values.length !== 2 || values[0]!.figure.unit !== values[1]!.figure.unit) return [{ status: 'undecided', reason: 'the sentence does not give exactly two values of one kind' }];
    const marked = values.filter((s) => OLD_MARKER.test(subject.sentence.slice(Math.max(0, s.offset - 20), s.offset)));
    if (marked.length !== 1) return [{ status: 'undecided', reason: 'the sentence does not say which value is the earlier' }];
    const old: Statement = marked[0]!;
    const latest: Statement = values.find((s) => s !== old)!;
    if (old.figure.value === 0) return [{ status: 'undecided', reason: 'change from zero' }];
    const change = ((latest.figure.value - old.figure.value) / old.figure.value) * 100;
    const signed = phrase.down ? -phrase.percent.value : phrase.percent.value;
    const allowed = intervalOf({ ...phrase.percent, value: signed });
    const computed = changeInterval(old.figure, latest.figure);
    if (contains(allowed, change) || (computed.low <= allowed.high && allowed.low <= computed.high)) return [{ status: 'pass' }];
    const d = Math.max(1, phrase.percent.decimals + 1);
    const direction = change < 0 ? 'decrease' : 'increase';
    const outcome: Outcome = {
      status: 'fail',
      message: `"${phrase.text}": from ${old.figure.raw} to ${latest.figure.raw} is a ${formatNumber(Math.abs(change), d)}% ${direction}${(change < 0) !== phrase.down ? ', the opposite direction' : ''}`,
      expected: `${formatNumber(change, d)}%`,
      actual: `${phrase.down ? '-' : '+'}${phrase.percent.raw}`,
      tolerance: formatTolerance(0.5 * 10 ** -phrase.percent.decimals, phrase.percent.decimals),
      evidence: [
        { document: subject.document.document_id, locator: old.locator, excerpt: subject.sentence, value: old.figure },
        { document: subject.document.document_id, locator: latest.locator, excerpt: subject.sentence, value: latest.figure },
      ],
      subject: { document: subject.document.document_id, where: formatLocator(subject.locator), phrase: phrase.offset },
    };
    return [outcome];
  },
});

/**
 * /\bby\s+$/i.test(sentence.slice(0, at)), read from the characters before `at` (the pattern would
 * scan the whole text before each figure: quadratic in a long sentence).
 */
function byBefore(sentence: string, at: number): boolean {
  let p = at;
  while (p > 0 && /\s/.test(sentence[p - 1]!)) p--;
  if (p === at || p < 2) return false;
  return /^by$/i.test(sentence.slice(p - 2, p)) && (p === 2 || !/\w/.test(sentence[p - 3]!));
}

/** The change between two rounded values, as an interval. Exact counts give a point. */
function changeInterval(old: Figure, latest: Figure): { low: number; high: number } {
  const a = intervalOf(old);
  const b = intervalOf(latest);
  const candidates = [a.low, a.high].filter((v) => v > 0).flatMap((o) => [b.low, b.high].map((n) => ((n - o) / o) * 100));
  return { low: Math.min(...candidates), high: Math.max(...candidates) };
}
