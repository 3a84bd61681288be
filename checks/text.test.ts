import { describe, expect, it } from 'vitest';
import { clipAtWord } from './text.js';

describe('clipAtWord', () => {
  it('leaves a short text as it is and cuts a long one at a word, never inside it', () => {
    expect(clipAtWord('short note', 20)).toBe('short note');
    const cut = clipAtWord('The figures for Wales are estimates, since not every service responded to the survey', 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut).toBe('The figures for Wales are estimates…');
    expect(clipAtWord('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
