import { describe, expect, it } from 'vitest';
import { taskFor } from './worker-pool.js';

describe('taskFor: which queued document a free worker takes', () => {
  it('passes over a format another worker has read for one it has read or nobody has', () => {
    expect(taskFor(['pdf', 'xlsx', 'text'], new Set(), [new Set(['pdf'])])).toEqual({ index: 1, wait: false });
    expect(taskFor(['pdf', 'text', 'xlsx'], new Set(['xlsx']), [new Set(['pdf', 'text'])])).toEqual({ index: 2, wait: false });
  });

  it('takes the first when it has read that format or when no other has', () => {
    expect(taskFor(['pdf', 'xlsx'], new Set(['pdf']), [new Set(['pdf'])])).toEqual({ index: 0, wait: false });
    expect(taskFor(['pdf', 'xlsx'], new Set(), [new Set()])).toEqual({ index: 0, wait: false });
    expect(taskFor(['text'], new Set(), [])).toEqual({ index: 0, wait: false });
  });

  it('leaves to a worker warm for them documents only of formats others have read: the first, once its wait is over', () => {
    expect(taskFor(['pdf', 'pdf'], new Set(), [new Set(['pdf'])])).toEqual({ index: 0, wait: true });
    expect(taskFor(['pdf', 'text'], new Set(['xlsx']), [new Set(['pdf']), new Set(['text'])])).toEqual({ index: 0, wait: true });
  });
});
