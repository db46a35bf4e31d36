import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/eventstore/postgres/position.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { compareCheckpoints, newestCheckpoint, readBatch } from '../../src/eventstore/postgres/readBatch.js';
import { createSharedTail } from '../../src/eventstore/postgres/sharedTail.js';
import type { EventStore, SubscriptionFilter } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, waitFor } from '../support/events.js';

let db: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = createPostgresEventStore(db.pool);
  await store.appendToStream(`seed-${newId()}`, [anEvent('Seeded')]);
});
afterAll(() => db.drop());

/** The pool, counting the statements that go through it. */
const counted = (pool: SqlPool) => {
  const counter = {
    statements: 0,
    query: ((...args: Parameters<SqlPool['query']>) => {
      counter.statements += 1;
      return (pool.query as (...a: unknown[]) => unknown)(...args);
    }) as SqlPool['query'],
  };
  return counter;
};

const appendMixed = async (tag: string, n: number) => {
  for (let i = 0; i < n; i++) {
    const category = i % 3 === 0 ? `tailx${tag}` : `taily${tag}`;
    await store.appendToStream(`${category}-${newId()}`, [
      anEvent(i % 2 === 0 ? 'Even' : 'Odd'),
      anEvent('Both'),
    ]);
  }
};

/**
 * Where the store stands once every event in it is below the horizon: the horizon is the server's
 * (other test files' open transactions hold it back), and the tail and the table must see the same.
 */
const settled = async (): Promise<Checkpoint> => {
  let newest: Checkpoint | undefined;
  await waitFor(async () => {
    newest = await newestCheckpoint(db.pool, { belowHorizon: true });
    const all = await newestCheckpoint(db.pool, { belowHorizon: false });
    return newest !== undefined && all !== undefined && compareCheckpoints(newest, all) === 0;
  });
  return newest!;
};

const summary = (batch: Awaited<ReturnType<typeof readBatch>>) => ({
  ids: batch.events.map((e) => e.id),
  transactionIds: batch.transactionIds,
  checkpoint: batch.checkpoint,
});

describe('the shared tail', () => {
  it('answers every subscription exactly as reading the table would', async () => {
    const tag = newId().slice(-6).toLowerCase();
    const tail = createSharedTail(db.pool);
    const origin = await settled();
    await tail.read({ filter: { kind: 'all' }, after: origin, limit: 10 }); // the tail begins here
    await appendMixed(tag, 12);
    await settled();
    const filters: SubscriptionFilter[] = [
      { kind: 'all' },
      { kind: 'categories', categories: [`tailx${tag}`] },
      { kind: 'eventTypes', eventTypes: ['Odd', 'Nowhere'] },
      { kind: 'eventTypes', eventTypes: ['Nowhere'] },
    ];
    const appended = await readBatch(db.pool, { filter: { kind: 'all' }, after: origin, limit: 1_000 });
    expect(appended.events).toHaveLength(24);
    const positions: Checkpoint[] = [origin];
    appended.events.forEach((event, index) => {
      if (index % 5 === 0)
        positions.push({
          transactionId: appended.transactionIds[index]!,
          globalPosition: event.globalPosition,
        });
    });
    positions.push(appended.checkpoint);
    for (const filter of filters)
      for (const after of positions)
        for (const limit of [1, 3, 1_000]) {
          const request = { filter, after, limit };
          expect(summary(await tail.read(request))).toEqual(summary(await readBatch(db.pool, request)));
        }
  });

  it('reads the table once for subscriptions that ask together', async () => {
    const counter = counted(db.pool);
    const tail = createSharedTail(counter);
    const origin = await settled();
    await tail.read({ filter: { kind: 'all' }, after: origin, limit: 10 });
    await appendMixed(newId().slice(-6).toLowerCase(), 3);
    await settled();
    const before = counter.statements;
    const batches = await Promise.all(
      Array.from({ length: 20 }, () => tail.read({ filter: { kind: 'all' }, after: origin, limit: 100 })),
    );
    expect(counter.statements - before).toBeLessThanOrEqual(2);
    for (const batch of batches) expect(batch.events).toHaveLength(6);
  });

  it('lets the subscriptions one append woke share the read already running, and no later wake-up', async () => {
    const counter = counted(db.pool);
    let announced = 0;
    const tail = createSharedTail(counter, { announced: () => announced });
    const origin = await settled();
    await tail.read({ filter: { kind: 'all' }, after: origin, limit: 10 });
    await appendMixed(newId().slice(-6).toLowerCase(), 3);
    announced += 1; // the append's wake-up, before its subscribers read
    await settled();
    const before = counter.statements;
    const batches = await Promise.all(
      Array.from({ length: 20 }, () => tail.read({ filter: { kind: 'all' }, after: origin, limit: 100 })),
    );
    expect(counter.statements - before).toBe(1);
    for (const batch of batches) expect(batch.events).toHaveLength(6);

    // A wake-up announced while a read runs may be for an event that read began too early to see:
    // whoever it woke waits for a read of its own. The first read's answer is held back until the
    // append has committed and been announced.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    let answered = false;
    const slow = {
      query: (async (...args: unknown[]) => {
        const result = await (counter.query as (...a: unknown[]) => Promise<unknown>)(...args);
        if (holding) {
          answered = true;
          await held;
        }
        return result;
      }) as SqlPool['query'],
    };
    const racing = createSharedTail(slow, { announced: () => announced });
    await racing.read({ filter: { kind: 'all' }, after: origin, limit: 100 });
    holding = true;
    const first = racing.read({ filter: { kind: 'all' }, after: batches[0]!.checkpoint, limit: 100 });
    await waitFor(() => answered, 10_000, 'the first read answered, before the append');
    await appendMixed(newId().slice(-6).toLowerCase(), 1);
    announced += 1;
    await settled();
    const woken = racing.read({ filter: { kind: 'all' }, after: batches[0]!.checkpoint, limit: 100 });
    holding = false;
    release();
    expect((await first).events).toHaveLength(0);
    expect((await woken).events).toHaveLength(2);
  });

  it('sends a subscription behind what it holds to the table, and hands out events no one can change', async () => {
    const tag = newId().slice(-6).toLowerCase();
    const origin = await settled();
    const tail = createSharedTail(db.pool, { capacity: 4 });
    await tail.read({ filter: { kind: 'all' }, after: origin, limit: 10 });
    await appendMixed(tag, 5); // 10 events: the tail keeps the newest 4
    await settled();
    const request = { filter: { kind: 'all' } as const, after: origin, limit: 1_000 };
    const batch = await tail.read(request);
    expect(summary(batch)).toEqual(summary(await readBatch(db.pool, request)));
    expect(batch.events).toHaveLength(10);
    const recent = await tail.read({
      ...request,
      after: { transactionId: batch.transactionIds[7]!, globalPosition: batch.events[7]!.globalPosition },
    });
    expect(recent.events.map((e) => e.id)).toEqual(batch.events.slice(8).map((e) => e.id));
    expect(Object.isFrozen(recent.events[0]!.data)).toBe(true);
    expect(() => {
      (recent.events[0]!.data as Record<string, unknown>).changed = true;
    }).toThrow(TypeError);
  });
});
