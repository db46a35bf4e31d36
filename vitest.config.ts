import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // In CI, one file at a time: the consultation flow tests drive many timers and mails through one
    // platform per file and have shown load-dependent misses beside the browser tests on 2 cores.
    fileParallelism: !process.env.CI,
    reporters: ['default'],
  },
});
