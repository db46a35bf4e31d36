import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMail } from '../../src/integrations/email/port.js';
import { manualClock } from '../../src/platform/clock.js';
import { createEmailOutbox } from '../../src/processes/emailOutbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.pool.query('DELETE FROM email_outbox');
});

const mail = (i: number): OutgoingMail => ({
  to: `patient${i}@example.com`,
  subject: `message ${i}`,
  text: 'hello',
  idempotencyKey: `outbox-${i}`,
});

/** A transport that records what it was handed and how many sends overlapped. */
const recordingTransport = (hold?: (message: OutgoingMail) => Promise<void>) => {
  const sent: string[] = [];
  let inFlight = 0;
  let widest = 0;
  const transport: Mailer = {
    async send(message) {
      inFlight += 1;
      widest = Math.max(widest, inFlight);
      try {
        await (hold?.(message) ?? new Promise((resolve) => setImmediate(resolve)));
        sent.push(message.idempotencyKey);
        return { messageId: message.idempotencyKey };
      } finally {
        inFlight -= 1;
      }
    },
  };
  return { transport, sent, widest: () => widest };
};

describe('e-mail outbox senders', () => {
  it('given 30 messages and 4 senders, when drained, then 4 send at once and each is sent and marked once', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    // Each send waits until four are in flight (or the queue runs dry), so the width is observed,
    // not hoped for.
    const waiting: (() => void)[] = [];
    let released = 0;
    const recorder = recordingTransport(
      () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length >= 4 || released + waiting.length >= 30) {
            released += waiting.length;
            for (const go of waiting.splice(0)) go();
          }
        }),
    );
    const outbox = createEmailOutbox({ pool: db.pool, clock, transport: recorder.transport, concurrency: 4 });
    for (let i = 0; i < 30; i++) await outbox.mailer.send(mail(i));

    expect(await outbox.drain()).toBe(30);

    expect(recorder.widest()).toBe(4);
    expect([...recorder.sent].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `outbox-${i}`).sort());
    const { rows } = await db.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM email_outbox GROUP BY status',
    );
    expect(rows).toEqual([{ status: 'sent', n: 30 }]);
    await outbox.close();
  });

  it('given one message the server holds on to, when drained, then the other senders send everything else meanwhile', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    let releaseSlow: () => void = () => {};
    const slowHeld = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let othersDone: () => void = () => {};
    const allOthersSent = new Promise<void>((resolve) => {
      othersDone = resolve;
    });
    const recorder = recordingTransport(async (message) => {
      if (message.idempotencyKey === 'outbox-0') await slowHeld;
    });
    const watched: Mailer = {
      async send(message) {
        const result = await recorder.transport.send(message);
        if (recorder.sent.length === 11 && !recorder.sent.includes('outbox-0')) othersDone();
        return result;
      },
    };
    const outbox = createEmailOutbox({ pool: db.pool, clock, transport: watched, concurrency: 3 });
    for (let i = 0; i < 12; i++) await outbox.mailer.send(mail(i));

    const draining = outbox.drain();
    // Would hang if the slow message blocked its whole batch (the test's timeout is the failure).
    await allOthersSent;
    expect(recorder.sent).not.toContain('outbox-0');
    releaseSlow();
    expect(await draining).toBe(12);
    expect(recorder.sent).toHaveLength(12);
    await outbox.close();
  });

  it('given two processes draining the same outbox at once, when both finish, then every message went out once', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const first = recordingTransport();
    const second = recordingTransport();
    const a = createEmailOutbox({ pool: db.pool, clock, transport: first.transport, concurrency: 4 });
    const b = createEmailOutbox({ pool: db.pool, clock, transport: second.transport, concurrency: 4 });
    for (let i = 0; i < 40; i++) await a.mailer.send(mail(i));

    const [fromA, fromB] = await Promise.all([a.drain(), b.drain()]);

    expect(fromA + fromB).toBe(40);
    const all = [...first.sent, ...second.sent];
    expect(new Set(all).size).toBe(40);
    expect(all).toHaveLength(40);
    await a.close();
    await b.close();
  });
});
