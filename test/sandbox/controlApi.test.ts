import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
beforeAll(async () => {
  harness = await startHarness();
  steps = prescriptionSteps(harness);
  await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

/** A tester's call: plain JSON, no staff session. */
const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${harness.url}/sandbox/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : null,
  };
};

const SAMPLE_NDC = '<Code>00074055402</Code>';
const STELARA = '57894006003';

const enrolledOrder = async (messageId: string, replace: Record<string, string> = {}, memberId?: string) => {
  const orderId = await steps.intake(await newRxWith(messageId, replace));
  await waitForStatus(steps.api, orderId, 'validated');
  await steps.enroll(await steps.startEnrollment(orderId), memberId);
  return orderId;
};

const order = async (orderId: string) => (await steps.api.get(`/api/orders/${orderId}`)).body;

describe('the sandbox control API, as npm start and the demo mount it', () => {
  it('answers what it offers, without a staff session', async () => {
    const answer = await control('GET', '');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ sandbox: true });
    expect(answer.body.usParcelStatuses).toEqual(
      expect.arrayContaining(['TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'FAILURE', 'RETURNED']),
    );
    expect(answer.body.failableVendors).toEqual(
      expect.arrayContaining([
        'stripe',
        'shippo',
        'payer',
        'smtp',
        'lexisnexis',
        'signaturerx',
        'titanpmr',
        'royalmail',
        'twilio',
      ]),
    );
  });

  it('refuses bodies it cannot act on with problem+json naming the field', async () => {
    const badStatus = await control('POST', '/shippo/tracks/9205590000000000000001', { status: 'LOST' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.type).toContain('application/problem+json');
    expect(badStatus.body.errors[0].path).toBe('status');

    const unknownParcel = await control('POST', '/shippo/tracks/NO_SUCH_PARCEL', { status: 'TRANSIT' });
    expect(unknownParcel.status).toBe(404);
    expect(unknownParcel.type).toContain('application/problem+json');

    const unknownVendor = await control('POST', '/vendors/fedex/outage', { calls: 1 });
    expect(unknownVendor.status).toBe(400);
    const both = await control('POST', '/vendors/payer/outage', { calls: 1, minutes: 1 });
    expect(both.status).toBe(400);
    const backwards = await control('POST', '/clock/advance', { days: -1 });
    expect(backwards.status).toBe(400);
    const extra = await control('POST', '/orders/nope/checkout', { outcome: 'pay', amount: 1 });
    expect(extra.status).toBe(400);
    const noOrder = await control('POST', '/orders/ORD_missing/checkout', { outcome: 'pay' });
    expect(noOrder.status).toBe(404);
    const noPrescription = await control('POST', '/signaturerx/prescriptions/rx_missing/sign', {});
    expect(noPrescription.status).toBe(404);
  });

  it('pays the checkout, carries the parcel through TRANSIT, OUT_FOR_DELIVERY and DELIVERED to completed, and refunds', async () => {
    const orderId = await enrolledOrder('sandbox-control-us', {}, 'EVG-SBX-1');
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    const paid = await control('POST', `/orders/${orderId}/checkout`, { outcome: 'pay' });
    expect(paid.status).toBe(200);
    await waitForStatus(steps.api, orderId, 'shipped');

    for (const [status, seen] of [
      ['TRANSIT', 'in_transit'],
      ['OUT_FOR_DELIVERY', 'out_for_delivery'],
      ['DELIVERED', 'completed'],
    ] as const) {
      const moved = await control('POST', `/orders/${orderId}/tracking`, { status });
      expect(moved.status).toBe(200);
      await waitForStatus(steps.api, orderId, seen);
    }

    const refunded = await control('POST', `/orders/${orderId}/refund`, { amountMinor: 1 });
    expect(refunded.status).toBe(200);
    expect(refunded.body.refundId).toMatch(/^re_/);
    expect(harness.standIns.stripe.listRefunds().map((r) => r.id)).toContain(refunded.body.refundId);
  });

  it('declines a checkout: the order keeps waiting for payment', async () => {
    const orderId = await enrolledOrder('sandbox-control-decline', {}, 'EVG-SBX-2');
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    const { sessionId } = (await order(orderId)).payment;
    const declined = await control('POST', `/stripe/checkout-sessions/${sessionId}`, { outcome: 'decline' });
    expect(declined.status).toBe(200);
    await harness.standIns.stripe.webhooksIdle();
    await harness.composition.platform.drain();
    expect((await order(orderId)).status).toBe('awaiting_payment');
    const expired = await control('POST', `/stripe/checkout-sessions/${sessionId}`, { outcome: 'expire' });
    expect(expired.status).toBe(200);
    expect(harness.standIns.stripe.state.checkoutSessions.get(sessionId)?.status).toBe('expired');
  });

  it('grants a prior authorisation for the order’s member and drug, which takes the rejected claim to payment', async () => {
    const orderId = await enrolledOrder(
      'sandbox-control-pa',
      { [SAMPLE_NDC]: `<Code>${STELARA}</Code>` },
      'EVG-SBX-3',
    );
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'adjudication_rejected');

    const denied = await control('POST', `/orders/${orderId}/prior-authorization`, { decision: 'deny' });
    expect(denied.body).toMatchObject({ decision: 'denied', priorAuthorizationNumber: null });

    const granted = await control('POST', `/orders/${orderId}/prior-authorization`, { decision: 'grant' });
    expect(granted.status).toBe(200);
    expect(granted.body.priorAuthorizationNumber).toMatch(/^PA\d{8}$/);
    const resubmitted = await steps.api.post(`/api/orders/${orderId}/prior-authorization`, {
      number: granted.body.priorAuthorizationNumber,
      receivedVia: 'phone',
      note: 'approved by the plan (sandbox)',
    });
    expect(resubmitted.status).toBeLessThan(300);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
  });

  it('makes a vendor fail for N calls, then answer again', async () => {
    const claim = () =>
      fetch(`${harness.standIns.payer.url}/claims`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${harness.standIns.payer.apiKey}`,
          'content-type': 'application/json',
        },
        body: '{}',
      }).then((r) => r.status);
    const outage = await control('POST', '/vendors/payer/outage', { calls: 2 });
    expect(outage.status).toBe(200);
    expect([await claim(), await claim(), await claim()]).toEqual([503, 503, 400]);

    const timed = await control('POST', '/vendors/payer/outage', { minutes: 30, status: 502 });
    expect(timed.body.failing.until).toBeTruthy();
    expect(await claim()).toBe(502);
    expect((await control('DELETE', '/vendors/payer/outage')).status).toBe(204);
    expect(await claim()).toBe(400);
  });

  it('fails the SMTP mailbox for N messages: the e-mail waits in the outbox and goes when the clock reaches its retry', async () => {
    const enrollmentMails = () =>
      harness.standIns.mailbox.messages().filter((m) => m.subject === 'Complete your prescription enrollment')
        .length;
    const before = enrollmentMails();
    expect((await control('POST', '/vendors/smtp/outage', { calls: 1 })).status).toBe(200);
    const orderId = await steps.intake(await newRxWith('sandbox-control-smtp'));
    await waitForStatus(steps.api, orderId, 'validated');
    await steps.api.post(`/api/orders/${orderId}/enrollment`, {});
    const refused = await eventually(async () => {
      const { rows } = await harness.db.pool.query<{ message_key: string }>(
        "SELECT message_key FROM email_outbox WHERE status = 'pending' AND last_error IS NOT NULL",
      );
      return rows[0]?.message_key;
    }, 'the refused e-mail waiting for its retry');
    expect(enrollmentMails()).toBe(before);
    expect((await control('POST', '/clock/advance', { hours: 1 })).status).toBe(200);
    await eventually(async () => {
      const { rows } = await harness.db.pool.query<{ status: string }>(
        'SELECT status FROM email_outbox WHERE message_key = $1',
        [refused],
      );
      return rows[0]?.status === 'sent';
    }, 'the e-mail sent after the outage');
    expect(enrollmentMails()).toBe(before + 1);
  });
});
