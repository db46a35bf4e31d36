import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { AppendListener, Notifier } from '../../src/eventstore/postgres/notifier.js';
import type { Batch } from '../../src/eventstore/postgres/readBatch.js';
import type { EventStore, RecordedEvent } from '../../src/eventstore/types.js';
import { createLiveFeed, type FeedBatch, readHead } from '../../src/http/live/liveFeed.js';
import { toOrderChanges } from '../../src/http/live/orderChanges.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// What the shared live feed costs the database while consoles are open: it reads when something it
// carries was appended, and it knows an order's status without reading the order's stream again.

/** A notifier the test drives: `appended` calls the feed's listener as an append would. */
const scriptedNotifier = () => {
  const listeners = new Set<AppendListener>();
  const notifier: Notifier = {
    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announce() {},
    onHorizon: () => () => {},
    announced: () => 0,
    close: async () => {},
  };
  return {
    notifier,
    appended: (categories: string[]) => {
      for (const listener of listeners) listener({ categories, eventTypes: ['Anything'] });
    },
  };
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the shared live feed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('reads after appends to orders and consultations, not after appends to other streams', async () => {
    const { notifier, appended } = scriptedNotifier();
    const head = await readHead(db.pool);
    const reads: string[] = [];
    const feed = createLiveFeed({
      pool: db.pool,
      store: createMemoryEventStore(),
      notifier,
      // Past every poll of this test: only a wake-up reads.
      pollIntervalMs: 60_000,
      read: async () => {
        reads.push('read');
        return { events: [], transactionIds: [], checkpoint: head };
      },
    });
    const membership = await feed.join(() => {});
    await settle();
    appended(['access']);
    appended(['parcel', 'staff']);
    await settle();
    expect(reads).toEqual([]);
    appended(['order']);
    await settle();
    appended(['consultation']);
    await settle();
    expect(reads).toEqual(['read', 'read']);
    membership.leave();
    await feed.close();
  });

  it('knows the status a status-neutral event leaves from the batches it already carried', async () => {
    const { notifier, appended } = scriptedNotifier();
    const head = await readHead(db.pool);
    const streamReads: string[] = [];
    const store = createMemoryEventStore();
    const counting: EventStore = {
      ...store,
      readStream: (name, options) => {
        streamReads.push(name);
        return store.readStream(name, options);
      },
    };
    const event = (revision: number, type: string, data: unknown): RecordedEvent => ({
      id: `00000000-0000-4000-8000-00000000000${revision}`,
      type,
      data,
      metadata: { occurredAt: new Date().toISOString() } as RecordedEvent['metadata'],
      streamName: 'order-ORDER1',
      streamRevision: revision,
      globalPosition: 100 + revision,
    });
    const batches: Batch[] = [
      {
        events: [event(4, 'EnrollmentLinkIssued', { linkId: 'l1' })],
        transactionIds: ['900'],
        checkpoint: { transactionId: '900', globalPosition: 104 },
      },
      {
        events: [event(5, 'IntegrationCallFailed', { attempt: 1 })],
        transactionIds: ['901'],
        checkpoint: { transactionId: '901', globalPosition: 105 },
      },
    ];
    const feed = createLiveFeed({
      pool: db.pool,
      store: counting,
      notifier,
      pollIntervalMs: 60_000,
      read: async () => batches.shift() ?? { events: [], transactionIds: [], checkpoint: head },
    });
    const received: FeedBatch[] = [];
    const membership = await feed.join((batch) => received.push(batch));
    appended(['order']);
    await settle();
    appended(['order']);
    await settle();
    const statuses = received.flatMap((batch) =>
      batch.changes.map((change) => (change.type === 'order-changed' ? change.status : null)),
    );
    expect(statuses).toEqual(['awaiting_enrollment', 'awaiting_enrollment']);
    expect(streamReads).toEqual([]);

    // Without what the feed remembers, the same event needs the order's stream read.
    await toOrderChanges(counting, {
      events: [event(6, 'IntegrationCallFailed', { attempt: 2 })],
      transactionIds: ['902'],
      checkpoint: { transactionId: '902', globalPosition: 106 },
    });
    expect(streamReads).toEqual(['order-ORDER1']);
    membership.leave();
    await feed.close();
  });
});
