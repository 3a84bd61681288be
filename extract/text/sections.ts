/**
 * Section headings of a text article: "2 . Availability of domestic abuse services", "## Helpline",
 * or a short standalone line between blank lines that does not end like a sentence.
 */
export function headingAt(lines: readonly string[], index: number): string | null {
  const raw = lines[index] ?? '';
  if (raw.includes('\t')) return null;
  const line = raw.trim();
  if (line === '') return null;
  const md = /^#{1,6}\s+(.*)$/.exec(line);
  if (md) return stripNumbering(md[1]!);
  const blankBefore = index === 0 || (lines[index - 1] ?? '').trim() === '';
  const blankAfter = index + 1 >= lines.length || (lines[index + 1] ?? '').trim() === '';
  if (!blankBefore || !blankAfter) return null;
  if (line.length > 90 || /[.:;,?!"”)]$/.test(line) || /^[-•*]/.test(line) || /^\d+\.\s/.test(line)) return null;
  if (/^\[.*\]\(.*\)$/.test(line)) return null; // a link on its own
  if (/^(source|notes?)\b/i.test(line) || /^(table|figure|graph|chart|map)\s+\d+/i.test(line)) return null; // captions
  if (!/^[A-Z0-9']/.test(line)) return null;
  return stripNumbering(line);
}

function stripNumbering(text: string): string {
  return text.replace(/^\d+\s*\.\s*/, '').trim();
}

/** The heading in force at each line (null before the first). */
export function sectionsByLine(lines: readonly string[]): Array<string | null> {
  const out: Array<string | null> = [];
  let current: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const heading = headingAt(lines, i);
    if (heading !== null) current = heading;
    out.push(current);
  }
  return out;
}
