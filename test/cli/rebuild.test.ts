import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuild } from '../../src/cli/rebuild.js';
import { createMemoryLeases } from '../../src/eventstore/memory/memoryLeases.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { newId } from '../../src/platform/ids.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { projectionSubscriptionId } from '../../src/projections/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';

const key = auditKey('a test audit key, at least thirty-two characters');

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createPostgresEventStore(db.pool).appendToStream(`order-${newId()}`, [
    anEvent('PrescriptionReceived'),
  ]);
});
afterAll(() => db.drop());

const database = () => ({ ...db, embedded: false, close: async () => {} });

describe('cli rebuild under the Leases port', () => {
  it('rebuilds a projection once it holds the projection lease, then gives the lease back', async () => {
    const leases = createMemoryLeases();
    const report = await rebuild(database(), 'audit', { leases, auditKey: key });
    expect(report.events).toBeGreaterThan(0);
    const after = leases.acquire(projectionSubscriptionId({ name: 'audit' }), 'after');
    await after.acquired;
    await after.release();
  });

  it('refuses to rebuild while another holder runs the projection', async () => {
    const leases = createMemoryLeases();
    const running = leases.acquire(projectionSubscriptionId({ name: 'audit' }), 'platform');
    await running.acquired;
    await expect(rebuild(database(), 'audit', { leases, auditKey: key, waitMs: 50 })).rejects.toThrow(
      /being run by another process/,
    );
    await running.release();
  });
});
