import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/globalSetup.ts'],
    pool: 'forks',
    // Files share their worker process (one after another) instead of each loading the platform's
    // modules afresh: loading was 111 s of a 479 s run. Each file still has its own database and
    // platform, and closes what it starts; a crash test awaits the platform it restarts, so nothing a
    // file leaves running can fail the next one.
    isolate: false,
    // Two files at a time: most of a flow file's time is spent waiting on its own platform (HTTP,
    // PostgreSQL, timers), so two side by side fit on two cores (three overloaded them: browser
    // waits and hooks timed out, and the run was no faster). Each file has its own database.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
