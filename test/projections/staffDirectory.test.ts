import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { createStaffDirectoryProjection, writeStaffRow } from '../../src/projections/staffDirectory.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The admin's "create staff" writes the new row at once while the staff-directory projection
// catches up on the same event. Seen in CI as a 500 on POST /api/admin/staff: two inserts of one
// new row collide on the e-mail's unique index, which the id upsert does not arbitrate.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const created = (staffId: string): RecordedEvent => ({
  id: crypto.randomUUID(),
  type: 'StaffAccountCreated',
  data: {
    staffId,
    email: `${staffId.toLowerCase()}@pharmacy.example.org`,
    displayName: 'New Starter',
    roles: ['ops'],
    mustChangePassword: true,
  },
  metadata: {
    correlationId: 'c',
    causationId: null,
    actor: 'staff:admin',
    occurredAt: new Date().toISOString(),
  },
  streamName: `staff-${staffId}`,
  streamRevision: 0,
  globalPosition: 1,
});

describe('the staff directory row', () => {
  it('is written once and without error when the command and the projection insert it at the same moment', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `01JRACE${String(i).padStart(4, '0')}`);
    // Each pair really races: two pool connections, one statement each, released together.
    const results = await Promise.allSettled(
      ids.flatMap((id) => [writeStaffRow(db.pool, [created(id)]), writeStaffRow(db.pool, [created(id)])]),
    );
    const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    expect(failures).toEqual([]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM staff_users WHERE id = ANY ($1)`, [
      ids,
    ]);
    expect(rows[0].n).toBe(ids.length);
  });
});

describe('the staff directory projection', () => {
  it('folds a member from their stream in the event store it is given, whichever adapter that is', async () => {
    // Events only in memory: the PostgreSQL events table holds none of them.
    const store = createMemoryEventStore();
    const staffId = '01JPORT0000001';
    const { data, metadata } = created(staffId);
    await store.appendToStream(`staff-${staffId}`, [
      { id: crypto.randomUUID(), type: 'StaffAccountCreated', data, metadata },
      {
        id: crypto.randomUUID(),
        type: 'StaffRoleGranted',
        data: { role: 'pharmacist', reason: 'covers the counter' },
        metadata,
      },
    ]);
    const [first] = await store.readStream(`staff-${staffId}`);
    const client = await db.pool.connect();
    try {
      // Handed only the first event, it still folds the member's whole stream.
      await createStaffDirectoryProjection(store).applyBatch(client, [first!]);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query('SELECT roles, version FROM staff_users WHERE id = $1', [staffId]);
    expect(rows).toEqual([{ roles: ['ops', 'pharmacist'], version: 1 }]);
  });
});
