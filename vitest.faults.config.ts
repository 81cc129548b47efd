/**
 * `npm run test:faults`: crash, corruption, Hub outage, fuzzing and abuse tests (test/faults).
 * They start real server processes and hold slow connections, so they run apart from
 * `npm test`, two files at a time, each bounded in time.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/**'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // A fault test that fails must not be retried into a pass.
    retry: 0,
  },
});
