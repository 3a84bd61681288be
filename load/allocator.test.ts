import { describe, expect, it } from 'vitest';
import { configureDuckdbAllocator, duckdbAllocatorConf, DUCKDB_ALLOCATOR_VARIABLE } from './allocator.js';

describe('DuckDB allocator options', () => {
  it('asks for an arena every two cores, at least one', () => {
    expect(duckdbAllocatorConf(1)).toBe('narenas:1');
    expect(duckdbAllocatorConf(2)).toBe('narenas:1');
    expect(duckdbAllocatorConf(3)).toBe('narenas:1');
    expect(duckdbAllocatorConf(16)).toBe('narenas:8');
  });

  it('sets them where the environment has none', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(configureDuckdbAllocator(env, 4)).toBe('narenas:2');
    expect(env[DUCKDB_ALLOCATOR_VARIABLE]).toBe('narenas:2');
  });

  it("leaves an operator's own options as they are, even empty", () => {
    const env: NodeJS.ProcessEnv = { [DUCKDB_ALLOCATOR_VARIABLE]: 'dirty_decay_ms:0' };
    expect(configureDuckdbAllocator(env, 4)).toBe('dirty_decay_ms:0');
    expect(env[DUCKDB_ALLOCATOR_VARIABLE]).toBe('dirty_decay_ms:0');
    const empty: NodeJS.ProcessEnv = { [DUCKDB_ALLOCATOR_VARIABLE]: '' };
    expect(configureDuckdbAllocator(empty, 4)).toBe('');
  });
});
