import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, signPayload } from '../../sandbox/signaturerx/webhookOutbox.js';
import { DAY, manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  HAIR_LOSS,
  hairLossAnswers,
  type PatientSession,
  SILDENAFIL,
  WEIGHT_LOSS,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

/**
 * The seed's key architecture decisions, each named after the decision and shown through the
 * public API (the pure specs of the same decisions are in test/domain/consultation/decisions.test.ts).
 */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const MONTH = 31 * DAY;
const types = async (session: PatientSession) => (await steps.events(session)).map((e) => e.type);

/** A POM one-off, approved, signed and delivered. */
const deliveredOneOff = async () => {
  const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
  await steps.settle();
  await steps.approve(session, HAIR_LOSS);
  await steps.dispatch(session);
  await steps.scan(session, 'delivered');
  await steps.expectStatus(session, 'delivered');
  return session;
};

describe('Key Architecture Decisions', () => {
  it('Payment model: full payment upfront; rejected at any stage → automatic full refund', async () => {
    const session = await steps.start(HAIR_LOSS);
    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    // Nothing is charged before the consultation is submitted.
    const early = await steps.patient.post(
      `/api/consultations/${session.id}/checkout`,
      { plan: { kind: 'one_off' } },
      session.headers,
    );
    expect(early.status).toBe(409);
    await steps.submit(session);
    const { checkoutSessionId, amountPence } = await steps.checkout(session, { kind: 'one_off' });
    expect(amountPence).toBe(2_495);
    await steps.pay(checkoutSessionId);
    await steps.expectStatus(session, 'in_clinical_review');
    await steps.prescriber.post(`/api/review/cases/${session.id}/deny`, { reason: 'Not appropriate' });
    await steps.expectStatus(session, 'refunded');
    expect(steps.refundsFor(session).map((r) => r.amount)).toEqual([2_495]);
  });

  it('One-off vs Instalment: chosen after the consultation, before checkout; the flow splits at Phase 7 (7A one order, 7B one Rx for the whole plan, max 3 months)', async () => {
    const session = await steps.start(HAIR_LOSS);
    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    await steps.submit(session);
    const tooLong = await steps.patient.post(
      `/api/consultations/${session.id}/checkout`,
      { plan: { kind: 'instalment', months: 6 } },
      session.headers,
    );
    expect(tooLong.status).toBe(400);
    // The patient may change their mind before paying: the plan paid for is the one in force.
    await steps.checkout(session, { kind: 'one_off' });
    const { checkoutSessionId, amountPence } = await steps.checkout(session, {
      kind: 'instalment',
      months: 3,
    });
    expect(amountPence).toBe(2_495);
    await steps.pay(checkoutSessionId);
    await steps.settle();
    await steps.prescriber.post(`/api/review/cases/${session.id}/approve`, { registrationNumber: '7654321' });
    await steps.settle();
    const rx = harness.standIns.signatureRx.prescriptions().find((p) => p.clinicReference === session.id);
    expect(rx).toMatchObject({ durationMonths: 3, medicines: [expect.objectContaining({ quantity: 3 })] });
    const created = (await steps.events(session)).find((e) => e.type === 'PrescriptionCreated');
    expect(created?.data.scope).toEqual({ phase: '7B', kind: 'full_plan', months: 3 });
  });

  it('Rx is final: once signed in SignatureRx the prescription is locked, with no void or replacement', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.approve(session, HAIR_LOSS);
    await steps.expectStatus(session, 'dispatch_pending');
    const deny = await steps.prescriber.post(`/api/review/cases/${session.id}/deny`, {
      reason: 'Second thoughts',
    });
    expect(deny.body.code).toBe('PRESCRIPTION_LOCKED');
    // SignatureRx delivering the signed webhook again changes nothing.
    const before = (await types(session)).length;
    const signed = (await steps.events(session)).find((e) => e.type === 'PrescriptionSigned')!.data;
    const body = JSON.stringify({
      id: signed.webhookEventId,
      type: 'prescription.signed',
      createdAt: signed.signedAt,
      data: { prescriptionId: signed.prescriptionId, clinicReference: session.id, signedAt: signed.signedAt },
    });
    const secret = harness.standIns.signatureRx.webhookSecret;
    const resent = await fetch(`${harness.url}/webhook/signaturerx`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signPayload(body, secret, Math.floor(clock.now().getTime() / 1000)),
      },
      body,
    });
    expect(resent.status).toBe(200);
    await steps.settle();
    expect((await types(session)).length).toBe(before);
    const rx = harness.standIns.signatureRx.prescriptions().find((p) => p.clinicReference === session.id);
    expect(rx?.status).toBe('signed');
  });

  it('Post-approval triggers: the SignatureRx webhook fires three actions at once (GP letter, patient notification, pharmacy queue); GP notified before dispatch', async () => {
    const session = await deliveredOneOff();
    const events = await steps.events(session);
    const signed = events.findIndex((e) => e.type === 'PrescriptionSigned');
    expect(events.slice(signed + 1, signed + 5).map((e) => e.type)).toEqual([
      'PlanStarted',
      'GpLetterRequested',
      'PatientNotificationRequested',
      'PharmacyQueueEntered',
    ]);
    const order = events.map((e) => e.type);
    expect(order.indexOf('GpLetterSent')).toBeLessThan(order.indexOf('OrderDispatched'));
    expect(steps.mailsTo('gp-letters@nhs-relay.example.org').length).toBeGreaterThan(0);
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your treatment has been approved');
  });

  it('Renewal overlap flag: a renewal while the previous plan is still active is flagged to the prescriber (Phase 6) and the pharmacy team (dispatch)', async () => {
    const first = await steps.paidConsultation(WEIGHT_LOSS, { kind: 'instalment', months: 3 });
    await steps.settle();
    await steps.approve(first, WEIGHT_LOSS);
    await steps.dispatch(first);
    await steps.scan(first, 'delivered');
    // Month 1 of 3 delivered: the patient renews early.
    const renewal = await steps.patient.post(`/api/consultations/${first.id}/renewal`, {}, first.headers);
    expect(renewal.status).toBe(201);
    const next: PatientSession = {
      id: renewal.body.consultationId,
      token: renewal.body.token,
      headers: { 'x-consultation-token': renewal.body.token },
      email: first.email,
    };
    expect(await steps.view(next)).toMatchObject({
      status: 'draft',
      renewalOf: first.id,
      answers: expect.objectContaining({ weightKg: 105 }),
    });
    await steps.submit(next);
    const { checkoutSessionId } = await steps.checkout(next, { kind: 'instalment', months: 3 });
    await steps.pay(checkoutSessionId);
    await steps.expectStatus(next, 'in_clinical_review');

    const queue = (await steps.prescriber.get('/api/review/cases')).body.items;
    expect(queue[0].consultationId).toBe(next.id); // overlaps sort first
    expect(queue[0].flags.renewalOverlap).toMatchObject({
      activeConsultationId: first.id,
      banner: expect.stringMatching(/^RENEWAL OVERLAP/),
    });
    expect(steps.mailsTo('prescribers@pharmacy.example.org').map((m) => m.subject)).toContain(
      'New consultation to review (prescriber) — RENEWAL OVERLAP',
    );

    await steps.approve(next, WEIGHT_LOSS);
    await steps.expectStatus(next, 'dispatch_pending');
    const dispensing = (await steps.ops.get('/api/pharmacy/consultations?view=dispensing')).body.items;
    expect(
      dispensing.find((i: { consultationId: string }) => i.consultationId === next.id).flags.renewalOverlap
        .banner,
    ).toMatch(/RENEWAL OVERLAP/);
    await steps.printSlip(next);
    const unacknowledged = await steps.ops.post(`/api/pharmacy/consultations/${next.id}/pack`, {});
    expect(unacknowledged.body.code).toBe('RENEWAL_OVERLAP_NOT_ACKNOWLEDGED');
    await steps.dispatch(next, { acknowledgeRenewalOverlap: true });
    await steps.expectStatus(next, 'dispatched');
  });

  it('Answer expiry (grace period): plan duration + 1 month to reorder (one-off = 1 month), then answers are cleared and a fresh consultation is required', async () => {
    const inGrace = await deliveredOneOff();
    const expiring = await deliveredOneOff();
    await steps.advance(MONTH); // both one-offs' month has run out
    await steps.expectStatus(inGrace, 'plan_completed');
    const reorder = await steps.patient.post(`/api/consultations/${inGrace.id}/renewal`, {}, inGrace.headers);
    expect(reorder.status).toBe(201);
    const reorderEvent = (await steps.events(inGrace)).find((e) => e.type === 'RenewalRequested');
    expect(reorderEvent?.data.kind).toBe('reorder');

    await steps.advance(MONTH); // past the one month of grace
    await steps.expectStatus(expiring, 'consultation_required');
    const view = await steps.view(expiring);
    expect(view.answers).toEqual({});
    expect(view.consultationRequired.reason).toBe('grace_period_expired');
    const late = await steps.patient.post(`/api/consultations/${expiring.id}/renewal`, {}, expiring.headers);
    expect(late).toMatchObject({
      status: 409,
      body: { code: 'CONSULTATION_REQUIRED', reason: 'grace_period_expired' },
    });
    expect(steps.mailsTo(expiring.email).map((m) => m.subject)).toContain('A new consultation is needed');
  });

  it('POM vs P: POM requires a prescriber and a SignatureRx Rx; P requires a pharmacist approval (logged, no Rx); both support instalments', async () => {
    const pom = await steps.paidConsultation(HAIR_LOSS, { kind: 'instalment', months: 2 });
    const p = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 2 });
    await steps.settle();
    expect(
      (await steps.pharmacist.post(`/api/review/cases/${pom.id}/approve`, { registrationNumber: '2081234' }))
        .status,
    ).toBe(403);
    expect(
      (await steps.prescriber.post(`/api/review/cases/${p.id}/approve`, { registrationNumber: '7654321' }))
        .status,
    ).toBe(403);

    const approvedP = await steps.pharmacist.post(`/api/review/cases/${p.id}/approve`, {
      notes: 'OK',
      registrationNumber: '2081234',
    });
    expect(approvedP.body.status).toBe('prescribed');
    const approvedPom = await steps.prescriber.post(`/api/review/cases/${pom.id}/approve`, {
      registrationNumber: '7654321',
    });
    expect(approvedPom.body.status).toBe('approved');
    await steps.settle();
    expect(await types(p)).toContain('PharmacySupplyApproved');
    expect(await types(p)).not.toContain('PrescriptionCreated');
    expect(await types(pom)).toContain('PrescriptionCreated');
    expect(await steps.parked()).toEqual([]);
  });

  it('Registration numbers: each clinician’s next case offers the GMC/GPhC number of their own last approval', async () => {
    const first = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    const next = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    const pom = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.pharmacist.post(`/api/review/cases/${first.id}/approve`, { registrationNumber: '2087654' });
    await steps.settle();
    const offered = (await steps.pharmacist.get(`/api/review/cases/${next.id}`)).body;
    expect(offered.yourRegistrationNumber).toBe('2087654');
    // Another clinician is never offered it.
    const prescribers = (await steps.prescriber.get(`/api/review/cases/${pom.id}`)).body;
    expect(prescribers.consultationId).toBe(pom.id);
    expect(prescribers.yourRegistrationNumber).not.toBe('2087654');
  });
});
