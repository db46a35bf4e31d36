import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIns, startStandIns } from '../../sandbox/standIns.js';
import { composePlatform } from '../../src/app/compose.js';
import { vendorsFromConfig } from '../../src/app/vendors.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitFor } from '../support/events.js';

// A start that fails part-way must not leave the platform's connections, subscriptions and timers
// running behind the error: a supervisor that retries would pile them up on the database.
describe('a platform whose start fails part-way', () => {
  let db: TestDatabase;
  let standIns: StandIns;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-compose-'));
    standIns = await startStandIns({ dataDir });
  });
  afterAll(async () => {
    await standIns.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Sessions the platform holds on the test's database, by application name (the test's own excluded). */
  const platformSessions = async () =>
    (
      await db.pool.query<{ application_name: string }>(
        `SELECT application_name FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'pharmacy-%'`,
      )
    ).rows.map((row) => row.application_name);

  it('given a seed that throws, then the error comes back and nothing it opened stays open', async () => {
    const config = loadConfig({
      ...standIns.env,
      DATABASE_URL: db.connectionString,
      LOG_LEVEL: 'error',
      ADMIN_PASSWORD: 'admin-password-for-compose-tests',
      AUDIT_HMAC_KEY: randomBytes(32).toString('base64url'),
      SECRETS_KEY: randomBytes(32).toString('base64url'),
      AUDIT_ANCHOR_DIR: join(dataDir, 'audit-anchors'),
    });
    const failure = await composePlatform({
      config,
      vendors: vendorsFromConfig(config, systemClock),
      seed: async () => {
        throw new Error('reference data file unreadable');
      },
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toBe('reference data file unreadable');
    // Closing is awaited before the error returns; a session's row may take a moment to leave the view.
    await waitFor(async () => (await platformSessions()).length === 0, 5_000, 'no platform sessions left');
    expect(await platformSessions()).toEqual([]);
  }, 60_000);
});
