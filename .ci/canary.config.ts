import { defineConfig } from 'vitest/config';

// The real global setup (embedded PostgreSQL) with one spec that fails on purpose.
export default defineConfig({
  test: { include: ['.ci/canary.test.ts'], globalSetup: ['test/support/globalSetup.ts'], hookTimeout: 120_000 },
});
