import { configDefaults, defineConfig } from 'vitest/config';

/** Files CI leaves out while a known problem with them is open (comma-separated; see .ci/run). */
const excluded = (process.env.CI_EXCLUDE ?? '').split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...excluded],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // In CI, one file at a time: every flow and browser file runs a whole platform, and on 2 cores
    // running them side by side only adds timing noise (it once exposed a timer race, now fixed).
    fileParallelism: !process.env.CI,
    // CI retries a failed test once.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default'],
  },
});
