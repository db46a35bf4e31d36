import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../../sandbox/twilio/server.js';
import { createTwilioSms } from '../../src/integrations/sms/twilioSms.js';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import { createSmsOutbox, type SmsOutbox } from '../../src/processes/smsOutbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let twilio: TwilioStandIn;
let outbox: SmsOutbox;
const clock = manualClock('2026-11-21T10:00:00Z');
const optedOut = new Set<string>();
const gateway = () =>
  createTwilioSms({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: twilio.phoneNumber,
    apiBase: twilio.url,
  });

beforeAll(async () => {
  db = await createTestDatabase();
  twilio = await startTwilioStandIn({ clock });
  outbox = createSmsOutbox({
    pool: db.pool,
    clock,
    gateway: gateway(),
    lines: { optedOut: async (phone) => optedOut.has(phone) },
    statusCallbackUrl: 'http://127.0.0.1:9/webhook/twilio/status',
  });
});
afterAll(async () => {
  await outbox.close();
  await twilio.close();
  await db.drop();
});

const row = async (key: string) =>
  (
    await db.pool.query(
      'SELECT status, attempts, message_sid, body, last_error, next_attempt_at FROM sms_outbox WHERE message_key = $1',
      [key],
    )
  ).rows[0];
const sentTo = (to: string) => twilio.messages().filter((m) => m.direction === 'outbound-api' && m.to === to);

describe('the SMS outbox', () => {
  it('records a text once per key, however often it is asked', async () => {
    const text = { to: '+14155550101', body: 'Pay here: https://pay.example/1', idempotencyKey: 'k-once' };
    await outbox.sender.send(text);
    await outbox.sender.send({ ...text, body: 'a redelivery would write this' });
    await outbox.drain();
    expect(sentTo('+14155550101').map((m) => m.body)).toEqual(['Pay here: https://pay.example/1']);
    expect(await row('k-once')).toMatchObject({ status: 'sent', attempts: 1, body: '' });
  });

  it('adopts a text Twilio took before its sender died, instead of texting again', async () => {
    const text = { to: '+14155550102', body: 'Pay here: https://pay.example/2', idempotencyKey: 'k-crash' };
    await outbox.sender.send(text);
    // The sender that died: it claimed the text, Twilio took it, and the mark never happened.
    await db.pool.query('UPDATE sms_outbox SET attempts = 1, claimed_until = $2 WHERE message_key = $1', [
      'k-crash',
      new Date(clock.now().getTime() + MINUTE),
    ]);
    const taken = await gateway().send({ to: text.to, body: text.body });
    await outbox.drain();
    expect(sentTo(text.to)).toHaveLength(1); // still claimed by the dead sender: nothing yet
    clock.advance(2 * MINUTE); // its claim runs out
    await outbox.drain();
    expect(sentTo(text.to)).toHaveLength(1);
    expect(await row('k-crash')).toMatchObject({
      status: 'sent',
      attempts: 2,
      message_sid: taken.messageSid,
    });
  });

  it('tries an unavailable Twilio again on the vendor schedule, then sends once', async () => {
    const text = { to: '+14155550103', body: 'Delivered', idempotencyKey: 'k-outage' };
    twilio.failNextRequests(1, 503);
    await outbox.sender.send(text);
    await outbox.drain();
    expect(await row('k-outage')).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row('k-outage')).next_attempt_at).toEqual(new Date(clock.now().getTime() + 5 * MINUTE));
    clock.advance(5 * MINUTE);
    await outbox.drain();
    expect(sentTo(text.to)).toHaveLength(1);
    expect(await row('k-outage')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives up on a number Twilio refuses, and keeps why for ops', async () => {
    await outbox.sender.send({ to: '+15005550001', body: 'x', idempotencyKey: 'k-invalid' });
    await outbox.drain();
    const refused = await row('k-invalid');
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, body: '' });
    expect(refused.last_error).toMatch(/^21211/);
  });

  it('suppresses a text to a line that said STOP, without calling Twilio', async () => {
    optedOut.add('+14155550104');
    await outbox.sender.send({ to: '+14155550104', body: 'x', idempotencyKey: 'k-stopped' });
    await outbox.drain();
    expect(await row('k-stopped')).toMatchObject({ status: 'suppressed', body: '' });
    expect(sentTo('+14155550104')).toEqual([]);
  });
});
