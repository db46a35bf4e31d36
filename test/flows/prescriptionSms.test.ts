import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../sandbox/twilio/signature.js';
import { smsLineStream } from '../../src/domain/smsLine.js';
import { apiClient, eventually, type Harness, startHarness, tinyPng } from '../support/platformHarness.js';
import { insurance, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const textsTo = (phone: string) =>
  harness.standIns.twilio.messages().filter((m) => m.direction === 'outbound-api' && m.to === phone);

/** Enrolls as the patient would, choosing texts on `phone` as typed. */
const enrollWithTexts = async (token: string, memberId: string, phone: string | undefined) => {
  const api = apiClient(harness.url);
  const patient = { 'x-enrollment-token': token };
  const details = await api.get('/api/patient/enrollment', patient);
  for (const side of ['front', 'back']) {
    await api.put(`/api/patient/enrollment/cards/${side}`, tinyPng(), {
      ...patient,
      'content-type': 'image/png',
    });
  }
  return api.post(
    '/api/patient/enrollment',
    {
      insurance: { ...insurance, memberId },
      consent: { accepted: true, version: details.body.consent.version, signedName: 'Adaeze Okafor' },
      ...(phone !== undefined ? { notifications: { sms: phone } } : {}),
    },
    patient,
  );
};

const orderEvents = async (orderId: string) =>
  (await harness.composition.platform.store.readStream(`order-${orderId}`)).map((e) => ({
    type: e.type,
    data: e.data,
  }));

/** Signs as Twilio does, with the account's auth token (or another, to forge). */
const postTwilio = (
  path: string,
  params: Record<string, string>,
  token = harness.standIns.twilio.authToken,
) =>
  fetch(`${harness.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(token, `${harness.url}${path}`, params),
    },
    body: new URLSearchParams(params).toString(),
  });

const inboundText = (from: string, body: string, sid: string) => ({
  AccountSid: harness.standIns.twilio.accountSid,
  ApiVersion: '2010-04-01',
  Body: body,
  From: from,
  MessageSid: sid,
  NumMedia: '0',
  NumSegments: '1',
  SmsMessageSid: sid,
  SmsSid: sid,
  SmsStatus: 'received',
  To: harness.standIns.twilio.phoneNumber,
});

describe('texts to a US patient who chose them at enrollment', () => {
  it('texts the payment link and the delivered notice once each, and records what Twilio reports', async () => {
    const phone = '+14155550132';
    const orderId = await steps.validatedOrder('SMS-FLOW-1');
    const token = await steps.startEnrollment(orderId);
    const enrolled = await enrollWithTexts(token, 'SMS000001', '(415) 555-0132');
    expect(enrolled.body).toMatchObject({ status: 'awaiting_routing' });
    expect(await orderEvents(orderId)).toContainEqual({ type: 'SmsNotificationsChosen', data: { phone } });
    // Ops see the choice on the order.
    await eventually(
      async () => (await steps.api.get(`/api/orders/${orderId}`)).body.texts?.phone === phone,
      'the choice of texts on the order view',
    );

    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    const payUrl: string = (await steps.api.get(`/api/orders/${orderId}`)).body.payment.url;
    const payText = await eventually(async () => textsTo(phone)[0], 'the payment link text');
    expect(payText.body).toContain(payUrl);
    expect(payText.body).toMatch(/\$\d+\.\d{2}/);
    // No name, no drug, no date of birth in a text.
    expect(payText.body).not.toMatch(/Adaeze|Okafor|adalimumab|humira/i);
    // The dev mailbox shows it beside the e-mails.
    await harness.standIns.mailbox.waitFor((m) => m.subject === `SMS to ${phone}`, 30_000);

    await steps.pay(orderId);
    await waitForStatus(steps.api, orderId, 'shipped');
    const shipment = (await steps.api.get(`/api/orders/${orderId}`)).body.shipment;
    await harness.standIns.shippo.advanceTracking(shipment.trackingNumber, 'DELIVERED');
    await waitForStatus(steps.api, orderId, 'completed');
    await eventually(async () => textsTo(phone).length === 2 || undefined, 'the delivered text');
    expect(textsTo(phone)[1]!.body).toMatch(/delivered/);

    // Everything settled: still two texts, each sent once, each reported delivered by signed callback.
    await harness.composition.platform.drain();
    await harness.composition.smsOutbox!.drain();
    expect(textsTo(phone)).toHaveLength(2);
    const { rows } = await harness.db.pool.query(
      'SELECT status, message_sid, body FROM sms_outbox WHERE recipient = $1 ORDER BY created_at',
      [phone],
    );
    expect(rows).toEqual(textsTo(phone).map((m) => ({ status: 'sent', message_sid: m.sid, body: '' })));
    const line = await eventually(async () => {
      const events = await harness.composition.platform.store.readStream(smsLineStream(phone));
      const delivered = events.filter(
        (e) => e.type === 'SmsDeliveryReported' && (e.data as { status: string }).status === 'delivered',
      );
      return delivered.length === 2 ? events : undefined;
    }, 'both texts reported delivered');
    expect(line.map((e) => (e.data as { messageSid: string }).messageSid)).toEqual(
      expect.arrayContaining(textsTo(phone).map((m) => m.sid)),
    );
    // Ops read the line's state beside the order.
    await eventually(
      async () =>
        (await steps.api.get(`/api/orders/${orderId}`)).body.texts?.line?.lastStatus === 'delivered',
      'the last delivery status on the order',
    );
  });

  it('refuses a number that cannot take a text, saying why, and records nothing', async () => {
    const orderId = await steps.validatedOrder('SMS-FLOW-BAD');
    const token = await steps.startEnrollment(orderId);
    for (const bad of ['555-0132', '+33 6 12 34 56 78', '415-555-0132\n+14155550199']) {
      const refused = await enrollWithTexts(token, 'SMS000002', bad);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body.errors)).toMatch(/number|digits|US|UK/);
    }
    expect((await orderEvents(orderId)).map((e) => e.type)).not.toContain('EnrollmentCompleted');
  });

  it('sends nothing after the patient texts STOP, though the e-mail still goes', async () => {
    const phone = '+14155550144';
    const orderId = await steps.validatedOrder('SMS-FLOW-STOP');
    const token = await steps.startEnrollment(orderId);
    await enrollWithTexts(token, 'SMS000003', phone);
    // Straight to the platform, so Twilio's own block list cannot be what stops the text.
    const stop = await postTwilio(
      '/webhook/twilio/messages',
      inboundText(phone, 'Stop', `SM${'5'.repeat(32)}`),
    );
    expect(stop.status).toBe(200);
    expect(stop.headers.get('content-type')).toContain('text/xml');
    // Twilio redelivers: recorded once.
    await postTwilio('/webhook/twilio/messages', inboundText(phone, 'Stop', `SM${'5'.repeat(32)}`));
    const line = await harness.composition.platform.store.readStream(smsLineStream(phone));
    expect(line.map((e) => e.type)).toEqual(['SmsOptedOut']);
    const texts = await eventually(async () => {
      const detail = (await steps.api.get(`/api/orders/${orderId}`)).body;
      return detail.texts?.line?.optedOut ? detail.texts : undefined;
    }, 'the opt-out on the order');
    expect(texts).toMatchObject({ phone, line: { optedOut: true } });

    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    await harness.standIns.mailbox.waitFor(
      (m) => m.subject === 'Your copay is ready to pay' && m.text?.includes(orderId) === true,
      30_000,
    );
    await harness.composition.platform.drain();
    await harness.composition.smsOutbox!.drain();
    const { rows } = await harness.db.pool.query('SELECT status, body FROM sms_outbox WHERE recipient = $1', [
      phone,
    ]);
    expect(rows).toEqual([{ status: 'suppressed', body: '' }]);
    expect(textsTo(phone)).toEqual([]);
  });

  it('hears STOP and START texted to the stand-in: texts stop, then resume', async () => {
    const phone = '+14155550166';
    const orderId = await steps.validatedOrder('SMS-FLOW-START');
    const token = await steps.startEnrollment(orderId);
    await enrollWithTexts(token, 'SMS000004', phone);
    const reply = (body: string) =>
      fetch(`${harness.standIns.twilio.url}/sandbox/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ From: phone, Body: body }).toString(),
      }).then((r) => r.json());
    expect(await reply('STOP')).toEqual({ webhookStatus: 200 });
    expect(await reply('START')).toEqual({ webhookStatus: 200 });
    // Any other reply is answered but not kept.
    expect(await reply('Is my medicine on its way?')).toEqual({ webhookStatus: 200 });
    const line = await harness.composition.platform.store.readStream(smsLineStream(phone));
    expect(line.map((e) => e.type)).toEqual(['SmsOptedOut', 'SmsOptedIn']);
    expect(JSON.stringify(line)).not.toContain('medicine');

    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    await eventually(async () => textsTo(phone)[0], 'the payment link text after START');
  });

  it('refuses forged webhooks: a wrong, a missing or a replayed-elsewhere signature records nothing', async () => {
    const phone = '+14155550155';
    const stop = inboundText(phone, 'STOP', `SM${'6'.repeat(32)}`);
    const forged = await postTwilio('/webhook/twilio/messages', stop, 'not-the-auth-token-at-all');
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const unsigned = await fetch(`${harness.url}/webhook/twilio/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(stop).toString(),
    });
    expect(unsigned.status).toBe(403);
    // A genuine signature for the status URL does not carry over to another URL.
    const statusParams = {
      AccountSid: harness.standIns.twilio.accountSid,
      MessageSid: `SM${'7'.repeat(32)}`,
      MessageStatus: 'delivered',
      To: phone,
    };
    const signedForStatus = twilioSignature(
      harness.standIns.twilio.authToken,
      `${harness.url}/webhook/twilio/status`,
      statusParams,
    );
    const moved = await fetch(`${harness.url}/webhook/twilio/status?again=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signedForStatus },
      body: new URLSearchParams(statusParams).toString(),
    });
    expect(moved.status).toBe(403);
    const json = await fetch(`${harness.url}/webhook/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signedForStatus },
      body: JSON.stringify(statusParams),
    });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    expect(await harness.composition.platform.store.readStream(smsLineStream(phone))).toEqual([]);
  });
});
