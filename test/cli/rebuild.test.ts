import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../src/cli/rebuild.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { openPostgresReplay } from '../../src/eventstore/postgres/replay.js';
import { encodeCheckpoint } from '../../src/eventstore/postgres/subscriptionSource.js';
import { newId } from '../../src/platform/ids.js';
import { silentLogger } from '../../src/platform/logger.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { incidentDocuments } from '../../src/projections/dashboardDocuments.js';
import { projectionSubscriptionId } from '../../src/projections/runtime.js';
import { applyDocumentBatch, documentSubscriptionId } from '../../src/projections/viewDocuments.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

const TRIGGER = '00000000-0000-4000-8000-00000000000a';
const failedCall = (triggerEventId: string) => ({
  integration: 'stripe',
  processManager: 'rebuild-test',
  triggerEventId,
  cycle: '1',
  attempt: 1,
  error: 'HTTP 503',
  nextAttemptAt: null,
});

const key = auditKey('a test audit key, at least thirty-two characters');

let db: TestDatabase;
let replaying: ReturnType<typeof openPostgresReplay>;
beforeAll(async () => {
  db = await createTestDatabase();
  replaying = openPostgresReplay({ pool: db.pool, connectionString: db.connectionString, log: silentLogger });
  const store = createPostgresEventStore(db.pool);
  await store.appendToStream(`order-${newId()}`, [anEvent('PrescriptionReceived')]);
  await store.appendToStream(`consultation-${newId()}`, [
    anEvent('IntegrationCallFailed', failedCall(TRIGGER)),
  ]);
});
afterAll(async () => {
  await replaying.close();
  await db.drop();
});

const database = () => ({ pool: db.pool });
/** The PostgreSQL store's events and checkpoints, as `cli rebuild` composes them. */
const events = () => ({ replay: replaying.replay, checkpoints: replaying.checkpoints });

describe('cli rebuild under the Leases port', () => {
  it('rebuilds a projection once it holds the projection lease, then gives the lease back', async () => {
    const leases = createMemoryLeases();
    const report = await rebuild(database(), 'audit', {
      leases,
      auditKey: key,
      ...events(),
      store: createPostgresEventStore(db.pool),
    });
    expect(report.events).toBeGreaterThan(0);
    const after = leases.acquire(projectionSubscriptionId({ name: 'audit' }), 'after');
    await after.acquired;
    await after.release();
  });

  it('refuses to rebuild while another holder runs the projection', async () => {
    const leases = createMemoryLeases();
    const running = leases.acquire(projectionSubscriptionId({ name: 'audit' }), 'platform');
    await running.acquired;
    await expect(
      rebuild(database(), 'audit', {
        leases,
        auditKey: key,
        ...events(),
        store: createPostgresEventStore(db.pool),
        waitMs: 50,
      }),
    ).rejects.toThrow(/being run by another process/);
    await running.release();
  });

  it('rebuilds a document view (sink:view) from the events alone: what the sink held before is gone', async () => {
    const leases = createMemoryLeases();
    const { sink, reads } = memoryReadModels();
    const stale = {
      ...anEvent('IntegrationCallFailed', failedCall('00000000-0000-4000-8000-00000000000b')),
      streamName: 'consultation-STALE',
      streamRevision: 0,
      globalPosition: 1,
    };
    await sink.transact(
      documentSubscriptionId('memory', incidentDocuments),
      { from: undefined, to: encodeCheckpoint({ transactionId: '1', globalPosition: 1 }) },
      (views) => applyDocumentBatch(incidentDocuments, views, [stale]),
    );
    const report = await rebuild(database(), 'memory:integration-incidents', {
      leases,
      auditKey: key,
      ...events(),
      store: createPostgresEventStore(db.pool),
      documents: sink,
    });
    expect(report.events).toBe(1);
    expect((await reads.openIncidents()).map((i) => i.trigger_event_id)).toEqual([TRIGGER]);
  });

  it('refuses a document view of read models READ_MODELS does not choose', async () => {
    await expect(
      rebuild(database(), 'mongodb:orders', {
        leases: createMemoryLeases(),
        auditKey: key,
        ...events(),
        store: createPostgresEventStore(db.pool),
      }),
    ).rejects.toThrow(/names the mongodb read models, but READ_MODELS does not choose mongodb/);
  });
});
