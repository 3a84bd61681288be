import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocator } from '../core/index.js';
import { extractDocument, readCorpus, type Extraction } from '../extract/index.js';

/**
 * Golden files: what extraction makes of each bundled document, in a form a person can review in a
 * diff. They change only on purpose: `npm run test:update`, read `git diff test/golden`, and say in
 * the commit why the output changed. In CI (CI=true) a missing or different golden fails.
 */
const RAW = join(import.meta.dirname, '..', 'raw');
const GOLDEN = join(import.meta.dirname, 'golden');

function tablesView(x: Extraction): unknown {
  const cells = new Map(x.cells.map((c) => [`${c.table_id}:${c.row_index}:${c.column_index}`, c.figure]));
  return x.tables.map((t) => ({
    title: t.title,
    subtitle: t.subtitle,
    at: formatLocator(t.locator),
    columns: t.columns.map((c) => `${c.header_path.join(' › ') || '—'} | ${c.unit ?? '?'} | ${c.period ?? '-'} | n=${c.base?.raw ?? '-'}`),
    rows: t.rows.map((r) => {
      const values = t.columns.map((c) => {
        const f = cells.get(`${t.table_id}:${r.index}:${c.index}`);
        return f ? `${f.raw}${f.unit === 'percent' ? '' : ` ${f.unit}`}` : '';
      });
      return `${'  '.repeat(r.depth)}${r.label_path.length > r.depth + 1 ? `[${r.label_path.slice(0, r.label_path.length - r.depth - 1).join(' › ')}] ` : ''}${r.label}${r.role === 'category' ? '' : ` (${r.role})`}${r.footnotes.length ? ` [${r.footnotes.join(',')}]` : ''} :: ${values.join(' | ')}`;
    }),
    notes: t.notes.map((n) => `${n.marker ?? ''}: ${n.text.slice(0, 80)}`),
  }));
}

function statementsView(x: Extraction): unknown {
  return x.statements.map((s) => `${formatLocator(s.locator)} ${s.figure.raw} ${s.figure.unit} ${s.period ?? '-'}`);
}

describe('golden extraction of the bundled corpus', async () => {
  const { documents } = await readCorpus(RAW);
  for (const { record, bytes } of documents) {
    it(record.file, async () => {
      const x = await extractDocument(record, bytes);
      const name = record.file;
      await expect(`${JSON.stringify(tablesView(x), null, 1)}\n`).toMatchFileSnapshot(join(GOLDEN, name, 'tables.json'));
      await expect(`${JSON.stringify(statementsView(x), null, 1)}\n`).toMatchFileSnapshot(join(GOLDEN, name, 'statements.json'));
    });
  }

  it('keeps goldens for every document and no others', async () => {
    const { readdir } = await import('node:fs/promises');
    const dirs = (await readdir(GOLDEN, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(dirs).toEqual(documents.map((d) => d.record.file).sort());
    expect((await readFile(join(GOLDEN, 'ons-dav-2020-11.txt', 'tables.json'), 'utf8')).length).toBeGreaterThan(100);
  });
});
