import { availableParallelism } from 'node:os';

/**
 * DuckDB's allocator, as davs configures it. DuckDB allocates through a jemalloc of its own, which
 * reads its options from the environment variable DUCKDB_JE_MALLOC_CONF once, when DuckDB's library
 * loads (a constructor of the library), on top of DuckDB's own (one arena per core, freed pages kept
 * a second). So it must be set before the first import of `@duckdb/node-api` in the process: the CLI
 * sets it before it loads the commands (pipelines/cli.ts).
 *
 * An arena for every two cores rather than one per core (on a 2-core machine, one): the threads
 * that allocate in DuckDB (its own, and the job's thread, which runs the appends and reads the
 * results) then take more of their memory from pages another of them freed, where with an arena
 * each a thread's freed pages wait for that thread. Measured on the 2-core machine of issue 12
 * (2026-12-05), one arena against DuckDB's two, cached nights of 1,000 documents: peak 353-360 MiB
 * against 370-380 (alternated, n=3 each) in about the same time (30.2-32.1 s against 29.4-34.4), and
 * in an earlier set 345-355 against 370-382; the DuckDB side of the process (resident memory less
 * V8's heap and the mapped code) about 170 MiB at most against 200-213. 100 documents: 264-265
 * against 267-281; the bundled corpus cold: 1.01 of the time (paired, n=16, within the noise), the
 * same peak. Freeing sooner as well (dirty_decay_ms:200, muzzy_decay_ms:0) took 10 MiB more off in
 * about 5% more time, and no thread caches (tcache:false) as much in noisier times: neither is set.
 * Halving the arenas on a larger machine is not measured: fewer arenas than threads make them share
 * locks, which is what DuckDB's one per core avoids.
 *
 * An operator's own DUCKDB_JE_MALLOC_CONF is left as it is, whatever it says. Where DuckDB is built
 * without jemalloc (its macOS and Windows builds, some of its Linux ARM64 ones) nothing reads it.
 */
export function duckdbAllocatorConf(cores: number = availableParallelism()): string {
  return `narenas:${Math.max(1, Math.floor(cores / 2))}`;
}

/** The environment variable DuckDB's jemalloc reads its options from. */
export const DUCKDB_ALLOCATOR_VARIABLE = 'DUCKDB_JE_MALLOC_CONF';

/**
 * Set DuckDB's allocator options in `env` (this process's by default) unless already set. Returns
 * what is set now. Takes effect only if DuckDB's library has not yet been loaded in the process.
 */
export function configureDuckdbAllocator(env: NodeJS.ProcessEnv = process.env, cores?: number): string {
  const own = env[DUCKDB_ALLOCATOR_VARIABLE];
  if (own !== undefined) return own;
  const conf = duckdbAllocatorConf(cores);
  env[DUCKDB_ALLOCATOR_VARIABLE] = conf;
  return conf;
}
