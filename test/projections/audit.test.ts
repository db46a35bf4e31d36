import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { newId } from '../../src/platform/ids.js';
import { createAuditProjection } from '../../src/projections/audit/auditProjection.js';
import { auditKey } from '../../src/projections/audit/auditRecord.js';
import { verifyAuditTrail } from '../../src/projections/audit/verifyAudit.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEvent } from '../support/events.js';
import { rebuildOnPostgres } from '../support/rebuild.js';

const key = auditKey('a test audit key, at least thirty-two characters');
const auditProjection = createAuditProjection(key);
const verify = () => verifyAuditTrail(db.pool, { key });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const store = createPostgresEventStore(db.pool);
  for (let i = 0; i < 20; i++) {
    await store.appendToStream(`order-${newId()}`, [
      {
        ...anEvent('PrescriptionReceived', { status: 'received' }),
        metadata: { ...anEvent().metadata, actor: `intake:${i}` },
      },
    ]);
  }
});
beforeEach(async () => {
  await rebuildOnPostgres(db, auditProjection);
});
afterAll(() => db.drop());

/** What an intruder with direct database access could do: bypass the append-only triggers. */
const tamper = async (sql: string, params: unknown[] = []) => {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
};

describe('audit trail', () => {
  it('writes one chained row per event: who, what, when, stream, correlation', async () => {
    const rows = (await db.pool.query('SELECT * FROM audit_log ORDER BY seq')).rows;
    expect(rows).toHaveLength(20);
    expect(rows[3]).toMatchObject({
      seq: 4,
      actor: 'intake:3',
      event_type: 'PrescriptionReceived',
      correlation_id: 'corr-1',
    });
    expect(rows[3].stream_name).toMatch(/^order-/);
    expect(rows[3].summary).toEqual({ status: 'received' });
    expect(rows[4].prev_hash).toBe(rows[3].hash);
    expect(await verify()).toMatchObject({ ok: true, rows: 20 });
  });

  it('reports the first altered row', async () => {
    await tamper("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 7");
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 7, reason: 'row content does not match its hash (signature)' },
    });
  });

  it('reports a removed row', async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 12');
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 12, reason: 'row 12 is missing' },
    });
  });

  it('reports a row removed and the chain re-linked around it', async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 5');
    await tamper('UPDATE audit_log SET seq = seq - 1 WHERE seq > 5');
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { seq: 5 } });
  });

  it('reports rows cut from the end', async () => {
    await tamper('DELETE FROM audit_log WHERE seq > 18');
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: { seq: 19, reason: '2 projected events have no audit row' },
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the normal path', async () => {
    await expect(db.pool.query("UPDATE audit_log SET actor = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
