import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './index.js';

const rulesDir = join(import.meta.dirname, 'rules');
const fixturesDir = join(import.meta.dirname, 'fixtures');
const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('check registry', () => {
  it('lists every rule file once, sorted by id, each named after its id', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ruleFiles.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(ids);
  });

  it('gives every check a kebab-case id, a title, a description and a test beside it', () => {
    const files = new Set(readdirSync(rulesDir));
    for (const check of CHECKS) {
      expect(check.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(check.title.length).toBeGreaterThan(0);
      expect(check.describe.length).toBeGreaterThan(0);
      expect(files.has(`${check.id}.test.ts`)).toBe(true);
    }
  });

  it('has a passing and a failing fixture for every check', () => {
    for (const check of CHECKS) {
      const cases = readdirSync(join(fixturesDir, check.id));
      expect(cases).toContain('pass');
      expect(cases).toContain('fail');
    }
  });

  it('parses every check’s parameters from their documented defaults', () => {
    for (const check of CHECKS) expect(() => check.params.parse({})).not.toThrow();
  });
});
