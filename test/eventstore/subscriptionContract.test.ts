import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createKurrentDBEventStore } from '../../src/eventstore/kurrentdb/kurrentdbEventStore.js';
import { createKurrentDBSubscriptionSource } from '../../src/eventstore/kurrentdb/kurrentdbSubscriptionSource.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { createNotifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { createPostgresSubscriptionSource } from '../../src/eventstore/postgres/subscriptionSource.js';
import type {
  OpaqueCheckpoint,
  Subscription,
  SubscriptionSource,
} from '../../src/eventstore/subscriptions.js';
import type { EventStore, RecordedEvent, SubscriptionFilter } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { type ContractAdapter, describeEachAdapter } from '../support/contract.js';
import { createTestDatabase } from '../support/database.js';
import { anEvent, events, waitFor } from '../support/events.js';
import { kurrentdbTarget } from '../support/kurrentdb.js';

// One subscription contract, every adapter behind the SubscriptionSource port.
type Opened = { store: EventStore; source: SubscriptionSource; close(): Promise<void> };
const kurrentdb = await kurrentdbTarget();
/** `foreignCheckpoint`: another adapter's checkpoint, which this one must refuse. */
const adapters: (ContractAdapter & { open(): Promise<Opened>; foreignCheckpoint: string })[] = [
  {
    name: 'PostgreSQL',
    foreignCheckpoint: 'kurrentdb:1/1',
    async open() {
      const db = await createTestDatabase();
      // With the platform's safety net: an event a NOTIFY announced while another database's
      // transaction held the horizon back (test files run side by side) is read at the next poll.
      const notifier = createNotifier(db.connectionString, silentLogger, db.pool, { horizonPollMs: 100 });
      return {
        store: createPostgresEventStore(db.pool, { afterAppend: notifier.announce }),
        source: createPostgresSubscriptionSource({
          pool: db.pool,
          connectionString: db.connectionString,
          notifier,
          log: silentLogger,
        }),
        async close() {
          await notifier.close();
          await db.drop();
        },
      };
    },
  },
  {
    name: 'in memory',
    foreignCheckpoint: 'kurrentdb:1/1',
    async open() {
      const store = createMemoryEventStore();
      return { store, source: store, close: async () => {} };
    },
  },
  {
    name: 'KurrentDB',
    foreignCheckpoint: 'pg:1:1',
    skipped: kurrentdb.skipped,
    async open() {
      const server = await kurrentdb.open();
      return {
        store: createKurrentDBEventStore(server.client),
        source: createKurrentDBSubscriptionSource(server.client),
        close: () => server.close(),
      };
    },
  },
];

describeEachAdapter('the subscription contract', adapters, (adapter) => {
  let opened: Opened | undefined;
  let store: EventStore;
  const running: Subscription[] = [];
  beforeAll(async () => {
    opened = await adapter.open();
    store = opened.store;
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(() => opened?.close());

  /** A category of its own per test, so tests sharing a store never see each other's events. */
  const newCategory = () => `c${newId().toLowerCase()}`;

  const collect = (filter: SubscriptionFilter, from?: OpaqueCheckpoint, batchSize?: number) => {
    const seen: RecordedEvent[] = [];
    const checkpoints: OpaqueCheckpoint[] = [];
    const eventCheckpoints: OpaqueCheckpoint[] = [];
    const subscription = opened!.source.subscribe({
      name: `contract-${newId()}`,
      filter,
      from,
      batchSize,
      async handle(batch) {
        expect(batch.eventCheckpoints).toHaveLength(batch.events.length);
        seen.push(...batch.events);
        eventCheckpoints.push(...batch.eventCheckpoints);
        checkpoints.push(batch.checkpoint);
      },
    });
    running.push(subscription);
    return { seen, checkpoints, eventCheckpoints, subscription };
  };

  const ids = (list: readonly RecordedEvent[]) => list.map((e) => e.id);

  it('catches up with stored events, then goes on live, without a gap or a repeat', async () => {
    const category = newCategory();
    const stream = `${category}-1`;
    const before = events(3);
    await store.appendToStream(stream, before);
    const { seen, subscription } = collect({ kind: 'categories', categories: [category] }, undefined, 2);
    await subscription.drain();
    expect(ids(seen)).toEqual(ids(before as RecordedEvent[]));

    const after = events(2);
    await store.appendToStream(stream, after);
    await waitFor(() => seen.length === 5, 10_000, 'the live events');
    expect(ids(seen)).toEqual([...before, ...after].map((e) => e.id));
    expect(seen.map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4]);
  });

  it('resumes after a checkpoint it handed out, with only what came later', async () => {
    const category = newCategory();
    const first = collect({ kind: 'categories', categories: [category] });
    const early = events(2);
    await store.appendToStream(`${category}-1`, early);
    await waitFor(() => first.seen.length === 2, 10_000, 'the early events');
    await first.subscription.drain();
    await first.subscription.stop();
    const checkpoint = first.checkpoints.at(-1)!;

    const late = events(3);
    await store.appendToStream(`${category}-2`, late);
    const resumed = collect({ kind: 'categories', categories: [category] }, checkpoint);
    await waitFor(() => resumed.seen.length >= 3, 10_000, 'the late events');
    await resumed.subscription.drain();
    expect(ids(resumed.seen)).toEqual(late.map((e) => e.id));
  });

  it('delivers only the categories or event types its filter names', async () => {
    const wanted = newCategory();
    const other = newCategory();
    const type = `Typed${newId()}`;
    const byCategory = collect({ kind: 'categories', categories: [wanted] });
    const byType = collect({ kind: 'eventTypes', eventTypes: [type] });
    const a = anEvent('SomethingHappened');
    const b = anEvent(type);
    const c = anEvent(type);
    await store.appendToStream(`${wanted}-1`, [a, b]);
    await store.appendToStream(`${other}-1`, [c, anEvent('SomethingHappened')]);
    await byCategory.subscription.drain();
    await byType.subscription.drain();
    expect(ids(byCategory.seen)).toEqual([a.id, b.id]);
    expect(ids(byType.seen)).toEqual([b.id, c.id]);
  });

  it('hands out a checkpoint that passes skipped events, even in an empty batch', async () => {
    const wanted = newCategory();
    const { seen, checkpoints, subscription } = collect({ kind: 'categories', categories: [wanted] });
    await subscription.drain();
    const before = checkpoints.length;
    await store.appendToStream(`${newCategory()}-1`, events(2));
    await subscription.drain();
    expect(seen).toEqual([]);
    expect(checkpoints.length).toBeGreaterThan(before);
  });

  it('sees every event of concurrent writers exactly once, each stream in revision order', async () => {
    const category = newCategory();
    const { seen, subscription } = collect({ kind: 'categories', categories: [category] });
    const writers = 20;
    const perWriter = 5;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < perWriter; i += 1) {
          await store.appendToStream(`${category}-${writer}`, [anEvent('Written', { writer, i })]);
        }
      }),
    );
    await subscription.drain();
    await waitFor(() => seen.length >= writers * perWriter, 10_000, 'every written event');
    expect(new Set(ids(seen)).size).toBe(writers * perWriter);
    expect(seen).toHaveLength(writers * perWriter);
    for (let writer = 0; writer < writers; writer += 1) {
      const revisions = seen
        .filter((e) => e.streamName === `${category}-${writer}`)
        .map((e) => e.streamRevision);
      expect(revisions).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('delivers a retried append once', async () => {
    const category = newCategory();
    const { seen, subscription } = collect({ kind: 'categories', categories: [category] });
    const batch = events(2);
    await store.appendToStream(`${category}-1`, batch);
    await store.appendToStream(`${category}-1`, batch);
    await store.appendToStream(`${category}-1`, [anEvent()]);
    await subscription.drain();
    await waitFor(() => seen.length >= 3, 10_000, 'the appended events');
    expect(seen.map((e) => e.streamRevision)).toEqual([0, 1, 2]);
  });

  it('gives each delivered event its own checkpoint, in order, to resume from part-way through a batch', async () => {
    const category = newCategory();
    const written = events(5);
    await store.appendToStream(`${category}-1`, written);
    const { eventCheckpoints, checkpoints, subscription } = collect({
      kind: 'categories',
      categories: [category],
    });
    await subscription.drain();
    const compare = opened!.source.compareCheckpoints;
    expect(eventCheckpoints).toHaveLength(5);
    for (let i = 1; i < 5; i += 1)
      expect(compare(eventCheckpoints[i - 1], eventCheckpoints[i])).toBeLessThan(0);
    expect(compare(eventCheckpoints[4], checkpoints.at(-1))).toBeLessThanOrEqual(0);
    expect(compare(undefined, eventCheckpoints[0])).toBeLessThan(0);
    expect(compare(eventCheckpoints[2], eventCheckpoints[2])).toBe(0);

    const resumed = collect({ kind: 'categories', categories: [category] }, eventCheckpoints[1]);
    await resumed.subscription.drain();
    expect(ids(resumed.seen)).toEqual(written.slice(2).map((e) => e.id));
  });

  it('refuses a checkpoint it did not issue', () => {
    expect(() =>
      opened!.source.subscribe({
        name: 'foreign',
        filter: { kind: 'all' },
        from: adapter.foreignCheckpoint as OpaqueCheckpoint,
        handle: async () => {},
      }),
    ).toThrow(/checkpoint/);
  });
});
