import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointConflictError } from '../../src/eventstore/errors.js';
import { createMemoryConsumers } from '../../src/eventstore/memory/memoryConsumers.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { OpaqueCheckpoint } from '../../src/eventstore/subscriptions.js';
import {
  type Projection,
  rebuildProjection,
  startProjection,
  waitForProjection,
} from '../../src/projections/runtime.js';
import { createSqlCheckpointStore } from '../../src/stores/consumerCheckpoints.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { events } from '../support/events.js';

// A PostgreSQL read model fed by another event store (here the in-memory one; KurrentDB's path):
// the projection runs on the consumer port, and the store's opaque checkpoint is kept in
// consumer_checkpoints, committed in the same transaction as the batch's rows.

const TABLE = 'CREATE TABLE portable_seen (event_id uuid PRIMARY KEY, global_position bigint NOT NULL)';

/** Records each event it is given; with `failOnce`, the first batch holding that event writes its rows, then fails. */
const seen = (options: { failOnce?: string } = {}): Projection & { failed(): boolean } => {
  let failed = false;
  return {
    failed: () => failed,
    name: 'portable-seen',
    filter: { kind: 'categories', categories: ['portable'] },
    tables: ['portable_seen'],
    async applyBatch(client, batch) {
      await client.query(
        'INSERT INTO portable_seen (event_id, global_position) SELECT unnest($1::uuid[]), unnest($2::bigint[])',
        [batch.map((e) => e.id), batch.map((e) => e.globalPosition)],
      );
      if (!failed && options.failOnce && batch.some((e) => e.id === options.failOnce)) {
        failed = true;
        throw new Error('the read model failed mid-batch');
      }
    },
  };
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(TABLE);
});
afterAll(() => db?.drop());

describe('a PostgreSQL projection fed by another event store, on the consumer port', () => {
  it('commits rows and the store’s checkpoint together; a failed batch leaves neither, and comes again', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createSqlCheckpointStore(db.pool);
    const consumers = createMemoryConsumers(store, { checkpoints });
    const written = events(6);
    await store.appendToStream('portable-1', written.slice(0, 3));
    await store.appendToStream('other-1', events(2));
    await store.appendToStream('portable-2', written.slice(3));

    const projection = seen({ failOnce: written[4]!.id });
    const runner = startProjection(consumers, db.pool, projection, { batchSize: 2 });
    await runner.drain(20_000);
    await runner.stop();
    expect(projection.failed()).toBe(true);

    const { rows } = await db.pool.query<{ event_id: string }>(
      'SELECT event_id FROM portable_seen ORDER BY global_position',
    );
    // Each event once: the failed batch's rows were rolled back with its checkpoint, then written again.
    expect(rows.map((r) => r.event_id)).toEqual(written.map((e) => e.id));
    const last = (await store.readAll()).at(-1)!;
    expect(await checkpoints.load('projection:portable-seen')).toBe(`memory:${last.globalPosition}`);
  });

  it('is rebuilt from the other store’s events, and its live consumer goes on from where the rebuild ended', async () => {
    const store = createMemoryEventStore();
    const checkpoints = createSqlCheckpointStore(db.pool);
    const written = events(7);
    await store.appendToStream('portable-3', written.slice(0, 4));
    await store.appendToStream('other-2', events(3));
    await store.appendToStream('portable-4', written.slice(4));
    // What the table and the checkpoint hold before (the first case's rows) is replaced.
    const report = await rebuildProjection(db.pool, { source: store }, checkpoints, seen(), { batchSize: 3 });
    expect(report.events).toBe(7);
    const ids = async () =>
      (
        await db.pool.query<{ event_id: string }>(
          'SELECT event_id FROM portable_seen ORDER BY global_position',
        )
      ).rows.map((r) => r.event_id);
    expect(await ids()).toEqual(written.map((e) => e.id));
    expect(await checkpoints.load('projection:portable-seen')).toBe(
      `memory:${(await store.readAll()).at(-1)!.globalPosition}`,
    );

    const later = events(2);
    await store.appendToStream('portable-5', later);
    const consumers = createMemoryConsumers(store, { checkpoints });
    const runner = startProjection(consumers, db.pool, seen());
    await runner.drain(20_000);
    await runner.stop();
    expect(await ids()).toEqual([...written, ...later].map((e) => e.id));
  });

  it('lets a reader wait until the projection has passed an event, one of its own or not', async () => {
    const store = createMemoryEventStore();
    const consumers = createMemoryConsumers(store, { checkpoints: createSqlCheckpointStore(db.pool) });
    const projection = { ...seen(), name: 'portable-waited' };
    const mine = events(1)[0]!;
    const other = events(1)[0]!;
    await store.appendToStream('portable-6', [mine]);
    await store.appendToStream('other-3', [other]);
    const [a, b] = await store.readAll({ fromPosition: 0 });
    expect([a!.id, b!.id]).toEqual([mine.id, other.id]);
    // Nobody consumes it yet: the wait gives up.
    await expect(waitForProjection(consumers, projection, b!, 200)).rejects.toThrow(/did not reach/);
    const runner = startProjection(consumers, db.pool, projection);
    await waitForProjection(consumers, projection, a!, 5_000);
    await waitForProjection(consumers, projection, b!, 5_000);
    await runner.stop();
    const { rows } = await db.pool.query('SELECT 1 FROM portable_seen WHERE event_id = $1', [mine.id]);
    expect(rows).toHaveLength(1);
  });

  it('moves a checkpoint only from where it stands, the first only where none is', async () => {
    const checkpoints = createSqlCheckpointStore(db.pool);
    const at = (n: number) => `memory:${n}` as OpaqueCheckpoint;
    await checkpoints.store('cas', undefined, at(1));
    await expect(checkpoints.store('cas', undefined, at(2))).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(checkpoints.store('cas', at(5), at(6))).rejects.toBeInstanceOf(CheckpointConflictError);
    await checkpoints.store('cas', at(1), at(2), { relaxed: true });
    expect(await checkpoints.load('cas')).toBe(at(2));
    expect(await checkpoints.load('none')).toBeUndefined();
  });
});
