import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCheckpoint } from '../../src/eventstore/postgres/checkpoints.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { startSubscription } from '../../src/eventstore/postgres/subscriptionRunner.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, waitFor } from '../support/events.js';

// Seen in CI: after a restart, three orders stayed `adjudicated` for ten minutes. A subscription
// that cannot take its lease or read its checkpoint when it starts (the database refusing new
// connections for a moment, as it does while a killed process's sessions are still being cleaned
// up) stopped for good, silently, and its process manager never ran again in that process.

let db: TestDatabase;
let notifier: Notifier;
let admin: pg.Client;
const databaseName = () => new URL(db.connectionString).pathname.slice(1);

beforeAll(async () => {
  db = await createTestDatabase();
  notifier = createNotifier(db.connectionString, silentLogger, db.pool);
  admin = new pg.Client({ connectionString: db.connectionString.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
});
afterAll(async () => {
  await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`).catch(() => {});
  await admin.end();
  await notifier.close();
  await db.drop();
});

describe('a subscription that starts while the database refuses connections', () => {
  it.each([
    ['holding a lease', { holder: 'recovery-test' }],
    ['without a lease', false],
  ] as const)('starts again once it can, %s, and handles what was written', async (_name, lease) => {
    const subscriptionId = `recovery-${newId()}`;
    const seen: RecordedEvent[] = [];
    // Every new session is refused; the pool's idle ones are closed so it must open new ones.
    await db.pool.query('SELECT 1');
    await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [databaseName()],
    );
    const runner = startSubscription(
      { pool: db.pool, connectionString: db.connectionString, notifier, log: silentLogger },
      {
        subscriptionId,
        filter: { kind: 'all' },
        lease,
        pollIntervalMs: 100,
        handle: async (batch, from) => {
          seen.push(...batch.events);
          await storeCheckpoint(db.pool, subscriptionId, from, batch.checkpoint);
        },
      },
    );
    try {
      // Long enough for its first attempts to be refused.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
      const stream = `recovery-${newId()}`;
      await createPostgresEventStore(db.pool).appendToStream(stream, [anEvent('WrittenAfterTheOutage')]);
      await waitFor(async () => seen.some((e) => e.streamName === stream), 30_000);
      expect(seen.filter((e) => e.streamName === stream).map((e) => e.type)).toEqual([
        'WrittenAfterTheOutage',
      ]);
    } finally {
      await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`).catch(() => {});
      await runner.stop();
    }
  });
});
