import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/commands/commandHandler.js';
import { createStreamCache, readCurrent } from '../../src/commands/streamCache.js';
import { type Decider, DomainError } from '../../src/domain/decider.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { manualClock } from '../../src/platform/clock.js';
import { newId, newUuid } from '../../src/platform/ids.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { deciderSpec } from '../support/deciderSpec.js';

// A tiny stock counter: enough to exercise the handler without a pharmacy flow.
type Command =
  | { type: 'Receive'; quantity: number }
  | { type: 'ReceiveMany'; quantities: number[] }
  | { type: 'Dispense'; quantity: number };
type Event =
  | { type: 'StockReceived'; data: { quantity: number } }
  | { type: 'StockDispensed'; data: { quantity: number } };
type State = { onHand: number };

const stock: Decider<State, Command, Event> = {
  initialState: () => ({ onHand: 0 }),
  evolve: (state, event) => ({
    onHand: state.onHand + (event.type === 'StockReceived' ? event.data.quantity : -event.data.quantity),
  }),
  decide: (command, state) => {
    if (command.type === 'Receive') return [{ type: 'StockReceived', data: { quantity: command.quantity } }];
    if (command.type === 'ReceiveMany')
      return command.quantities.map((quantity) => ({ type: 'StockReceived' as const, data: { quantity } }));
    if (command.quantity > state.onHand)
      throw new DomainError('conflict', 'OUT_OF_STOCK', `only ${state.onHand} on hand`);
    return [{ type: 'StockDispensed', data: { quantity: command.quantity } }];
  },
};

describe('a decider spec in given/when/then form', () => {
  const spec = deciderSpec(stock);
  it('given stock received, when dispensing less, then it is dispensed', () =>
    spec
      .given([{ type: 'StockReceived', data: { quantity: 5 } }])
      .when({ type: 'Dispense', quantity: 2 })
      .then([{ type: 'StockDispensed', data: { quantity: 2 } }]));
  it('given no stock, when dispensing, then it is refused as out of stock', () =>
    spec.given([]).when({ type: 'Dispense', quantity: 1 }).thenThrows('OUT_OF_STOCK'));
});

describe('command handler', () => {
  let db: TestDatabase;
  let store: EventStore;
  const clock = manualClock('2026-11-21T09:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createPostgresEventStore(db.pool);
  });
  afterAll(() => db.drop());

  const handle = (maxAttempts?: number) => createCommandHandler(store, stock, { clock, maxAttempts });

  it('answers each event it appended with the global position the store gave it, while other commands append at the same moment', async () => {
    // PostgreSQL's sequence hands concurrent statements interleaved numbers: a batch's positions are
    // not consecutive, so counting back from the last one named other writers' events.
    const handler = handle();
    const streams = Array.from({ length: 24 }, () => `stock-${newId()}`);
    const results = await Promise.all(
      streams.map((stream) =>
        handler(envelope(stream, { type: 'ReceiveMany', quantities: [1, 2, 3, 4, 5] })),
      ),
    );
    for (const [i, stream] of streams.entries()) {
      const stored = await store.readStream(stream);
      expect(results[i]!.events.map((e) => e.globalPosition)).toEqual(stored.map((e) => e.globalPosition));
    }
  });
  const envelope = (streamName: string, command: Command, commandId = newUuid()) => ({
    commandId,
    streamName,
    command,
    actor: 'user:ops@example.org',
  });

  it('appends what the decider decides, with metadata from the envelope and the clock', async () => {
    const stream = `stock-${newId()}`;
    const result = await handle()(envelope(stream, { type: 'Receive', quantity: 3 }));
    expect(result.state).toEqual({ onHand: 3 });
    const [stored] = await store.readStream(stream);
    expect(stored!.metadata).toMatchObject({
      actor: 'user:ops@example.org',
      occurredAt: '2026-11-21T09:00:00.000Z',
    });
    expect(stored!.metadata.commandId).toBe(result.events[0]!.metadata.commandId);
  });

  it('answers a repeated command from the stream instead of applying it again', async () => {
    const stream = `stock-${newId()}`;
    const receive = envelope(stream, { type: 'Receive', quantity: 3 });
    const first = await handle()(receive);
    const again = await handle()(receive);
    expect(again.repeated).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('retries on a concurrent write and decides against the new state', async () => {
    const stream = `stock-${newId()}`;
    await handle()(envelope(stream, { type: 'Receive', quantity: 10 }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => handle(20)(envelope(stream, { type: 'Dispense', quantity: 2 }))),
    );
    const dispensed = results.filter((r) => r.status === 'fulfilled');
    expect(dispensed).toHaveLength(5);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason.code).toBe('OUT_OF_STOCK');
    }
    const history = await store.readStream(stream);
    expect(history.reduce(stock.evolve as never, stock.initialState())).toEqual({ onHand: 0 });
  });

  it('refuses what the rules refuse and stores nothing', async () => {
    const stream = `stock-${newId()}`;
    await expect(handle()(envelope(stream, { type: 'Dispense', quantity: 1 }))).rejects.toThrow(DomainError);
    expect(await store.readStream(stream)).toEqual([]);
  });
});

describe('command handler with remembered streams', () => {
  let db: TestDatabase;
  let store: EventStore;
  let reads = 0;
  /** Events the store handed back to reads: each is parsed again by whoever read it. */
  let eventsRead = 0;
  const clock = manualClock('2026-11-21T09:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase();
    const postgres = createPostgresEventStore(db.pool);
    store = {
      ...postgres,
      readStream: async (...args) => {
        reads += 1;
        const events = await postgres.readStream(...args);
        eventsRead += events.length;
        return events;
      },
    };
  });
  afterAll(() => db.drop());

  const envelope = (streamName: string, command: Command, commandId = newUuid()) => ({
    commandId,
    streamName,
    command,
    actor: 'user:ops@example.org',
  });

  it('appends on the remembered history without reading the stream again', async () => {
    const handle = createCommandHandler(store, stock, { clock, cache: createStreamCache() });
    const stream = `stock-${newId()}`;
    await handle(envelope(stream, { type: 'Receive', quantity: 5 }));
    const before = reads;
    const second = await handle(envelope(stream, { type: 'Dispense', quantity: 2 }));
    const third = await handle(envelope(stream, { type: 'Dispense', quantity: 1 }));
    expect(reads - before).toBe(0);
    expect(third.state).toEqual({ onHand: 2 });
    expect([second.revision, third.revision]).toEqual([1, 2]);
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual([
      'StockReceived',
      'StockDispensed',
      'StockDispensed',
    ]);
  });

  it('decides again on the stream as it stands when another writer moved it', async () => {
    const cache = createStreamCache();
    const here = createCommandHandler(store, stock, { clock, cache });
    const elsewhere = createCommandHandler(store, stock, { clock });
    const stream = `stock-${newId()}`;
    await here(envelope(stream, { type: 'Receive', quantity: 1 }));
    // Another process receives more and dispenses; this one only remembers the first receipt.
    await elsewhere(envelope(stream, { type: 'Receive', quantity: 4 }));
    const dispensedThere = envelope(stream, { type: 'Dispense', quantity: 3 });
    await elsewhere(dispensedThere);
    // On the remembered history 2 cannot be dispensed (1 on hand): the refusal is checked on the stream.
    const result = await here(envelope(stream, { type: 'Dispense', quantity: 2 }));
    expect(result.state).toEqual({ onHand: 0 });
    // A command the other process applied is answered as a repeat, not applied twice.
    const repeat = await here(dispensedThere);
    expect(repeat.repeated).toBe(true);
    // And a remembered history that would allow what the stream does not is refused by the store.
    const stale = createCommandHandler(store, stock, { clock, cache });
    cache.remember(stream, (await store.readStream(stream)).slice(0, 2)); // 5 on hand, it says
    await expect(stale(envelope(stream, { type: 'Dispense', quantity: 1 }))).rejects.toThrow(
      'only 0 on hand',
    );
    expect(await store.readStream(stream)).toHaveLength(4);
  });

  it('loads a stream it remembers by reading only the events after the remembered ones', async () => {
    const cache = createStreamCache();
    const here = createCommandHandler(store, stock, { clock, cache });
    const elsewhere = createCommandHandler(store, stock, { clock });
    const stream = `stock-${newId()}`;
    await here(envelope(stream, { type: 'ReceiveMany', quantities: [1, 1, 1, 1, 1, 1, 1, 1] }));
    await elsewhere(envelope(stream, { type: 'Dispense', quantity: 2 }));
    // A process manager loads the stream as it stands, then commands it.
    const before = eventsRead;
    const loaded = await readCurrent(store, cache, stream);
    expect(loaded.map((event) => event.streamRevision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(eventsRead - before).toBe(1);
    // A command on a remembered history another writer moved reads only what it missed, too.
    await elsewhere(envelope(stream, { type: 'Dispense', quantity: 1 }));
    const readsBefore = eventsRead;
    const result = await here(envelope(stream, { type: 'Dispense', quantity: 1 }));
    expect(result.state).toEqual({ onHand: 4 });
    expect(eventsRead - readsBefore).toBe(1);
    expect(await readCurrent(store, cache, stream)).toHaveLength(11);
  });

  it('looks for a stream that does not exist with one read', async () => {
    const before = reads;
    expect(await readCurrent(store, createStreamCache(), `stock-${newId()}`)).toEqual([]);
    expect(reads - before).toBe(1);
  });

  it('keeps remembered events frozen, so no decider can change them', async () => {
    const cache = createStreamCache();
    const handle = createCommandHandler(store, stock, { clock, cache });
    const stream = `stock-${newId()}`;
    await handle(envelope(stream, { type: 'Receive', quantity: 5 }));
    const [remembered] = cache.get(stream)!;
    expect(() => {
      (remembered!.data as { quantity: number }).quantity = 50;
    }).toThrow(TypeError);
  });
});
