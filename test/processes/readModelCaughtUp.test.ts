import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer } from '../../src/eventstore/consumers.js';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { createProcessRuntime } from '../../src/processes/runtime.js';
import { createTimerService } from '../../src/processes/timers.js';
import { type Projection, projectionSubscriptionId, startProjection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, waitFor } from '../support/events.js';
import { postgresProcessDeps } from '../support/processDeps.js';

// A delivery that must see its event in a read model first (a link e-mail waits for the link's row)
// asks the projection's runner when that projection runs in the same process: it learns the moment
// the rows are committed, without polling the checkpoint table every 20 ms.

/** A projection slower than the process manager: each batch takes 40 ms before it commits. */
const slowTicks: Projection = {
  name: 'slow-ticks',
  filter: { kind: 'categories', categories: ['tick'] },
  tables: ['slow_ticks'],
  async applyBatch(client, events) {
    await new Promise((resolve) => setTimeout(resolve, 40));
    for (const event of events)
      await client.query('INSERT INTO slow_ticks (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [event.id]);
  },
};

/** The pool, counting the statements that poll a projection's checkpoint for an event. */
const countingCatchUpPolls = (pool: SqlPool) => {
  let polls = 0;
  const counted: SqlPool = {
    query: ((text: unknown, values?: unknown[]) => {
      const sql = typeof text === 'string' ? text : (text as { text: string }).text;
      if (sql.includes('LEFT JOIN subscription_checkpoints c ON c.subscription_id')) polls += 1;
      return pool.query(text as string, values);
    }) as SqlPool['query'],
    connect: () => pool.connect(),
    end: () => pool.end(),
  };
  return { pool: counted, polls: () => polls };
};

describe('waiting for a read model that runs in the same process', () => {
  let db: TestDatabase;
  let notifier: Notifier;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query('CREATE TABLE slow_ticks (event_id uuid PRIMARY KEY)');
    notifier = createNotifier(db.connectionString, silentLogger, db.pool);
    store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
  });
  afterAll(async () => {
    await notifier.close();
    await db.drop();
  });

  /** A process runtime whose statements are counted, with `projection` running in its process. */
  const runtimeBeside = (projection: Projection, runner: Consumer) => {
    const counting = countingCatchUpPolls(db.pool);
    const runtime = createProcessRuntime({
      ...postgresProcessDeps({
        pool: counting.pool,
        connectionString: db.connectionString,
        notifier,
        log: silentLogger,
        store,
        localProjection: (id) => (id === projectionSubscriptionId(projection) ? runner : undefined),
      }),
      timers: createTimerService(db.pool, systemClock),
    });
    return { counting, runtime };
  };

  it('given a projection behind its process manager, then each delivery sees its row, and the checkpoint table is never polled', async () => {
    const deps = { pool: db.pool, connectionString: db.connectionString, notifier, log: silentLogger };
    const projection = startProjection(createPostgresConsumers(deps), db.pool, slowTicks, {
      pollIntervalMs: 100,
    });
    // Running here means holding its lease: until then a delivery rightly asks the database.
    await waitFor(() => projection.consuming(), 10_000, 'the projection consuming');
    const { counting, runtime } = runtimeBeside(slowTicks, projection);
    const seen: { id: string; inReadModel: boolean }[] = [];
    const manager = runtime.start(
      {
        name: 'needs-the-row',
        filter: { kind: 'categories', categories: ['tick'] },
        async handle(event, context) {
          await context.readModelCaughtUp(slowTicks);
          const { rowCount } = await db.pool.query('SELECT 1 FROM slow_ticks WHERE event_id = $1', [
            event.id,
          ]);
          seen.push({ id: event.id, inReadModel: rowCount === 1 });
        },
      },
      { pollIntervalMs: 100 },
    );
    try {
      for (let i = 0; i < 5; i++) await store.appendToStream(`tick-${i}`, [anEvent('Ticked', { i })]);
      await waitFor(() => seen.length === 5, 20_000, 'five deliveries');
    } finally {
      await manager.stop();
      await projection.stop();
    }
    expect(seen.map((delivery) => delivery.inReadModel)).toEqual([true, true, true, true, true]);
    expect(counting.polls()).toBe(0);
  });

  it('given a projection of other events, asleep, then a delivery waiting for it wakes it instead of waiting for a poll', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS network_rows (event_id uuid PRIMARY KEY)');
    const network: Projection = {
      name: 'network-rows',
      filter: { kind: 'categories', categories: ['network'] },
      tables: ['network_rows'],
      async applyBatch(client, events) {
        for (const event of events)
          await client.query('INSERT INTO network_rows (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [
            event.id,
          ]);
      },
    };
    await store.appendToStream('network-1', [anEvent('PharmacyAdded')]);
    const deps = { pool: db.pool, connectionString: db.connectionString, notifier, log: silentLogger };
    // Its own poll is the 30 s default, and this notifier has no horizon poll: only a wake-up moves it.
    const projection = startProjection(createPostgresConsumers(deps), db.pool, network);
    await waitFor(() => projection.consuming(), 10_000, 'the projection consuming');
    await projection.drain();
    const { counting, runtime } = runtimeBeside(network, projection);
    let delivered = 0;
    const manager = runtime.start(
      {
        name: 'needs-the-network',
        filter: { kind: 'categories', categories: ['order'] },
        async handle(_event, context) {
          await context.readModelCaughtUp(network);
          delivered += 1;
        },
      },
      { pollIntervalMs: 100 },
    );
    try {
      for (let i = 0; i < 3; i++) await store.appendToStream(`order-${i}`, [anEvent('EnrollmentCompleted')]);
      await waitFor(() => delivered === 3, 20_000, 'three deliveries');
    } finally {
      await manager.stop();
      await projection.stop();
    }
    // Before, each delivery waited out LOCAL_CATCH_UP_MS for a runner nothing woke, then polled.
    expect(counting.polls()).toBe(0);
  });
});
