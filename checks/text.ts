/**
 * Text at most `max` characters long, cut at the last word boundary with "…" when longer, so a quoted
 * note or excerpt never ends inside a word ("… for ev…"). A text with no space to cut at is cut at max.
 */
export function clipAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.search(/\s\S*$/);
  const cut = space > max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.(–—-]+$/, '')}…`;
}
