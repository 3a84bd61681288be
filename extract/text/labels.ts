/** Helpers for the text of labels and cells as PDF-to-text conversion leaves them. */

const SUPERSCRIPT_DIGITS: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
};
const SUPERSCRIPT_RUN = /[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g;

/** Child-row markers used by the SafeLives reports (and common in PDF conversions). */
const CHILD_MARKERS = /^[┆└↳├│]\s*/;

/** "England and Wales ¹¹" → { text: "England and Wales", markers: ["11"] }. */
export function splitFootnoteMarkers(label: string): { text: string; markers: string[] } {
  const markers: string[] = [];
  const text = label
    .replace(SUPERSCRIPT_RUN, (run) => {
      markers.push([...run].map((ch) => SUPERSCRIPT_DIGITS[ch] ?? '').join(''));
      return '';
    })
    .replace(/\s+/g, ' ')
    .trim();
  return { text, markers };
}

/** Leading footnote marker of a note line ("¹¹ The services total…" → "11"), or null. */
export function leadingFootnoteMarker(line: string): { marker: string; text: string } | null {
  const m = /^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.*)$/.exec(line.trim());
  if (!m) return null;
  return { marker: [...m[1]!].map((ch) => SUPERSCRIPT_DIGITS[ch] ?? '').join(''), text: m[2]! };
}

/** "┆ Bisexual" → { label: "Bisexual", child: true }. */
export function splitChildMarker(label: string): { label: string; child: boolean } {
  const m = CHILD_MARKERS.exec(label);
  return m ? { label: label.slice(m[0].length).trim(), child: true } : { label: label.trim(), child: false };
}

export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "Total Agree" → "Agree"; "Total" → null. What a total-labelled row says it totals. */
export function totalSubject(label: string): string | null {
  const m = /^(?:total|all)\s+(.+)$/i.exec(label.trim());
  return m ? m[1]!.trim() : null;
}

/** Rows whose label names `subject` as a whole word ("Strongly agree", "Agree" for "Agree"; not "Disagree"). */
export function labelNames(label: string, subject: string): boolean {
  const escaped = subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'iu').test(label);
}
