import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors.js';
import { createKurrentDBEventStore } from '../../src/eventstore/kurrentdb/kurrentdbEventStore.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { type EventStore, type ExpectedRevision, findEvent } from '../../src/eventstore/types.js';
import { newId } from '../../src/platform/ids.js';
import { type ContractAdapter, describeEachAdapter } from '../support/contract.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent, events } from '../support/events.js';
import { kurrentdbTarget } from '../support/kurrentdb.js';

// One contract, every adapter behind the EventStore port: each runs the same cases.
type Opened = { store: EventStore; close(): Promise<void> };
type Adapter = ContractAdapter & { open(): Promise<Opened> };
const kurrentdb = await kurrentdbTarget();
const adapters: Adapter[] = [
  {
    name: 'PostgreSQL',
    async open() {
      const db = await createTestDatabase();
      return { store: createPostgresEventStore(db.pool), close: () => db.drop() };
    },
  },
  {
    name: 'in memory',
    open: async () => ({ store: createMemoryEventStore(), close: async () => {} }),
  },
  {
    name: 'KurrentDB',
    skipped: kurrentdb.skipped,
    async open() {
      const server = await kurrentdb.open();
      return { store: createKurrentDBEventStore(server.client), close: () => server.close() };
    },
  },
];

describeEachAdapter('the event store contract', adapters, (adapter) => {
  let opened: Opened | undefined;
  let store: EventStore;
  beforeAll(async () => {
    opened = await adapter.open();
    store = opened.store;
  });
  afterAll(() => opened?.close());

  const newStream = () => `order-${newId()}`;
  const conflictOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    return error as WrongExpectedRevisionError;
  };

  describe('append with an expected revision', () => {
    const cases: { name: string; existing: number; expected: ExpectedRevision; accepted: boolean }[] = [
      { name: 'any on a new stream', existing: 0, expected: 'any', accepted: true },
      { name: 'any on an existing stream', existing: 2, expected: 'any', accepted: true },
      { name: 'no_stream on a new stream', existing: 0, expected: 'no_stream', accepted: true },
      { name: 'no_stream on an existing stream', existing: 1, expected: 'no_stream', accepted: false },
      { name: 'stream_exists on a new stream', existing: 0, expected: 'stream_exists', accepted: false },
      { name: 'stream_exists on an existing stream', existing: 1, expected: 'stream_exists', accepted: true },
      { name: 'the exact last revision', existing: 3, expected: 2, accepted: true },
      { name: 'a revision behind the stream', existing: 3, expected: 1, accepted: false },
      { name: 'a revision ahead of the stream', existing: 3, expected: 5, accepted: false },
      { name: 'revision 0 on a new stream', existing: 0, expected: 0, accepted: false },
    ];
    for (const c of cases) {
      it(`${c.accepted ? 'accepts' : 'refuses'} ${c.name}`, async () => {
        const stream = newStream();
        if (c.existing > 0) await store.appendToStream(stream, events(c.existing));
        const attempt = store.appendToStream(stream, [anEvent()], { expectedRevision: c.expected });
        if (c.accepted) {
          expect((await attempt).nextExpectedRevision).toBe(c.existing);
        } else {
          const conflict = await conflictOf(attempt);
          expect(conflict.expected).toBe(c.expected);
          expect(conflict.actual).toBe(c.existing === 0 ? null : c.existing - 1);
          expect(conflict.message).toContain(String(c.expected));
          expect(await store.readStream(stream)).toHaveLength(c.existing);
        }
      });
    }

    it('says the expected and the actual revision in the conflict', async () => {
      const stream = newStream();
      await store.appendToStream(stream, events(3));
      const conflict = await conflictOf(store.appendToStream(stream, [anEvent()], { expectedRevision: 0 }));
      expect(conflict.message).toBe(`Append to ${stream} expected revision 0 but the stream is at 2`);
    });

    it('numbers a multi-event append consecutively and reports each global position', async () => {
      const stream = newStream();
      const result = await store.appendToStream(stream, events(10), { expectedRevision: 'no_stream' });
      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.streamRevision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(result).toEqual({
        nextExpectedRevision: 9,
        lastGlobalPosition: stored.at(-1)!.globalPosition,
        globalPositions: stored.map((e) => e.globalPosition),
        written: true,
      });
    });

    it('reports each event’s own global position while other writers append at the same moment', async () => {
      const streams = Array.from({ length: 24 }, newStream);
      const results = await Promise.all(streams.map((stream) => store.appendToStream(stream, events(5))));
      for (const [i, stream] of streams.entries()) {
        const stored = await store.readStream(stream);
        expect(results[i]!.globalPositions).toEqual(stored.map((e) => e.globalPosition));
        expect(results[i]!.lastGlobalPosition).toBe(Math.max(...stored.map((e) => e.globalPosition)));
      }
    });
  });

  describe('idempotent append', () => {
    it('stores a retried append once and reports it as not written', async () => {
      const stream = newStream();
      const batch = events(3);
      await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const retry = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(retry.written).toBe(false);
      expect(retry.nextExpectedRevision).toBe(2);
      const stored = await store.readStream(stream);
      expect(stored).toHaveLength(3);
      // The answer names where the first copy was stored.
      expect(retry.globalPositions).toEqual(stored.map((e) => e.globalPosition));
    });

    it('treats a retry as a no-op even after the stream moved on', async () => {
      const stream = newStream();
      const first = [anEvent()];
      await store.appendToStream(stream, first, { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [anEvent()], { expectedRevision: 0 });
      expect((await store.appendToStream(stream, first, { expectedRevision: 'no_stream' })).written).toBe(
        false,
      );
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses a batch that repeats only some stored event ids', async () => {
      const stream = newStream();
      const first = anEvent();
      await store.appendToStream(stream, [first]);
      await expect(store.appendToStream(stream, [first, anEvent()])).rejects.toThrow(
        /repeats 1 of 2 event ids/,
      );
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('stores one copy when the same append races with itself', async () => {
      const stream = newStream();
      const batch = events(2);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.appendToStream(stream, batch)),
      );
      expect(results.filter((r) => r.written)).toHaveLength(1);
      expect(await store.readStream(stream)).toHaveLength(2);
    });
  });

  describe('concurrent appends to one stream', () => {
    it('lets exactly one of 50 writers win each revision', async () => {
      const stream = newStream();
      const winners = new Map<number, number>();
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: 50 }, async (_, writer) => {
          for (;;) {
            const revision = await store.streamRevision(stream);
            try {
              const result = await store.appendToStream(stream, [anEvent('Written', { writer })], {
                expectedRevision: revision ?? 'no_stream',
              });
              winners.set(result.nextExpectedRevision, (winners.get(result.nextExpectedRevision) ?? 0) + 1);
              return;
            } catch (error) {
              if (!(error instanceof WrongExpectedRevisionError)) throw error;
              conflicts += 1;
            }
          }
        }),
      );
      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.streamRevision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect([...winners.values()].every((count) => count === 1)).toBe(true);
      expect(new Set(stored.map((e) => (e.data as { writer: number }).writer)).size).toBe(50);
      expect(conflicts).toBeGreaterThan(0);
    });

    it('lets one of 50 writers expecting the same revision win and tells the rest the actual revision', async () => {
      const stream = newStream();
      await store.appendToStream(stream, [anEvent()]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.appendToStream(stream, [anEvent()], { expectedRevision: 0 })),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).toHaveLength(49);
      for (const r of refused) expect((r.reason as WrongExpectedRevisionError).actual).toBe(1);
    });

    it('lets one of 50 writers create a stream that must not exist', async () => {
      const stream = newStream();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('serialises 50 writers that expect any revision without losing one', async () => {
      const stream = newStream();
      await Promise.all(Array.from({ length: 50 }, () => store.appendToStream(stream, [anEvent()])));
      expect((await store.readStream(stream)).map((e) => e.streamRevision)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
    });
  });

  describe('reading', () => {
    it('reads a stream forwards and backwards, from a revision, up to a count', async () => {
      const stream = newStream();
      await store.appendToStream(stream, events(5));
      const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
        (await store.readStream(stream, options)).map((e) => e.streamRevision);
      expect(await revisions({})).toEqual([0, 1, 2, 3, 4]);
      expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
      expect(await revisions({ fromRevision: 2, maxCount: 2 })).toEqual([2, 3]);
      expect(await revisions({ direction: 'backwards', fromRevision: 2 })).toEqual([2, 1, 0]);
      expect(await store.readStream(newStream())).toEqual([]);
    });

    it('keeps the whole event record: id, type, data, metadata, revision and position', async () => {
      const stream = newStream();
      const event = anEvent('PrescriptionReceived', { nested: { list: [1, 2] }, text: 'ü' });
      await store.appendToStream(stream, [event]);
      const [stored] = await store.readStream(stream);
      expect(stored).toMatchObject({ ...event, streamName: stream, streamRevision: 0 });
      expect(await findEvent(store, stream, event.id)).toEqual(stored);
      expect(await findEvent(store, newStream(), event.id)).toBeNull();
    });

    it('reads all events in global order from a position', async () => {
      const a = newStream();
      const b = newStream();
      await store.appendToStream(a, events(2));
      await store.appendToStream(b, events(2));
      const all = await store.readAll();
      const positions = all.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      const from = all.at(-3)!.globalPosition;
      expect((await store.readAll({ fromPosition: from, maxCount: 2 })).map((e) => e.globalPosition)).toEqual(
        positions.slice(-3, -1),
      );
    });

    it('reads all events of a category, or of event types, in global order and counts only those toward the limit', async () => {
      // Categories of this case alone: the store holds the other cases' events too.
      const tag = newId()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '');
      const [mine, theirs] = [`mine${tag}`, `theirs${tag}`];
      const first = `${mine}-${newId()}`;
      const second = `${mine}-${newId()}`;
      await store.appendToStream(first, [anEvent(`Kept${tag}`), anEvent(`Other${tag}`)]);
      await store.appendToStream(`${theirs}-${newId()}`, [anEvent(`Kept${tag}`)]);
      await store.appendToStream(second, [anEvent(`Other${tag}`)]);

      const ofCategory = await store.readAll({ filter: { kind: 'categories', categories: [mine] } });
      expect(ofCategory.map((e) => [e.streamName, e.streamRevision])).toEqual([
        [first, 0],
        [first, 1],
        [second, 0],
      ]);
      const limited = await store.readAll({
        filter: { kind: 'categories', categories: [mine] },
        fromPosition: ofCategory[1]!.globalPosition,
        maxCount: 1,
      });
      expect(limited.map((e) => e.id)).toEqual([ofCategory[1]!.id]);

      const ofType = await store.readAll({ filter: { kind: 'eventTypes', eventTypes: [`Kept${tag}`] } });
      expect(ofType.map((e) => e.streamName)).toEqual([
        first,
        expect.stringMatching(new RegExp(`^${theirs}-`)),
      ]);
    });

    it('reports a stream revision, or null for a stream without events', async () => {
      const stream = newStream();
      expect(await store.streamRevision(stream)).toBeNull();
      await store.appendToStream(stream, events(2));
      expect(await store.streamRevision(stream)).toBe(1);
    });
  });

  describe('stream names', () => {
    it('refuses stream names that are not <category>-<id>', async () => {
      await expect(store.appendToStream('nocategory', [anEvent()])).rejects.toThrow(/<category>-<id>/);
      await expect(store.appendToStream('order-', [anEvent()])).rejects.toThrow(/<category>-<id>/);
    });
  });
});

describe('PostgreSQL integrity', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('refuses to change or delete a stored event', async () => {
    const store = createPostgresEventStore(db.pool);
    const stream = `order-${newId()}`;
    await store.appendToStream(stream, [anEvent()]);
    await expect(
      db.pool.query("UPDATE events SET data = '{}' WHERE stream_name = $1", [stream]),
    ).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM events WHERE stream_name = $1', [stream])).rejects.toThrow(
      /append-only/,
    );
  });
});
