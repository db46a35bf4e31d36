import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { VendorUnavailableError } from '../../src/integrations/errors.js';
import { HOUR, MINUTE, manualClock } from '../../src/platform/clock.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { ProcessManager } from '../../src/processes/runtime.js';
import { integrationIncidentsProjection } from '../../src/projections/integrationIncidents.js';
import type { Projection } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

let db: TestDatabase;
let platform: Platform;
const clock = manualClock('2026-11-21T10:00:00Z');
let shippoFailuresLeft = 4;
const labelKeys: string[] = [];
let bugFixed = false;

const shipping: ProcessManager = {
  name: 'test-shipping',
  filter: { kind: 'eventTypes', eventTypes: ['PaymentReceived'] },
  async handle(_event, context) {
    if (shippoFailuresLeft > 0) {
      shippoFailuresLeft -= 1;
      throw new VendorUnavailableError('shippo', 'connect ECONNREFUSED 127.0.0.1:9');
    }
    labelKeys.push(context.idempotencyKey('buy-label'));
  },
};

const buggy: ProcessManager = {
  name: 'test-buggy',
  filter: { kind: 'eventTypes', eventTypes: ['TriggersBug'] },
  async handle() {
    if (!bugFixed) throw new TypeError('cannot read properties of undefined');
  },
};

/** A read model that lags: its batches wait until the test lets them through. */
let projectionGate: Promise<void> = Promise.resolve();
const lagging: Projection = {
  name: 'test-lagging-notes',
  filter: { kind: 'eventTypes', eventTypes: ['NoteWritten'] },
  tables: ['test_notes'],
  async applyBatch(client, events) {
    await projectionGate;
    for (const event of events) await client.query('INSERT INTO test_notes VALUES ($1)', [event.id]);
  },
};
const notesSeen: number[] = [];
const noteCounter: ProcessManager = {
  name: 'test-note-counter',
  filter: { kind: 'eventTypes', eventTypes: ['NoteWritten'] },
  async handle(_event, context) {
    await context.readModelCaughtUp(lagging);
    notesSeen.push((await db.pool.query('SELECT count(*)::int AS n FROM test_notes')).rows[0].n);
  },
};

/** Each delivered import event and whether the runtime said a like one comes after it. */
const importsSeen: { seq: number; later: boolean }[] = [];
const importWatcher: ProcessManager = {
  name: 'test-import-watcher',
  filter: { kind: 'eventTypes', eventTypes: ['RowImported'] },
  async handle(event, context) {
    importsSeen.push({
      seq: (event.data as { seq: number }).seq,
      later: await context.laterEventOfType(['RowImported']),
    });
  },
};

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query('CREATE TABLE test_notes (event_id uuid PRIMARY KEY)');
  platform = await openPlatform({
    databaseUrl: db.connectionString,
    clock,
    log: silentLogger,
    pollIntervalMs: 50,
  });
  platform.run({
    projections: [integrationIncidentsProjection, lagging],
    processes: [shipping, buggy, noteCounter, importWatcher],
  });
});
afterAll(async () => {
  await platform.close();
  await db.drop();
});

const settle = async () => {
  await platform.timers.tick();
  await platform.drain();
  await platform.drain();
};
const incident = async (stream: string) =>
  (
    await db.pool.query(
      'SELECT state, attempts, next_attempt_at FROM integration_incidents WHERE stream_name = $1',
      [stream],
    )
  ).rows[0];
const typesIn = async (stream: string) => (await platform.store.readStream(stream)).map((e) => e.type);

describe('an unavailable vendor', () => {
  const stream = `order-${newId()}`;

  it('is retried after 5 min, 30 min and 2 h, every attempt recorded, then flagged for manual handling', async () => {
    await platform.store.appendToStream(stream, [anEvent('PaymentReceived')]);
    await settle();
    expect(await typesIn(stream)).toEqual(['PaymentReceived', 'IntegrationCallFailed']);
    expect(await incident(stream)).toMatchObject({ state: 'pending_api_unavailable', attempts: 1 });
    expect((await incident(stream)).next_attempt_at.toISOString()).toBe('2026-11-21T10:05:00.000Z');

    clock.advance(5 * MINUTE - 1);
    await settle();
    expect(await typesIn(stream)).toHaveLength(2);

    for (const [wait, attempt] of [
      [1, 2],
      [30 * MINUTE, 3],
      [2 * HOUR, 4],
    ] as const) {
      clock.advance(wait);
      await settle();
      const failures = (await platform.store.readStream(stream)).filter(
        (e) => e.type === 'IntegrationCallFailed',
      );
      expect(failures.at(-1)!.data).toMatchObject({ integration: 'shippo', attempt });
    }
    expect(await typesIn(stream)).toEqual([
      'PaymentReceived',
      'IntegrationCallFailed',
      'IntegrationCallFailed',
      'IntegrationCallFailed',
      'IntegrationCallFailed',
      'IntegrationFlaggedForManualHandling',
    ]);
    expect(await incident(stream)).toMatchObject({ state: 'manual_handling', attempts: 4 });
    expect(labelKeys).toEqual([]);
  });

  it('recovers when a person retries it, clearing the pending marker', async () => {
    const trigger = (await platform.store.readStream(stream))[0]!;
    await platform.processes.retryIntegration('test-shipping', trigger, 'user:ops@example.org');
    await settle();
    expect((await typesIn(stream)).slice(-2)).toEqual([
      'IntegrationRetryRequested',
      'IntegrationCallRecovered',
    ]);
    expect(await incident(stream)).toBeUndefined();
    expect(labelKeys).toHaveLength(1);
  });

  it('gives the effect the same idempotency key when the event is delivered again', async () => {
    const trigger = (await platform.store.readStream(stream))[0]!;
    await platform.processes.deliver(shipping, trigger);
    expect(labelKeys).toHaveLength(2);
    expect(labelKeys[1]).toBe(labelKeys[0]);
  });
});

describe('an event whose handling keeps failing for another reason', () => {
  it('is parked with its error, visible, and handled when retried', async () => {
    const stream = `order-${newId()}`;
    await platform.store.appendToStream(stream, [anEvent('TriggersBug')]);
    await settle();
    const parked = await db.pool.query('SELECT * FROM parked_events WHERE stream_name = $1', [stream]);
    expect(parked.rows[0]).toMatchObject({
      subscription_id: 'process:test-buggy',
      status: 'parked',
      attempts: 3,
    });
    expect(parked.rows[0].error).toContain('cannot read properties of undefined');

    bugFixed = true;
    expect(await platform.processes.retryParked('test-buggy', parked.rows[0].event_id)).toBe('handled');
    const after = await db.pool.query('SELECT status FROM parked_events WHERE stream_name = $1', [stream]);
    expect(after.rows[0].status).toBe('resolved');
  });
});

describe('a process manager that decides from a read model', () => {
  it('reads it no older than the event it handles, however far the projection lags', async () => {
    let open: () => void = () => {};
    projectionGate = new Promise((resolve) => {
      open = resolve;
    });
    const stream = `note-${newId()}`;
    await platform.store.appendToStream(stream, [anEvent('NoteWritten')]);
    setTimeout(open, 200);
    await settle();
    await platform.store.appendToStream(stream, [anEvent('NoteWritten')]);
    await settle();
    expect(notesSeen).toEqual([1, 2]);
  });
});

describe('a process manager handling a burst of like events', () => {
  it('learns from the runtime that a like event comes after each but the last, whatever stream holds it', async () => {
    // One commit, three streams: every event is stored before the first is delivered.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const inTransaction = createPostgresEventStore(client);
      for (let seq = 0; seq < 3; seq++)
        await inTransaction.appendToStream(`import-${newId()}`, [anEvent('RowImported', { seq })]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await settle();
    // Streams are delivered side by side: the answers, not their order of arrival, are the point.
    expect(importsSeen.sort((a, b) => a.seq - b.seq)).toEqual([
      { seq: 0, later: true },
      { seq: 1, later: true },
      { seq: 2, later: false },
    ]);
  });
});
