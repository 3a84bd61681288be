import { describe, expect, it } from 'vitest';
import { EXTRACT_SCHEMA_VERSION, Extraction } from '../extract/contracts.js';
import { admitDocuments } from './admit.js';

const FILE = 'a.txt';
const DOC = 'a-0123456789ab';

function extraction(file: string, documentId: string, statementIds: string[], line = 1): Extraction {
  return Extraction.parse({
    schema_version: EXTRACT_SCHEMA_VERSION,
    document: { document_id: documentId, file, format: 'text', publisher: 'p', title: 't', release_date: null, release_date_precision: 'day', period_covered: null, sha256: 'a'.repeat(64), bytes: 1, metadata_source: 'inferred', edition_of: null, release: file, reference_period: null, period_labels: {}, geography: null },
    tables: [],
    cells: [],
    statuses: [],
    statements: statementIds.map((id, i) => ({
      statement_id: id,
      document_id: documentId,
      sentence_id: `${documentId}:L${line + i}:s1`,
      section: null,
      sentence: 'It was 12.',
      offset: 7,
      figure: { raw: '12', value: 12, decimals: 0, unit: 'count' },
      period: null,
      locator: { kind: 'line', document: file, line: line + i },
    })),
  });
}

describe('admitDocuments', () => {
  it('admits documents whose keys are unique', () => {
    const out = admitDocuments([extraction(FILE, DOC, ['s1', 's2']), extraction('b.txt', 'b-0123456789ab', ['s3'])]);
    expect(out.admitted).toHaveLength(2);
    expect(out.refused).toEqual([]);
  });

  it('refuses a document with two records under one key, naming file, table and key', () => {
    const out = admitDocuments([extraction(FILE, DOC, ['s1', 's1']), extraction('b.txt', 'b-0123456789ab', ['s3'])]);
    expect(out.admitted.map((x) => x.document.file)).toEqual(['b.txt']);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.error.code).toBe('duplicate-key');
    expect(out.refused[0]!.error.message).toMatch(/a\.txt.*two statements rows share the key statement_id = \["s1"\] \(at a\.txt:L2\)/);
  });

  it('refuses the later of two documents whose keys collide, and admits the first', () => {
    const out = admitDocuments([extraction(FILE, DOC, ['s1']), extraction('b.txt', 'b-0123456789ab', ['s1'])]);
    expect(out.admitted.map((x) => x.document.file)).toEqual([FILE]);
    expect(out.refused[0]!.error.message).toMatch(/b\.txt.*an earlier document already has/);
  });

  it('refuses a value the warehouse column cannot take', () => {
    const out = admitDocuments([extraction(FILE, DOC, ['s1'], 3_000_000_000)]); // statements.line is an INTEGER
    expect(out.refused[0]!.error.code).toBe('input-invalid');
  });
});
