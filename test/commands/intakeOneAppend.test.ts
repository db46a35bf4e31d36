import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeKeys } from '../../src/commands/intakeKeys.js';
import { intakeStream } from '../../src/commands/prescription/intake.js';
import { createOrderCommands } from '../../src/commands/prescription/orderCommands.js';
import { parseNewRx } from '../../src/domain/prescription/ncpdp.js';
import { orderStream } from '../../src/domain/prescription/order.js';
import { legacyIntakeClaimsPresent } from '../../src/eventstore/postgres/legacyIntakeClaims.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { MINUTE, manualClock, systemClock } from '../../src/platform/clock.js';
import { deterministicId, newId } from '../../src/platform/ids.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { newRxWith } from '../support/platformHarness.js';

let db: TestDatabase;
/** Every statement intake sends, through the store or the pool. */
let statements: string[] = [];
let pool: SqlPool;

const intake = () => {
  const store = createPostgresEventStore(pool);
  return {
    store,
    commands: createOrderCommands({
      store,
      pool,
      legacyIntakeClaimsPresent: legacyIntakeClaimsPresent(pool),
      clock: systemClock,
      documents: {} as never,
      linkSecret: 'a-link-secret-for-this-test-only-0123456789',
      linkTtlHours: 72,
    }),
  };
};
const actor = { actor: 'intake:test' };

beforeAll(async () => {
  db = await createTestDatabase();
  const query = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
  pool = new Proxy(db.pool, {
    get: (target, key) =>
      key === 'query'
        ? (...args: unknown[]) => {
            const [text] = args as [string | { text: string }];
            statements.push(typeof text === 'string' ? text : text.text);
            return query(...args);
          }
        : Reflect.get(target, key),
  });
});
afterAll(() => db?.drop());

const receivedCount = async (messageId: string) =>
  (
    await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE event_type = 'PrescriptionReceived' AND data->>'messageId' = $1",
      [messageId],
    )
  ).rows[0]!.n;

describe('intake claims the MessageID and records the order in one append', () => {
  let commands: ReturnType<typeof intake>['commands'];
  beforeAll(() => {
    commands = intake().commands;
  });

  it('given a new NewRx, when it is received, then one statement (one commit) records the order and no claim stream exists', async () => {
    await commands.receiveNewRx(await newRxWith('ONE-WARM'), actor);
    statements = [];
    const outcome = await commands.receiveNewRx(await newRxWith('ONE-1'), actor);
    expect(outcome).toMatchObject({ kind: 'accepted', status: 'received', duplicate: false });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/INSERT INTO events/);
    const claims = await db.pool.query("SELECT 1 FROM events WHERE category = 'intake'");
    expect(claims.rowCount).toBe(0);
  });

  it('given a burst of the same message at once, then exactly one order exists and every answer names it', async () => {
    const xml = await newRxWith('BURST-1');
    const answers = await Promise.all(Array.from({ length: 12 }, () => commands.receiveNewRx(xml, actor)));
    const ids = new Set(answers.map((answer) => (answer.kind === 'accepted' ? answer.orderId : answer.kind)));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => answer.kind === 'accepted' && !answer.duplicate)).toHaveLength(1);
    expect(await receivedCount('BURST-1')).toBe(1);
  });

  it('given a received message, when the same ID comes with another body, then it is refused with 409', async () => {
    const first = await commands.receiveNewRx(await newRxWith('CHANGED-1'), actor);
    const changed = await commands.receiveNewRx(await newRxWith('CHANGED-1', { Okafor: 'Okafour' }), actor);
    expect(first.kind).toBe('accepted');
    expect(changed).toMatchObject({ kind: 'refused', reason: 'message_id_reused' });
    expect(await receivedCount('CHANGED-1')).toBe(1);
  });

  it('given two senders, when each uses the same MessageID, then each gets an order of its own', async () => {
    const fromAcme = await commands.receiveNewRx(await newRxWith('SHARED-ID-1'), actor);
    const fromOther = await commands.receiveNewRx(
      await newRxWith('SHARED-ID-1', { 'EHR-ACME-01': 'EHR-OTHER-07' }),
      actor,
    );
    expect(fromAcme).toMatchObject({ kind: 'accepted', duplicate: false });
    expect(fromOther).toMatchObject({ kind: 'accepted', duplicate: false });
    if (fromAcme.kind !== 'accepted' || fromOther.kind !== 'accepted') return;
    expect(fromOther.orderId).not.toBe(fromAcme.orderId);
  });
});

describe('orders claimed the earlier way (a claim stream and a random order id) stay valid', () => {
  it('given an order with a claim stream, when its message comes again, then the old order answers; another body is refused', async () => {
    const { store, commands } = intake();
    const xml = await newRxWith('LEGACY-1');
    const parsed = parseNewRx(xml);
    if (!parsed.ok) throw new Error('sample refused');
    const orderId = newId();
    const { createHash } = await import('node:crypto');
    await store.appendToStream(
      intakeStream('LEGACY-1'),
      [
        {
          id: deterministicId('intake', 'LEGACY-1', orderId),
          type: 'IntakeMessageRegistered',
          data: {
            messageId: 'LEGACY-1',
            orderId,
            messageSha256: createHash('sha256').update(xml).digest('hex'),
          },
          metadata: {
            correlationId: orderId,
            causationId: null,
            actor: actor.actor,
            occurredAt: new Date().toISOString(),
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await commands.execute(
      orderId,
      {
        type: 'ReceivePrescription',
        orderId,
        messageId: 'LEGACY-1',
        patientKey: null,
        prescription: parsed.message,
        rawMessage: xml,
        now: new Date().toISOString(),
      },
      { ...actor, commandId: deterministicId('receive-newrx', 'LEGACY-1') },
    );

    expect(await commands.receiveNewRx(xml, actor)).toMatchObject({
      kind: 'accepted',
      orderId,
      duplicate: true,
    });
    expect(
      await commands.receiveNewRx(await newRxWith('LEGACY-1', { Okafor: 'Okafour' }), actor),
    ).toMatchObject({
      kind: 'refused',
      reason: 'message_id_reused',
    });
    expect(await receivedCount('LEGACY-1')).toBe(1);
    expect(await store.readStream(orderStream(orderId))).toHaveLength(1);
  });
});

describe('an intake key check writes at most once a minute', () => {
  it('given a live key, when it is presented again within the minute, then last_used_at stays; after the minute it moves', async () => {
    const clock = manualClock('2026-03-01T10:00:00Z');
    const keys = intakeKeys({ pool: db.pool, store: createPostgresEventStore(db.pool), clock });
    const key = await keys.issue('ehr-minute', 'staff:test');
    const lastUsed = async () =>
      (await db.pool.query("SELECT last_used_at FROM intake_keys WHERE name = 'ehr-minute'")).rows[0]
        .last_used_at as Date;

    expect(await keys.verify(key)).toBe('ehr-minute');
    expect((await lastUsed()).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(30_000);
    expect(await keys.verify(key)).toBe('ehr-minute');
    expect((await lastUsed()).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(MINUTE);
    expect(await keys.verify(key)).toBe('ehr-minute');
    expect((await lastUsed()).toISOString()).toBe('2026-03-01T10:01:30.000Z');
    expect(await keys.verify('not-a-key')).toBeNull();
  });
});
