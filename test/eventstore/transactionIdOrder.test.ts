import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeCheckpoint } from '../../src/eventstore/postgres/checkpoints.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { newestCheckpoint } from '../../src/eventstore/postgres/readBatch.js';
import { startSubscription } from '../../src/eventstore/postgres/subscriptionRunner.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { readHead } from '../../src/http/live/liveFeed.js';
import { silentLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitFor } from '../support/events.js';

/**
 * Transaction ids are compared as numbers everywhere, never as their text form: a fresh cluster
 * crosses 999 → 1000 (and 9999 → 10000) within its first test run, and as text '999' sorts after
 * '1000'. The events here carry ids just either side of such a boundary, written explicitly.
 */
let db: TestDatabase;
let notifier: Notifier;
const BEFORE = '99';
const AFTER = '100';

const insertEvent = async (transactionId: string, position: number) =>
  db.pool.query(
    `INSERT INTO events (global_position, stream_name, stream_revision, event_id, event_type, data, metadata, transaction_id)
     VALUES ($1::bigint, 'boundary-1', $1::bigint - 1, $2, 'SomethingHappened', '{}', '{}', $3::xid8)`,
    [position, randomUUID(), transactionId],
  );

beforeAll(async () => {
  db = await createTestDatabase();
  notifier = createNotifier(db.connectionString, silentLogger, db.pool);
  // A fresh cluster has already used several hundred transaction ids, so both are in the past.
  const current = (await db.pool.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x;
  expect(BigInt(current)).toBeGreaterThan(BigInt(AFTER));
});
afterAll(async () => {
  await notifier.close();
  await db.drop();
});

describe('transaction ids across a digit boundary', () => {
  it('drain waits for the event of the larger transaction id, and the live head stands on it', async () => {
    await insertEvent(BEFORE, 1);
    const seen: RecordedEvent[] = [];
    let release: () => void = () => {};
    const secondHandled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner = startSubscription(
      { pool: db.pool, connectionString: db.connectionString, notifier, log: silentLogger },
      {
        subscriptionId: 'boundary',
        filter: { kind: 'all' },
        lease: false,
        pollIntervalMs: 20,
        handle: async (batch, from) => {
          // The second event's handler holds on until the test lets it finish.
          if (batch.events.some((event) => event.globalPosition === 2)) await secondHandled;
          seen.push(...batch.events);
          await storeCheckpoint(db.pool, 'boundary', from, batch.checkpoint);
        },
      },
    );
    try {
      await waitFor(() => seen.length === 1, 10_000, 'the first event');
      await insertEvent(AFTER, 2);
      expect(await newestCheckpoint(db.pool, { belowHorizon: false })).toEqual({
        transactionId: AFTER,
        globalPosition: 2,
      });
      expect(await readHead(db.pool)).toEqual({ transactionId: AFTER, globalPosition: 2 });

      const drained = runner.drain(10_000).then(() => seen.map((event) => event.globalPosition));
      setTimeout(release, 100);
      // Ordered as text, the drain's target was the first event, already handled: it resolved at once.
      expect(await drained).toEqual([1, 2]);
    } finally {
      release();
      await runner.stop();
    }
  });
});
