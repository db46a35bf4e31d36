import { type KurrentDBClient, START } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { createKurrentDBEventStore } from '../../src/eventstore/kurrentdb/kurrentdbEventStore.js';
import { serverFilter } from '../../src/eventstore/kurrentdb/kurrentdbSubscriptionSource.js';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  fromGlobalPosition,
  isAfter,
  toGlobalPosition,
} from '../../src/eventstore/kurrentdb/positions.js';
import { toEventData, toRecordedEvent } from '../../src/eventstore/kurrentdb/records.js';
import type { OpaqueCheckpoint } from '../../src/eventstore/subscriptions.js';
import { anEvent } from '../support/events.js';

// What the KurrentDB adapter maps without a server: positions, checkpoints, records, filters.
// Its behaviour against a server is the contract suites' (skipped where none runs).

describe('KurrentDB $all positions', () => {
  const position = (commit: number, prepare = commit) => ({
    commit: BigInt(commit),
    prepare: BigInt(prepare),
  });

  it('given a position, then the global position is its commit position, and back', () => {
    expect(toGlobalPosition(position(1_234, 1_234))).toBe(1_234);
    expect(fromGlobalPosition(1_234)).toEqual(position(1_234));
    expect(fromGlobalPosition(0)).toBe(START);
    expect(() => fromGlobalPosition(-1)).toThrow(/invalid global position/);
    expect(() => toGlobalPosition({ commit: 2n ** 60n, prepare: 2n ** 60n })).toThrow(/does not fit/);
  });

  it('given a checkpoint it issued, then it reads back both halves; another store’s is refused', () => {
    const checkpoint = encodeCheckpoint(position(900, 850));
    expect(checkpoint).toBe('kurrentdb:900/850');
    expect(decodeCheckpoint(checkpoint)).toEqual(position(900, 850));
    expect(decodeCheckpoint(undefined)).toBeUndefined();
    expect(() => decodeCheckpoint('pg:12:3' as OpaqueCheckpoint)).toThrow(
      /not a KurrentDB event store checkpoint/,
    );
  });

  it('orders positions by commit, then prepare; everything comes after the start', () => {
    expect(isAfter(position(10), position(9))).toBe(true);
    expect(isAfter(position(10, 8), position(10, 7))).toBe(true);
    expect(isAfter(position(10), position(10))).toBe(false);
    expect(isAfter(position(9), position(10))).toBe(false);
    expect(isAfter(position(0), undefined)).toBe(true);
  });
});

describe('KurrentDB records', () => {
  it('stores the port’s metadata with KurrentDB’s correlation fields, and reads back what was written', () => {
    const event = anEvent('PrescriptionReceived', { rx: 'RX-1' });
    const data = toEventData(event);
    expect(data).toMatchObject({ id: event.id, type: event.type, contentType: 'application/json' });
    expect(data.metadata).toMatchObject({
      ...event.metadata,
      schemaVersion: 1,
      $correlationId: event.metadata.correlationId,
    });
    const read = toRecordedEvent({
      streamId: 'order-1',
      id: event.id,
      isJson: true,
      revision: 3n,
      type: event.type,
      created: new Date(0),
      data: event.data as { rx: string },
      metadata: data.metadata as Record<string, unknown>,
      position: { commit: 500n, prepare: 500n },
    });
    expect(read).toEqual({
      ...event,
      metadata: { ...event.metadata, schemaVersion: 1 },
      streamName: 'order-1',
      streamRevision: 3,
      globalPosition: 500,
    });
  });
});

describe('KurrentDB server-side filters', () => {
  it('filters a category by its stream-name prefix, event types by exact name, and all but system events', () => {
    expect(serverFilter({ kind: 'categories', categories: ['order', 'consultation'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['order-', 'consultation-'],
    });
    const byType = serverFilter({ kind: 'eventTypes', eventTypes: ['OrderPlaced', 'Odd.Type+1'] });
    expect(byType).toMatchObject({ filterOn: 'eventType' });
    const regex = new RegExp((byType as { regex: string }).regex);
    expect(['OrderPlaced', 'Odd.Type+1'].every((t) => regex.test(t))).toBe(true);
    expect(['OrderPlacedLater', 'OddXType+1', 'Odd.Typee1'].some((t) => regex.test(t))).toBe(false);
    expect(serverFilter({ kind: 'all' })).toMatchObject({ filterOn: 'eventType' });
  });
});

describe('KurrentDB readAll', () => {
  it('asks the server for the filtered events from the position and the count given, system events left out', async () => {
    const asked: Record<string, unknown>[] = [];
    const client = {
      readAll(options: Record<string, unknown>) {
        asked.push(options);
        return (async function* () {})();
      },
    } as unknown as KurrentDBClient;
    const store = createKurrentDBEventStore(client);
    await store.readAll({
      filter: { kind: 'categories', categories: ['drug'] },
      fromPosition: 42,
      maxCount: 5,
    });
    await store.readAll();
    expect(asked[0]).toMatchObject({
      fromPosition: fromGlobalPosition(42),
      maxCount: 5,
      filter: { filterOn: 'streamName', prefixes: ['drug-'] },
    });
    expect(asked[1]).toMatchObject({ fromPosition: START, filter: serverFilter({ kind: 'all' }) });
  });
});
