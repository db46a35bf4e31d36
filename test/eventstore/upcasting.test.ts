import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_UPCASTERS } from '../../src/domain/eventVersions.js';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { readBatch } from '../../src/eventstore/postgres/readBatch.js';
import { type EventStore, findEvent, type RecordedEvent } from '../../src/eventstore/types.js';
import { useUpcasters } from '../../src/eventstore/upcasting.js';
import { newId } from '../../src/platform/ids.js';
import { eventContentHash } from '../../src/projections/audit/auditRecord.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/platformHarness.js';

/** A registration as version 1 wrote it: no freezer, no limited distribution, a random load. */
const registrationV1 = (id: string) => ({
  id,
  name: 'Old Town Specialty',
  npi: '1234567893',
  address: { line1: '1 Main St', city: 'Columbus', state: 'OH', postalCode: '43215' },
  licensedStates: ['OH'],
  acceptedPlans: [{ bin: '610014', pcn: 'CommPlanA' }],
  capabilities: { specialty: true, coldChain: true },
  capacityPerDay: 100,
  turnaroundHours: 24,
  currentLoad: 37,
});

const metadata = {
  correlationId: 'c',
  causationId: null,
  actor: 'system:test',
  occurredAt: '2025-01-01T00:00:00Z',
};

const expectVersion2 = (event: RecordedEvent | null | undefined, id: string) => {
  expect(event?.metadata.schemaVersion).toBe(2);
  expect(event?.data).toEqual({
    ...registrationV1(id),
    currentLoad: undefined,
    ncpdpId: null,
    location: null,
    capabilities: { specialty: true, coldChain: true, frozen: false, limitedDistribution: [] },
  });
  expect(event?.data).not.toHaveProperty('currentLoad');
};

let db: TestDatabase;
beforeAll(async () => {
  useUpcasters(EVENT_UPCASTERS);
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const adapters: { name: string; store: () => EventStore }[] = [
  { name: 'PostgreSQL', store: () => createPostgresEventStore(db.pool) },
  { name: 'in memory', store: () => createMemoryEventStore() },
];

describe.each(adapters)('event schema versions: $name', (adapter) => {
  it('stamps a new event with its type’s current version (1 for a type never reshaped)', async () => {
    const store = adapter.store();
    const stream = `pharmacy-${newId()}`;
    await store.appendToStream(stream, [
      { id: randomUUID(), type: 'PharmacySuspended', data: { id: 'p', reason: 'r' }, metadata },
    ]);
    const [event] = await store.readStream(stream);
    expect(event?.metadata.schemaVersion).toBe(1);
  });

  it('reads a version 1 PharmacyRegistered as version 2, however it is read', async () => {
    const store = adapter.store();
    const id = newId();
    const eventId = randomUUID();
    const stream = `pharmacy-${id}`;
    // Written as version 1 was: its metadata carries the version, as old events carry none.
    await store.appendToStream(stream, [
      {
        id: eventId,
        type: 'PharmacyRegistered',
        data: registrationV1(id),
        metadata: { ...metadata, schemaVersion: 1 },
      },
    ]);
    expectVersion2((await store.readStream(stream))[0], id);
    expectVersion2(await findEvent(store, stream, eventId), id);
    expectVersion2(
      (await store.readAll()).find((e) => e.id === eventId),
      id,
    );
  });

  it('the audit trail hashes the event as stored, so a new upcaster never makes it look altered', async () => {
    const store = adapter.store();
    const id = newId();
    const written = {
      id: randomUUID(),
      type: 'PharmacyRegistered',
      data: registrationV1(id),
      metadata: { ...metadata, schemaVersion: 1 },
    };
    await store.appendToStream(`pharmacy-${id}`, [written]);
    const [read] = await store.readStream(`pharmacy-${id}`);
    expect(read?.data).not.toEqual(written.data);
    const { streamName, streamRevision, globalPosition } = read!;
    const asWritten = { ...written, streamName, streamRevision, globalPosition };
    expect(eventContentHash(read!)).toBe(eventContentHash(asWritten));
  });
});

describe('subscriptions read the newest shape too', () => {
  it('a batch holds the version 1 registration as version 2', async () => {
    const id = newId();
    // An event from before versions were recorded: no schemaVersion at all.
    await db.pool.query(
      `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
       VALUES ($1, 0, $2, 'PharmacyRegistered', $3, $4)`,
      [`pharmacy-${id}`, randomUUID(), registrationV1(id), metadata],
    );
    // A batch reads below the commit-safe horizon, which a transaction open anywhere on the server
    // (another test file's, with files side by side) holds back for a moment: wait until it passes.
    const event = await eventually(async () => {
      const batch = await readBatch(db.pool, {
        filter: { kind: 'eventTypes', eventTypes: ['PharmacyRegistered'] },
        after: { transactionId: '0', globalPosition: 0 },
        limit: 1000,
      });
      return batch.events.find((e) => e.streamName === `pharmacy-${id}`);
    }, 'the event below the horizon');
    expectVersion2(event, id);
  });
});
