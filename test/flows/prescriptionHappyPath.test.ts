import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/projections/audit/verifyAudit.js';
import {
  apiClient,
  eventually,
  type Harness,
  sampleNewRx,
  startHarness,
  tinyPng,
} from '../support/platformHarness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

const statusOf = async (api: ReturnType<typeof apiClient>, orderId: string) =>
  (await api.get(`/api/orders/${orderId}`)).body?.status;
const waitForStatus = (api: ReturnType<typeof apiClient>, orderId: string, status: string) =>
  eventually(async () => (await statusOf(api, orderId)) === status, `order ${orderId} to reach ${status}`);

describe('prescription to doorstep, through HTTP alone', () => {
  it('carries one NewRx from intake to completed with real SMTP, S3, Stripe, Shippo and payer paths', async () => {
    const api = apiClient(harness.url);
    const intakeKey = { 'x-api-key': harness.composition.intakeApiKey, 'content-type': 'application/xml' };
    const xml = await sampleNewRx();

    // 1. Intake, and the same message again returns the same order.
    const intake = await api.post('/api/intake', xml, intakeKey);
    expect(intake.status).toBe(202);
    expect(intake.body).toMatchObject({ status: 'received', duplicate: false });
    const orderId: string = intake.body.orderId;
    const again = await api.post('/api/intake', xml, intakeKey);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ orderId, duplicate: true });

    // 2. Validation runs by itself.
    await api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    await waitForStatus(api, orderId, 'validated');

    // 3. Ops starts enrollment; the patient gets the magic link by e-mail.
    expect((await api.post(`/api/orders/${orderId}/enrollment`, {})).body).toMatchObject({
      status: 'awaiting_enrollment',
    });
    const mail = await harness.standIns.mailbox.waitFor(
      (m) =>
        m.subject === 'Complete your prescription enrollment' && m.to.includes('adaeze.okafor@example.org'),
      30_000,
    );
    const token = /\/enroll\/([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
    expect(token).toBeDefined();
    const patient = { 'x-enrollment-token': token! };

    const enrollment = await api.get('/api/patient/enrollment', patient);
    expect(enrollment.status).toBe(200);
    expect(enrollment.body.medication.description).toContain('adalimumab');
    for (const side of ['front', 'back']) {
      const upload = await api.put(`/api/patient/enrollment/cards/${side}`, tinyPng(), {
        ...patient,
        'content-type': 'image/png',
      });
      expect(upload.status).toBe(200);
      expect(upload.body).toMatchObject({ side, contentType: 'image/png' });
    }
    const submitted = await api.post(
      '/api/patient/enrollment',
      {
        insurance: {
          memberId: 'EVG123456',
          bin: '610014',
          pcn: 'CommPlanA',
          group: 'EVG1001',
          cardholderName: 'Adaeze Okafor',
          relationship: '1',
        },
        consent: { accepted: true, version: enrollment.body.consent.version, signedName: 'Adaeze Okafor' },
      },
      patient,
    );
    expect(submitted.body).toMatchObject({ status: 'awaiting_routing' });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('awaiting_routing');
    // The link is single use.
    expect((await api.get('/api/patient/enrollment', patient)).body).toMatchObject({
      status: 410,
      code: 'LINK_USED',
    });

    // 4. Routing recommends; ops selects the best.
    await waitForStatus(api, orderId, 'awaiting_pharmacy_selection');
    const detail = (await api.get(`/api/orders/${orderId}`)).body;
    expect(detail.recommendations.length).toBeGreaterThan(0);
    expect(detail.recommendations[0].reasons.length).toBeGreaterThan(0);
    expect(
      (
        await api.post(`/api/orders/${orderId}/pharmacy`, {
          pharmacyId: detail.recommendations[0].pharmacyId,
        })
      ).body.status,
    ).toBe('pharmacy_selected');

    // 5–6. Adjudication, then a Stripe Checkout link e-mailed; the patient pays on the stand-in's page.
    await waitForStatus(api, orderId, 'awaiting_payment');
    const priced = (await api.get(`/api/orders/${orderId}`)).body;
    expect(priced.adjudication.patientPaysAfterCouponMinor).toBeGreaterThan(0);
    await harness.standIns.mailbox.waitFor((m) => m.subject === 'Your copay is ready to pay', 30_000);
    const pay = await fetch(`${harness.standIns.stripe.url}/checkout/${priced.payment.sessionId}/pay`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect([200, 303]).toContain(pay.status);

    // 7. Paid → label bought (cold chain → overnight).
    await waitForStatus(api, orderId, 'shipped');
    const shipped = (await api.get(`/api/orders/${orderId}`)).body;
    expect(shipped.shipment.coldChain).toBe(true);
    expect(shipped.shipment.serviceLevel).toMatch(/overnight|next_day|express/i);

    // 8–9. Tracking webhooks move it to delivered, and completed follows.
    await harness.standIns.shippo.advanceTracking(shipped.shipment.trackingNumber, 'TRANSIT');
    await waitForStatus(api, orderId, 'in_transit');
    await harness.standIns.shippo.advanceTracking(shipped.shipment.trackingNumber, 'DELIVERED');
    await waitForStatus(api, orderId, 'completed');
    await harness.standIns.mailbox.waitFor((m) => m.subject === 'Your order has been delivered', 30_000);

    const history = (await api.get(`/api/orders/${orderId}/events`)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(history).toEqual([
      'PrescriptionReceived',
      'PrescriptionValidated',
      'EnrollmentLinkIssued',
      'InsuranceCardUploaded',
      'InsuranceCardUploaded',
      'EnrollmentCompleted',
      'PharmaciesRecommended',
      'PharmacySelected',
      'ClaimAdjudicated',
      'PaymentLinkCreated',
      'PaymentReceived',
      'ShippingLabelPurchaseStarted',
      'ShippingLabelPurchased',
      'DeliveryStatusUpdated',
      'DeliveryStatusUpdated',
      'OrderCompleted',
    ]);

    // The audit trail holds every event and every read of patient data, and its chain is intact.
    await harness.composition.platform.drain();
    const audit = await harness.db.pool.query(
      'SELECT event_type, actor FROM audit_log WHERE stream_name IN ($1, $2) ORDER BY seq',
      [`order-${orderId}`, `access-${orderId}`],
    );
    expect(audit.rows.filter((r) => r.event_type === 'OrderCompleted')).toHaveLength(1);
    expect(
      audit.rows.some((r) => r.event_type === 'PatientDataAccessed' && r.actor.startsWith('staff:')),
    ).toBe(true);
    expect(
      audit.rows.some((r) => r.event_type === 'PatientDataAccessed' && r.actor.startsWith('patient:')),
    ).toBe(true);
    expect(await verifyAuditTrail(harness.db.pool, { key: harness.composition.auditKey })).toMatchObject({
      ok: true,
    });
  });
});
