import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { newId } from '../../src/platform/ids.js';
import { createAuditProjection } from '../../src/projections/audit/auditProjection.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';
import { rebuildOnPostgres } from '../support/rebuild.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('a rebuild', () => {
  it('given events committed behind a transaction still open elsewhere, when rebuilt, then every one is in', async () => {
    // An older transaction, open on the server (any database of it would do), holds the
    // commit-safe horizon below the events written after it began.
    const holder = new pg.Client({ connectionString: db.connectionString });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    const store = createPostgresEventStore(db.pool);
    for (let i = 0; i < 3; i++)
      await store.appendToStream(`order-${newId()}`, [anEvent('PrescriptionReceived')]);

    const rebuilt = rebuildOnPostgres(db, createAuditProjection(auditKey('k'.repeat(40))));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the rebuild is reading meanwhile
    await holder.query('COMMIT');
    await holder.end();

    expect((await rebuilt).events).toBe(3);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(3);
  });
});
