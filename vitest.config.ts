import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'warehouse/**'],
    // every temporary file of the suite under one folder, removed at the end (test/private-tmpdir.ts)
    globalSetup: ['test/private-tmpdir.ts'],
    // one worker per core: the suite's end-to-end files wait on child processes much of the time
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
