import type { z } from 'zod';

/** A line of a data file that is wrong: the message names the file and the line ("measures.jsonl:12: …"). */
export class FileLineError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = new.target.name;
  }
}

/**
 * The entries of a data file of one JSON object a line ('#' lines and blank lines are comments),
 * each checked against `schema`, with its line number. A line that is not JSON or breaks the schema
 * is `fail(line, reason)`, so the error names the file's line (the catalogue files of transform/).
 */
export function parseJsonLines<T>(text: string, schema: z.ZodType<T>, fail: (line: number, reason: string) => Error): Array<{ entry: T; line: number }> {
  const out: Array<{ entry: T; line: number }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw fail(line, `not JSON: ${(e as Error).message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw fail(line, parsed.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`).join('; '));
    out.push({ entry: parsed.data, line });
  });
  return out;
}
