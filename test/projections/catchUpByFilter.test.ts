import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { projectionSubscriptionId, waitForProjection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

// A process manager waits for the read models it reads before it decides (routing reads the
// pharmacy network). A projection of other events must not hold it up: its checkpoint only moves
// past an order's event at the next horizon poll, a second in production.
let db: TestDatabase;
let store: EventStore;
let notifier: Notifier;
beforeAll(async () => {
  db = await createTestDatabase();
  store = createPostgresEventStore(db.pool);
  notifier = createNotifier(db.connectionString, silentLogger);
});
afterAll(async () => {
  await notifier.close();
  await db.drop();
});

const network = () => ({
  name: `network-${newId().toLowerCase()}`,
  filter: { kind: 'categories', categories: ['pharmacy'] } as const,
});

/** Stores the projection's checkpoint at the event with this id, as if it had just handled it. */
const checkpointAt = async (projection: { name: string }, eventId: string) => {
  await db.pool.query(
    `INSERT INTO subscription_checkpoints (subscription_id, transaction_id, global_position)
     SELECT $1, transaction_id, global_position FROM events WHERE event_id = $2`,
    [projectionSubscriptionId(projection), eventId],
  );
};

/** Appends one event; answers it as a reader knows it (its id and global position). */
const append = async (stream: string) => {
  const event = anEvent('Something', {});
  const { globalPositions } = await store.appendToStream(stream, [event]);
  return { id: event.id, globalPosition: globalPositions[0]! };
};

/** The consumers' wait, on the test database. */
const catchUp = () =>
  createPostgresConsumers({
    pool: db.pool,
    connectionString: db.connectionString,
    notifier,
    log: silentLogger,
  });

describe('waiting for a read model before deciding', () => {
  it('given a projection of pharmacy events that handled the last one, when an order event follows, then there is nothing to wait for', async () => {
    const projection = network();
    await checkpointAt(projection, (await append(`pharmacy-${newId()}`)).id);
    const orderEvent = await append(`order-${newId()}`);
    await waitForProjection(catchUp(), projection, orderEvent, 2_000);
  });

  it('given a pharmacy event the projection has not handled, when an order event follows, then the wait lasts until it has', async () => {
    const projection = network();
    await checkpointAt(projection, (await append(`pharmacy-${newId()}`)).id);
    const unhandled = await append(`pharmacy-${newId()}`);
    const orderEvent = await append(`order-${newId()}`);
    await expect(waitForProjection(catchUp(), projection, orderEvent, 300)).rejects.toThrow(/did not reach/);
    await db.pool.query(
      'UPDATE subscription_checkpoints SET (transaction_id, global_position) = (SELECT transaction_id, global_position FROM events WHERE event_id = $2) WHERE subscription_id = $1',
      [projectionSubscriptionId(projection), unhandled.id],
    );
    await waitForProjection(catchUp(), projection, orderEvent, 2_000);
  });

  it('given an earlier transaction still open, when an order event commits, then the wait lasts until it ends (it may hold a pharmacy event)', async () => {
    const projection = network();
    await checkpointAt(projection, (await append(`pharmacy-${newId()}`)).id);
    const slow = new pg.Client({ connectionString: db.connectionString });
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query('SELECT pg_current_xact_id()');
    const orderEvent = await append(`order-${newId()}`);
    await expect(waitForProjection(catchUp(), projection, orderEvent, 300)).rejects.toThrow(/did not reach/);
    await slow.query('COMMIT');
    await slow.end();
    await waitForProjection(catchUp(), projection, orderEvent, 2_000);
  });
});
