import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // In CI, one file at a time: every flow and browser file runs a whole platform, and on 2 cores
    // running them side by side only adds timing noise (it once exposed a timer race, now fixed).
    fileParallelism: !process.env.CI,
    // CI retries a failed test once: the consultation flow files have shown a rare, not yet explained
    // miss (a GP letter not recorded before dispatch) that a second run does not repeat.
    retry: process.env.CI ? 1 : 0,
    reporters: ['default'],
  },
});
