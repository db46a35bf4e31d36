import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SqlPool } from '../../src/platform/sql.js';
import { auditHash, auditKey } from '../../src/projections/audit/auditRecord.js';
import { apiClient, eventually, type Harness, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

/**
 * Finding 4: an intruder with direct database access (a superuser, so every trigger can be turned
 * off) rewrites the past. Each attempt must be reported by the auditor's verification, or refused
 * outright when made with the platform's own database role.
 */
let harness: Harness;
let anchorDir: string;
let auditor: ReturnType<typeof apiClient>;
const AUDIT_KEY = randomBytes(32).toString('base64url');
let anchored: { status: number; body: unknown };

/** The database as the attacker holds it: the superuser the test database was created with. */
const attacker = () => harness.db.pool;

const EVENT_COLUMNS =
  'global_position, stream_name, stream_revision, event_id, event_type, data, metadata, transaction_id, recorded_at';

/** Runs SQL with every trigger off, as only a superuser can. */
const tamper = async (...statements: [string, unknown[]?][]) => {
  const client = await attacker().connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const [sql, params] of statements) await client.query(sql, params ?? []);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const verify = async () => {
  const response = await auditor.get('/api/audit/verify');
  expect(response.status).toBe(200);
  return response.body as { ok: boolean; brokenAt?: { seq: number; reason: string } };
};

const expectDetected = async (reason: RegExp) => {
  const result = await verify();
  expect(result.ok, JSON.stringify(result)).toBe(false);
  expect(result.brokenAt?.reason).toMatch(reason);
};

const auditRows = async () =>
  (await attacker().query('SELECT * FROM audit_log ORDER BY seq')).rows as Record<string, unknown>[];

beforeAll(async () => {
  anchorDir = await mkdtemp(join(tmpdir(), 'audit-anchors-'));
  harness = await startHarness({ env: { AUDIT_HMAC_KEY: AUDIT_KEY, AUDIT_ANCHOR_DIR: anchorDir } });
  const steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  // A paid order: its history holds the payment an intruder would want to change.
  const orderId = await steps.validatedOrder(`tamper-${Date.now()}`);
  await steps.enroll(await steps.startEnrollment(orderId));
  await steps.selectBestPharmacy(orderId);
  await steps.pay(orderId);
  await eventually(
    async () =>
      (await harness.db.pool.query("SELECT 1 FROM events WHERE event_type = 'PaymentReceived'")).rowCount ===
      1,
    'the payment',
  );
  await harness.composition.platform.drain();

  auditor = apiClient(harness.url);
  await auditor.signIn('auditor@pharmacy.example.org', harness.passwords.auditor!);
  // The auditor anchors the head now (the platform also does so on its own schedule).
  anchored = await auditor.post('/api/audit/anchors', {});
  expect((await verify()).ok).toBe(true);

  // What every case starts from, kept aside by the attacker's own hand.
  await tamper(
    ['DROP TABLE IF EXISTS backup_events, backup_audit'],
    [`CREATE TABLE backup_events AS SELECT ${EVENT_COLUMNS} FROM events`],
    ['CREATE TABLE backup_audit AS SELECT * FROM audit_log'],
  );
}, 180_000);

/** Puts the untouched history back, so each case tampers with the same, verified trail. */
beforeEach(async () => {
  if (!harness) return;
  await tamper(
    ['DELETE FROM audit_log'],
    ['INSERT INTO audit_log SELECT * FROM backup_audit'],
    ['DELETE FROM events'],
    [`INSERT INTO events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM backup_events`],
  );
  expect((await verify()).ok).toBe(true);
});

afterAll(async () => {
  await harness?.close();
  await rm(anchorDir, { recursive: true, force: true });
});

/** Sorted keys, as the trail's own canonical form: the same object always hashes the same. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

/**
 * A row's hash as the unkeyed scheme computed it (SHA-256 over the row and the previous hash):
 * what an intruder who can read the code, but holds no key, can recompute.
 */
const unkeyedHash = (row: Record<string, unknown>, prevHash: string) =>
  sha256(
    canonical([
      Number(row.seq),
      row.event_id,
      Number(row.global_position),
      row.stream_name,
      row.event_type,
      row.actor,
      row.correlation_id,
      row.causation_id,
      new Date(row.occurred_at as string).toISOString(),
      new Date(row.recorded_at as string).toISOString(),
      row.summary,
      prevHash,
    ]),
  );

/** Recomputes the chain from `fromSeq` to the end with `hashOf`, as an intruder covering tracks would. */
const rechain = async (fromSeq: number, hashOf: (row: Record<string, unknown>, prev: string) => string) => {
  const rows = await auditRows();
  let prev = rows.find((r) => Number(r.seq) === fromSeq - 1)?.hash as string;
  const statements: [string, unknown[]][] = [];
  for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
    const hash = hashOf(row, prev);
    statements.push(['UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE seq = $1', [row.seq, prev, hash]]);
    prev = hash;
  }
  await tamper(...statements);
};

/** The platform's own keyed hash, for the case of an insider who has the key as well. */
const keyedHash = (row: Record<string, unknown>, prevHash: string) =>
  auditHash(
    {
      seq: Number(row.seq),
      eventId: row.event_id as string,
      globalPosition: Number(row.global_position),
      streamName: row.stream_name as string,
      eventType: row.event_type as string,
      actor: row.actor as string,
      correlationId: row.correlation_id as string,
      causationId: row.causation_id as string | null,
      occurredAt: new Date(row.occurred_at as string).toISOString(),
      recordedAt: new Date(row.recorded_at as string).toISOString(),
      summary: row.summary as Record<string, unknown>,
      eventHash: row.event_hash as string,
      prevHash,
    },
    auditKey(AUDIT_KEY),
  );

describe('tampering with the audit trail (finding 4)', () => {
  it('1. an audit row edited in place is detected', async () => {
    await tamper(["UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 3"]);
    await expectDetected(/does not match its hash|signature/);
  });

  it('2. a row rewritten and the chain recomputed to the end is detected', async () => {
    await tamper(["UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 3"]);
    await rechain(3, unkeyedHash);
    await expectDetected(/does not match its hash|signature/);
  });

  it('2b. … even by an insider holding the key, against the exported anchor', async () => {
    await tamper(["UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 3"]);
    await rechain(3, keyedHash);
    await expectDetected(/anchor/);
  });

  it('3. a fabricated, correctly chained row appended at the end is detected', async () => {
    const rows = await auditRows();
    const last = rows.at(-1)!;
    const fake = {
      ...last,
      seq: Number(last.seq) + 1,
      event_id: '00000000-0000-4000-8000-000000000001',
      global_position: Number(last.global_position) + 1000,
      actor: 'staff:ghost',
      prev_hash: last.hash,
    };
    await tamper([
      'INSERT INTO audit_log SELECT * FROM json_populate_record(NULL::audit_log, $1::json)',
      [JSON.stringify({ ...fake, hash: unkeyedHash(fake, last.hash as string) })],
    ]);
    await expectDetected(/does not match its hash|no event/);
  });

  it('4. an event’s data changed after it was audited (PaymentReceived amount → 1) is detected', async () => {
    const payment = await attacker().query(
      "SELECT event_id, data FROM events WHERE event_type = 'PaymentReceived'",
    );
    expect(payment.rows).toHaveLength(1);
    const data = payment.rows[0].data as Record<string, unknown>;
    const amountKey = Object.keys(data).find((k) => /amount/i.test(k))!;
    await tamper([
      'UPDATE events SET data = $2 WHERE event_id = $1',
      [payment.rows[0].event_id, { ...data, [amountKey]: 1 }],
    ]);
    await expectDetected(/event .* (changed|does not match)/);
  });

  it('5. a deleted event row is detected', async () => {
    await tamper(["DELETE FROM events WHERE event_type = 'PaymentReceived'"]);
    await expectDetected(/no event|event .* missing/);
  });

  it('6. a deleted audit row is detected', async () => {
    await tamper(['DELETE FROM audit_log WHERE seq = 4']);
    await expectDetected(/missing|no audit row/);
  });

  it('the auditor anchors the head: a signed file outside the database', async () => {
    expect(anchored.status, JSON.stringify(anchored.body)).toBe(201);
    expect(await readdir(anchorDir)).toHaveLength(1);
  });

  it('7. events and their audit rows cut from the end together are detected against the anchor', async () => {
    const rows = await auditRows();
    const cut = rows.slice(-3).map((r) => r.event_id);
    await tamper(
      ['DELETE FROM audit_log WHERE event_id = ANY ($1::uuid[])', [cut]],
      ['DELETE FROM events WHERE event_id = ANY ($1::uuid[])', [cut]],
    );
    await expectDetected(/anchor/);
  });

  it('8. an event slipped in behind the audit projection (old transaction id) is detected', async () => {
    const [first] = (
      await attacker().query(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY global_position LIMIT 1`)
    ).rows;
    await tamper([
      `INSERT INTO events (global_position, stream_name, stream_revision, event_id, event_type, data, metadata, transaction_id)
       VALUES ((SELECT max(global_position) + 1 FROM events), $1, 999, '00000000-0000-4000-8000-000000000002',
               'PaymentReceived', '{"amountMinor": 1}', $2, $3)`,
      [first.stream_name, first.metadata, first.transaction_id],
    ]);
    await expectDetected(/no audit row/);
  });

  it('9. two audit rows swapped is detected', async () => {
    const rows = await auditRows();
    const [a, b] = [rows[5]!, rows[6]!];
    await tamper(
      ['UPDATE audit_log SET seq = -1 WHERE seq = $1', [a.seq]],
      ['UPDATE audit_log SET seq = $1 WHERE seq = $2', [a.seq, b.seq]],
      ['UPDATE audit_log SET seq = $1 WHERE seq = -1', [b.seq]],
    );
    await expectDetected(/prev_hash|does not match|signature/);
  });

  it('10. a forged or edited anchor is detected', async () => {
    const [file] = await readdir(anchorDir);
    expect(file).toBeDefined();
    const path = join(anchorDir, file!);
    const original = await readFile(path, 'utf8');
    await chmod(path, 0o644);
    try {
      const anchor = JSON.parse(original) as { hash: string };
      await writeFile(
        path,
        JSON.stringify({ ...anchor, hash: anchor.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
      );
      await expectDetected(/anchor/);
    } finally {
      await writeFile(path, original);
    }
  });

  it('11. the platform’s own database role cannot switch the protection off or rewrite history', async () => {
    const app: SqlPool = harness.composition.platform.db.pool;
    const { rows } = await app.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    expect(rows[0].rolsuper).toBe(false);
    const attempts = [
      'ALTER TABLE audit_log DISABLE TRIGGER ALL',
      'ALTER TABLE events DISABLE TRIGGER events_append_only',
      'SET session_replication_role = replica',
      "UPDATE audit_log SET actor = 'x' WHERE seq = 1",
      'DELETE FROM audit_log WHERE seq = 1',
      "UPDATE events SET data = '{}' WHERE global_position = 1",
      'DELETE FROM events WHERE global_position = 1',
      'TRUNCATE audit_log',
      'DROP TRIGGER audit_log_append_only ON audit_log',
      'CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      'ALTER TABLE audit_log OWNER TO CURRENT_USER',
    ];
    const allowed: string[] = [];
    for (const sql of attempts) {
      const client = await app.connect();
      try {
        await client.query('BEGIN');
        await client.query(sql);
        allowed.push(sql);
      } catch {
        // refused: as it should be
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    }
    expect(allowed).toEqual([]);
  });

  it('the untouched trail verifies, and verification is repeatable', async () => {
    await eventually(async () => (await verify()).ok, 'a clean verification');
  });
});
