import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, storeCheckpoint } from '../../src/eventstore/postgres/checkpoints.js';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import { createNotifier, type Notifier } from '../../src/eventstore/postgres/notifier.js';
import { START_CHECKPOINT } from '../../src/eventstore/postgres/position.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { silentLogger } from '../../src/platform/logger.js';
import { type Projection, startProjection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { events, waitFor } from '../support/events.js';

let db: TestDatabase;
let notifier: Notifier;
let store: EventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  notifier = createNotifier(db.connectionString, silentLogger, db.pool);
  store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
});
afterAll(async () => {
  await notifier.close();
  await db.drop();
});

describe('which commits wait for the WAL flush', () => {
  it('given a projection batch, when it commits, then it commits without waiting (re-derivable), while appends of events wait', async () => {
    const settings: string[] = [];
    const probe: Projection = {
      name: 'commit-probe',
      filter: { kind: 'all' },
      tables: [],
      async applyBatch(client) {
        const { rows } = await client.query<{ s: string }>(
          "SELECT current_setting('synchronous_commit') AS s",
        );
        settings.push(rows[0]!.s);
      },
    };
    await store.appendToStream('probe-1', events(3));
    const runner = startProjection(
      createPostgresConsumers({
        pool: db.pool,
        connectionString: db.connectionString,
        notifier,
        log: silentLogger,
      }),
      db.pool,
      probe,
      {
        pollIntervalMs: 50,
      },
    );
    try {
      await waitFor(() => settings.length > 0, 10_000, 'the probe batch');
    } finally {
      await runner.stop();
    }
    expect(settings.every((s) => s === 'off')).toBe(true);
    // The pool's own sessions (where events are appended) keep the durable default.
    const { rows } = await db.pool.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s");
    expect(rows[0]!.s).toBe('on');
  });

  it('given a relaxed checkpoint, when stored, then it moves like any other and the session keeps durable commits', async () => {
    const to = { transactionId: '42', globalPosition: 7 };
    await storeCheckpoint(db.pool, 'relaxed-probe', START_CHECKPOINT, to, { relaxed: true });
    expect(await loadCheckpoint(db.pool, 'relaxed-probe')).toEqual(to);
    await expect(
      storeCheckpoint(
        db.pool,
        'relaxed-probe',
        START_CHECKPOINT,
        { transactionId: '43', globalPosition: 8 },
        { relaxed: true },
      ),
    ).rejects.toThrow(/moved by another consumer/);
    const client = await db.pool.connect();
    try {
      await storeCheckpoint(
        client,
        'relaxed-probe',
        to,
        { transactionId: '43', globalPosition: 8 },
        { relaxed: true },
      );
      const { rows } = await client.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s");
      expect(rows[0]!.s).toBe('on');
    } finally {
      client.release();
    }
  });
});
