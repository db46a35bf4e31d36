import { afterAll, describe, expect, it } from 'vitest';
import { type KillablePlatform, killablePlatform } from '../support/childPlatform.js';
import { apiClient, eventually, newRxWith, tinyPng } from '../support/platformHarness.js';
import { insurance } from '../support/prescriptionSteps.js';

// Twilio keeps no idempotency key for messages: a text sent twice reaches the patient twice. This
// test kills the platform after Twilio took the payment-link text and before its answer arrived,
// and checks that the platform, restarted, adopts that text instead of sending another.

describe('a text is sent once', () => {
  let platform: KillablePlatform | undefined;
  afterAll(() => platform?.close());

  it('when the platform is killed after Twilio took the text and before it was recorded', async () => {
    // A dead sender's claim is taken over after 5 s rather than production's minute.
    platform = await killablePlatform({ OUTBOX_CLAIM_SECONDS: '5' });
    await platform.start();
    const current = platform;
    const phone = '+14155550190';
    const api = apiClient(current.url);
    const ops = { authorization: `Bearer ${await current.tokenFor('ops')}` };
    const statusOf = async (orderId: string) =>
      (await api.get(`/api/orders/${orderId}`, { ...ops })).body?.status as string | undefined;

    const intake = await api.post('/api/intake', await newRxWith('SMS-CRASH-1'), {
      'x-api-key': current.intakeKey,
      'content-type': 'application/xml',
    });
    const orderId: string = intake.body.orderId;
    await eventually(async () => (await statusOf(orderId)) === 'validated', 'validated');
    await api.post(`/api/orders/${orderId}/enrollment`, {}, ops);
    const invite = await current.standIns.mailbox.waitFor(
      (m) => m.subject === 'Complete your prescription enrollment',
      30_000,
    );
    const token = /\/enroll\/([A-Za-z0-9_-]{43})/.exec(invite.text ?? '')![1]!;
    const patient = { 'x-enrollment-token': token };
    const details = await api.get('/api/patient/enrollment', patient);
    for (const side of ['front', 'back']) {
      await api.put(`/api/patient/enrollment/cards/${side}`, tinyPng(), {
        ...patient,
        'content-type': 'image/png',
      });
    }
    const enrolled = await api.post(
      '/api/patient/enrollment',
      {
        insurance: { ...insurance, memberId: 'SMSCRASH1' },
        consent: { accepted: true, version: details.body.consent.version, signedName: 'Adaeze Okafor' },
        notifications: { sms: phone },
      },
      patient,
    );
    expect(enrolled.body.status).toBe('awaiting_routing');
    await eventually(
      async () => (await statusOf(orderId)) === 'awaiting_pharmacy_selection',
      'routing',
      60_000,
    );

    // The moment of the crash: Twilio has the text, its answer is not yet sent.
    let killed = false;
    // The restart is awaited below: left floating, its failure would surface in another test file.
    let restarted: Promise<void> = Promise.resolve();
    current.standIns.twilio.holdNextMessageAnswer(async () => {
      await current.kill();
      killed = true;
      restarted = current.start();
    });
    const detail = (await api.get(`/api/orders/${orderId}`, ops)).body;
    await api.post(
      `/api/orders/${orderId}/pharmacy`,
      { pharmacyId: detail.recommendations[0].pharmacyId },
      ops,
    );

    const texts = () =>
      current.standIns.twilio.messages().filter((m) => m.direction === 'outbound-api' && m.to === phone);
    await eventually(async () => killed || undefined, 'the crash', 60_000);
    await restarted;
    // Restarted, the sender waits out the dead one's claim, then finds the text at Twilio.
    const row = await eventually(
      async () => {
        const { rows } = await current.db.pool.query(
          "SELECT status, attempts, message_sid FROM sms_outbox WHERE recipient = $1 AND status <> 'pending'",
          [phone],
        );
        return rows[0];
      },
      'the text recorded as sent after the restart',
      180_000,
    );
    expect(texts()).toHaveLength(1);
    expect(row).toEqual({ status: 'sent', attempts: 2, message_sid: texts()[0]!.sid });
  }, 300_000);
});
