import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type Harness,
  newRxWith,
  sampleNewRx,
  startHarness,
} from '../support/platformHarness.js';
import { type Api, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

let harness: Harness;
let steps: ReturnType<typeof prescriptionSteps>;
let api: Api;
beforeAll(async () => {
  // Links that expire after 2 seconds, so expiry is testable without moving a clock.
  harness = await startHarness({ env: { MAGIC_LINK_TTL_HOURS: String(2 / 3600) } });
  steps = prescriptionSteps(harness);
  api = steps.api;
  await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
});
afterAll(() => harness?.close());

const typesOf = async (orderId: string) =>
  (await api.get(`/api/orders/${orderId}/events`)).body.events.map(
    (e: { type: string }) => e.type,
  ) as string[];

describe('validation', () => {
  it('records one issue per fault of the invalid sample, and a correction revalidates', async () => {
    const orderId = await steps.intake(await sampleNewRx('newrx-invalid.xml'));
    await waitForStatus(api, orderId, 'validation_issue');
    const detail = (await api.get(`/api/orders/${orderId}`)).body;
    expect(detail.validationIssues.map((i: { code: string }) => i.code).sort()).toEqual(
      ['DOB_INVALID', 'NDC_INVALID', 'PRESCRIBER_NPI_INVALID', 'SIG_EMPTY'].sort(),
    );
    const refused = await api.post(`/api/orders/${orderId}/corrections`, {
      corrections: { patientDateOfBirth: 'x' },
      reason: 'x',
    });
    expect(refused.status).toBe(400);
    const corrected = await api.post(`/api/orders/${orderId}/corrections`, {
      corrections: {
        patient: { dateOfBirth: '1979-03-14' },
        prescriber: { npi: '1558598797' },
        medication: { productCode: '00074-0554-02', sig: 'Inject 40 mg under the skin every other week' },
      },
      reason: 'confirmed with the prescriber by phone',
    });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
    await waitForStatus(api, orderId, 'validated');
    const corrections = (await api.get(`/api/orders/${orderId}`)).body.corrections;
    expect(corrections[0].fields).toEqual([
      'patient.dateOfBirth',
      'prescriber.npi',
      'medication.productCode',
      'medication.sig',
    ]);
  });

  it('flags a patient whose date of birth differs from the earlier record of the same identifier', async () => {
    await steps.validatedOrder('IDENTITY-1');
    const orderId = await steps.intake(
      await newRxWith('IDENTITY-2', { '<Date>1979-03-14</Date>': '<Date>1980-03-14</Date>' }),
    );
    await waitForStatus(api, orderId, 'validation_issue');
    const detail = (await api.get(`/api/orders/${orderId}`)).body;
    expect(detail.validationIssues.map((i: { code: string }) => i.code)).toContain(
      'PATIENT_IDENTITY_MISMATCH',
    );
  });
});

describe('magic links', () => {
  it('refuse a link replaced by a resend, and accept the new one', async () => {
    const orderId = await steps.validatedOrder('LINKS-1');
    const first = await steps.startEnrollment(orderId);
    const second = await steps.startEnrollment(orderId);
    const old = await api.get('/api/patient/enrollment', { 'x-enrollment-token': first });
    expect(old.status).toBe(404);
    expect(old.body.code).toBe('LINK_INVALID');
    expect((await api.get('/api/patient/enrollment', { 'x-enrollment-token': second })).status).toBe(200);
  });

  it('refuse an expired link with a clear message', async () => {
    const orderId = await steps.validatedOrder('LINKS-2');
    const token = await steps.startEnrollment(orderId);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await api.get('/api/patient/enrollment', { 'x-enrollment-token': token });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'LINK_EXPIRED', title: 'Link expired' });
  });

  it('refuse a malformed or unknown token without touching the order', async () => {
    expect((await api.get('/api/patient/enrollment', { 'x-enrollment-token': 'short' })).status).toBe(401);
    expect((await api.get('/api/patient/enrollment', { 'x-enrollment-token': 'A'.repeat(43) })).status).toBe(
      404,
    );
  });

  it('refuse card files that are not JPEG, PNG or PDF, whatever they claim to be', async () => {
    const orderId = await steps.validatedOrder('LINKS-3');
    const token = await steps.startEnrollment(orderId);
    const upload = await api.put(
      '/api/patient/enrollment/cards/front',
      Buffer.from('MZ this is an executable'),
      {
        'x-enrollment-token': token,
        'content-type': 'image/png',
      },
    );
    expect(upload.status).toBe(415);
    expect(upload.body.code).toBe('FILE_TYPE_NOT_ALLOWED');
  });
});

describe('roles', () => {
  it('refuse an ops action to an auditor and every staff endpoint to an anonymous caller', async () => {
    const orderId = await steps.validatedOrder('ROLES-1');
    const auditor = steps.api;
    const anonymous = await fetch(`${harness.url}/api/orders/${orderId}`);
    expect(anonymous.status).toBe(401);
    await auditor.signIn('auditor@pharmacy.example.org', harness.passwords.auditor!);
    expect((await auditor.get(`/api/orders/${orderId}`)).status).toBe(200);
    const refused = await auditor.post(`/api/orders/${orderId}/cancel`, { reason: 'not mine to cancel' });
    expect(refused.status).toBe(403);
    await auditor.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
  });
});

/** Scans dated ahead of the platform's clock, in order, but never further than a carrier could be. */
const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

describe('webhooks', () => {
  let orderId: string;
  let sessionId: string;

  it('refuse a forged Stripe event and handle a genuine one once, however often it is delivered', async () => {
    orderId = await steps.validatedOrder('HOOKS-1');
    await steps.enroll(await steps.startEnrollment(orderId));
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(api, orderId, 'awaiting_payment');
    sessionId = (await api.get(`/api/orders/${orderId}`)).body.payment.sessionId;

    const forgedBody = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: sessionId,
          object: 'checkout.session',
          client_reference_id: orderId,
          payment_status: 'paid',
        },
      },
    });
    const t = Math.floor(Date.now() / 1000);
    const forged = await fetch(`${harness.url}/webhook/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': `t=${t},v1=${createHmac('sha256', 'not-the-secret').update(`${t}.${forgedBody}`).digest('hex')}`,
      },
      body: forgedBody,
    });
    expect(forged.status).toBe(400);
    expect(await waitForStatus(api, orderId, 'awaiting_payment')).toBe(true);

    await harness.standIns.stripe.payCheckoutSession(sessionId);
    await waitForStatus(api, orderId, 'shipped');
    const completed = harness.standIns.stripe
      .events()
      .find(
        (e) => e.type === 'checkout.session.completed' && (e.data.object as { id: string }).id === sessionId,
      )!;
    await harness.standIns.stripe.resendEvent(completed.id);
    await harness.standIns.stripe.resendEvent(completed.id);
    await harness.composition.platform.drain();
    const types = await typesOf(orderId);
    expect(types.filter((t) => t === 'PaymentReceived')).toHaveLength(1);
    expect(types.filter((t) => t === 'ShippingLabelPurchased')).toHaveLength(1);
  });

  it('replace an expired payment link with a new one that the patient can pay', async () => {
    const expiring = await steps.validatedOrder('HOOKS-2');
    await steps.enroll(await steps.startEnrollment(expiring));
    await steps.selectBestPharmacy(expiring);
    await waitForStatus(api, expiring, 'awaiting_payment');
    const first = (await api.get(`/api/orders/${expiring}`)).body.payment.sessionId as string;
    await harness.standIns.stripe.expireCheckoutSession(first);
    const second = await eventually(async () => {
      const payment = (await api.get(`/api/orders/${expiring}`)).body.payment;
      return payment.sessionId !== first && payment.status === 'link_sent'
        ? (payment.sessionId as string)
        : undefined;
    }, 'a new payment link');
    expect((await typesOf(expiring)).filter((t) => t === 'PaymentLinkCreated')).toHaveLength(2);
    await harness.standIns.stripe.payCheckoutSession(second);
    await waitForStatus(api, expiring, 'shipped');
  });

  it('refuse a Shippo webhook with a wrong token and ignore a tracking update older than the last', async () => {
    const tracking = (await api.get(`/api/orders/${orderId}`)).body.shipment.trackingNumber;
    const bad = await harness.standIns.shippo.sendTrackUpdate(tracking, { token: 'wrong-token' });
    expect(bad).toEqual({ status: 401 });

    await harness.standIns.shippo.advanceTracking(tracking, 'TRANSIT', {
      substatus: 'out_for_delivery',
      statusDate: hoursFromNow(2),
    });
    await waitForStatus(api, orderId, 'out_for_delivery');
    await harness.standIns.shippo.advanceTracking(tracking, 'TRANSIT', {
      statusDate: hoursFromNow(1),
    });
    await harness.composition.platform.drain();
    expect(
      await eventually(
        async () => (await api.get(`/api/orders/${orderId}`)).body.status === 'out_for_delivery',
        'stale update ignored',
      ),
    ).toBe(true);
  });

  it('turns a failed delivery into a delivery exception that ops can reship', async () => {
    const tracking = (await api.get(`/api/orders/${orderId}`)).body.shipment.trackingNumber;
    await harness.standIns.shippo.advanceTracking(tracking, 'FAILURE', {
      statusDate: hoursFromNow(3),
    });
    await waitForStatus(api, orderId, 'delivery_exception');
    expect(
      (await api.post(`/api/orders/${orderId}/reship`, { reason: 'address corrected with the patient' }))
        .status,
    ).toBe(200);
    await waitForStatus(api, orderId, 'shipped');
    const labels = (await typesOf(orderId)).filter((t) => t === 'ShippingLabelPurchased');
    expect(labels).toHaveLength(2);
  });

  it('applies a Shippo update pushed before the orders read model has caught up with a new label', async () => {
    const tracking = (await api.get(`/api/orders/${orderId}`)).body.shipment.trackingNumber;
    await harness.standIns.shippo.advanceTracking(tracking, 'FAILURE', {
      statusDate: hoursFromNow(4),
    });
    await waitForStatus(api, orderId, 'delivery_exception');
    const store = harness.composition.platform.store;
    const labelsBefore = (await store.readStream(`order-${orderId}`)).filter(
      (e) => e.type === 'ShippingLabelPurchased',
    ).length;
    // Hold the orders read model back: its projection cannot write while this lock is held.
    const lagging = await harness.db.pool.connect();
    try {
      await lagging.query('BEGIN');
      await lagging.query('LOCK TABLE orders IN SHARE MODE');
      const reshipped = await api.post(`/api/orders/${orderId}/reship`, { reason: 'second attempt' });
      expect(reshipped.status).toBe(200);
      const label = await eventually(async () => {
        const labels = (await store.readStream(`order-${orderId}`)).filter(
          (e) => e.type === 'ShippingLabelPurchased',
        );
        return labels.length > labelsBefore ? labels.at(-1) : undefined;
      }, 'the new label');
      const { trackingNumber } = label.data as { trackingNumber: string };

      // Shippo pushes the first scan of the new parcel at once; it must not be lost to the lag.
      const delivery = await harness.standIns.shippo.advanceTracking(trackingNumber, 'TRANSIT', {
        statusDate: hoursFromNow(5),
      });
      expect(delivery).toEqual({ status: 200 });
      const after = (await store.readStream(`order-${orderId}`)).map((e) => e.type);
      expect(after.slice(after.lastIndexOf('ShippingLabelPurchased') + 1)).toContain('DeliveryStatusUpdated');
    } finally {
      await lagging.query('ROLLBACK');
      lagging.release();
    }
    await waitForStatus(api, orderId, 'in_transit');
  });
});
