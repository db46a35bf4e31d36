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
    reporters: ['default'],
  },
});
