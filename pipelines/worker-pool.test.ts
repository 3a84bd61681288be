import { describe, expect, it } from 'vitest';
import { taskFor } from './worker-pool.js';

describe('taskFor: which queued document a free worker takes', () => {
  it('passes over a format another worker has read for one it has read or nobody has', () => {
    expect(taskFor(['pdf', 'xlsx', 'text'], new Set(), [new Set(['pdf'])])).toBe(1);
    expect(taskFor(['pdf', 'pdf', 'text'], new Set(['xlsx']), [new Set(['pdf', 'text'])])).toBe(0);
  });

  it('takes the first when it has read that format, when no other has, or when nothing else is queued', () => {
    expect(taskFor(['pdf', 'xlsx'], new Set(['pdf']), [new Set(['pdf'])])).toBe(0);
    expect(taskFor(['pdf', 'xlsx'], new Set(), [new Set()])).toBe(0);
    expect(taskFor(['pdf', 'pdf'], new Set(), [new Set(['pdf'])])).toBe(0);
    expect(taskFor(['text'], new Set(), [])).toBe(0);
  });
});
