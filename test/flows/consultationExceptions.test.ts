import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_DENY_PATIENT_MESSAGE } from '../../src/domain/consultation/questionnaire.js';
import { DAY, MINUTE, manualClock } from '../../src/platform/clock.js';
import { weightLossAnswers } from '../domain/consultation/fixtures.js';
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
 * Every row of the seed's error/exception table, reached through the public API with the vendor
 * stand-ins, ending in the table's terminal state. Refunds are counted at the Stripe stand-in.
 */
const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

const refundOnce = (session: PatientSession, amount: number) => {
  const refunds = steps.refundsFor(session);
  expect(refunds).toHaveLength(1);
  expect(refunds[0]).toMatchObject({ amount, status: 'succeeded', currency: 'gbp' });
};

const eventTypes = async (session: PatientSession) => (await steps.events(session)).map((e) => e.type);

describe('Auto-denial from form logic → Auto-Denied', () => {
  it('tells the patient only to see their GP, never which answer failed, and takes no payment', async () => {
    const session = await steps.start(WEIGHT_LOSS);
    await steps.answer(session, WEIGHT_LOSS, { ...weightLossAnswers, weightKg: 80 }); // BMI 26
    const submitted = await steps.submit(session);
    expect(submitted).toEqual({
      consultationId: session.id,
      status: 'auto_denied',
      message: AUTO_DENY_PATIENT_MESSAGE,
    });

    const view = await steps.view(session);
    expect(view.outcome).toEqual({ message: AUTO_DENY_PATIENT_MESSAGE });
    expect(JSON.stringify(view)).not.toMatch(/bmi|ruleId|reason/i);
    const refused = await steps.patient.post(
      `/api/consultations/${session.id}/checkout`,
      { plan: { kind: 'one_off' } },
      session.headers,
    );
    expect(refused.status).toBe(409);

    await steps.settle();
    const mail = steps.mailsTo(session.email).find((m) => m.subject === 'About your consultation');
    expect(mail?.text).toContain(AUTO_DENY_PATIENT_MESSAGE);
    expect(mail?.text).not.toMatch(/bmi|weight/i);
    // The clinical record keeps the rule for the team.
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(detail.autoDenial.ruleIds).toEqual(['bmi-below-27']);
    expect(steps.refundsFor(session)).toHaveLength(0);
  });
});

describe('Payment fails at checkout → Awaiting Payment', () => {
  it('shows the failure, charges nothing, and a new checkout can be paid', async () => {
    const session = await steps.start(HAIR_LOSS);
    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    await steps.submit(session);
    const first = await steps.checkout(session, { kind: 'one_off' });
    expect(first.amountPence).toBe(2_495);
    await steps.pay(first.checkoutSessionId, { fail: true });

    const failed = await steps.view(session);
    expect(failed).toMatchObject({
      status: 'awaiting_payment',
      lastPaymentFailure: { failureCode: 'generic_decline' },
    });
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your payment did not go through');

    const retry = await steps.checkout(session, { kind: 'one_off' });
    expect(retry.checkoutSessionId).not.toBe(first.checkoutSessionId);
    await steps.pay(retry.checkoutSessionId);
    await steps.expectStatus(session, 'in_clinical_review');
    expect(await eventTypes(session)).toEqual(
      expect.arrayContaining(['PaymentFailed', 'PaymentCaptured', 'IdentityVerified', 'ReviewQueued']),
    );
  });
});

describe('ID check fails → Rejected → Refunded', () => {
  it('asks for a photo ID, a person reviews it, and a still-failing ID is rejected and refunded once', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' }, { lastName: 'Failwright' });
    await steps.expectStatus(session, 'id_document_requested');
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('We need a photo of your ID');

    const upload = (body: Buffer, type = 'image/png') =>
      steps.patient.call('PUT', `/api/consultations/${session.id}/id-document?type=passport`, body, {
        ...session.headers,
        'content-type': type,
      });
    expect((await upload(Buffer.from('not an image'), 'application/octet-stream')).status).toBe(415);
    const uploaded = await upload(steps.tinyPng());
    expect(uploaded.body).toMatchObject({ status: 'id_manual_review' });
    await steps.settle();

    const image = await steps.ops.call('GET', `/api/pharmacy/consultations/${session.id}/id-document`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const queue = (await steps.ops.get('/api/pharmacy/consultations?view=identity')).body.items;
    expect(queue.map((i: { consultationId: string }) => i.consultationId)).toContain(session.id);
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(detail.identity.documentCheck.outcome).toBeTruthy();
    // Whoever compares the photo ID with the patient sees the date of birth the patient gave.
    expect(detail.patient.dateOfBirth).toBe('1988-02-14');

    const review = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/id-review`, {
      outcome: 'fail',
      reason: 'Photo does not match the name given',
    });
    expect(review.body.status).toBe('rejected');
    await steps.expectStatus(session, 'refunded');
    refundOnce(session, 2_495);
    expect(
      steps.mailsTo(session.email).find((m) => m.subject === 'Your refund has been issued')?.text,
    ).toMatch(/not able to confirm your identity/);
  });
});

describe('Clinician requests more info → Awaiting Response', () => {
  it('messages the patient, pauses the case, and resumes it when the patient replies', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.expectStatus(session, 'in_clinical_review');
    const asked = await steps.prescriber.post(`/api/review/cases/${session.id}/request-information`, {
      question: 'How long have you noticed thinning at the crown?',
    });
    expect(asked.body.status).toBe('awaiting_response');
    await steps.settle();
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain('Your clinician has a question');
    const paused = await steps.view(session);
    expect(paused.status).toBe('awaiting_response');
    expect(paused.messages).toEqual([
      expect.objectContaining({ from: 'clinician', text: expect.stringMatching(/How long/) }),
    ]);
    // The clinician cannot decide while the question is open.
    expect(
      (
        await steps.prescriber.post(`/api/review/cases/${session.id}/approve`, {
          registrationNumber: '7654321',
        })
      ).status,
    ).toBe(409);

    const replied = await steps.patient.post(
      `/api/consultations/${session.id}/replies`,
      { message: 'About two years, slowly.' },
      session.headers,
    );
    expect(replied.body.status).toBe('in_clinical_review');
    await steps.settle();
    expect(steps.mailsTo('prescribers@pharmacy.example.org').map((m) => m.subject)).toContain(
      `Patient replied: consultation ${session.id}`,
    );
    await steps.approve(session, HAIR_LOSS);
    await steps.expectStatus(session, 'dispatch_pending');
  });
});

describe('Clinician denies treatment → Rejected → Refunded', () => {
  it('logs the reason, refunds once (even across a Stripe outage) and tells the patient only after Stripe confirms', async () => {
    const session = await steps.paidConsultation(WEIGHT_LOSS, { kind: 'instalment', months: 3 });
    await steps.expectStatus(session, 'in_clinical_review');
    harness.standIns.stripe.failNextRequests(1);
    const denied = await steps.prescriber.post(`/api/review/cases/${session.id}/deny`, {
      reason: 'Eating disorder history disclosed in notes',
    });
    expect(denied.body.status).toBe('rejected');
    await steps.settle();

    // Stripe was down: the refund waits on the retry schedule, and the patient has heard nothing.
    const waiting = await steps.view(session);
    expect(waiting).toMatchObject({ status: 'rejected', pending: 'Pending (API Unavailable)' });
    expect(steps.mailsTo(session.email).map((m) => m.subject)).not.toContain('Your refund has been issued');
    expect(steps.refundsFor(session)).toHaveLength(0);

    await steps.advance(5 * MINUTE);
    await steps.expectStatus(session, 'refunded');
    refundOnce(session, 19_900);
    const told = steps.mailsTo(session.email).find((m) => m.subject === 'Your refund has been issued');
    expect(told?.text).toMatch(/not suitable for you/);
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(detail.decision).toMatchObject({
      outcome: 'denied',
      note: 'Eating disorder history disclosed in notes',
    });
    // Stripe delivering the refund event again changes nothing and refunds nothing more.
    const refundEvent = harness.standIns.stripe
      .events()
      .find(
        (e) =>
          e.type === 'refund.created' &&
          (e.data.object as { metadata: Record<string, string> }).metadata.consultationId === session.id,
      );
    await harness.standIns.stripe.resendEvent(refundEvent!.id);
    await steps.settle();
    refundOnce(session, 19_900);
    expect((await eventTypes(session)).filter((t) => t === 'RefundConfirmed')).toHaveLength(1);
    // The refund process handed the same event again (a redelivery after a crash) refunds nothing more.
    const { stream } = (await steps.events(session)).find((e) => e.type === 'RefundRequested')!;
    const { platform } = harness.composition;
    const requested = (await platform.store.readStream(stream)).find((e) => e.type === 'RefundRequested')!;
    const outcome = await platform.processes.redeliver('consultation-refunds', requested);
    expect(outcome).toBe('handled');
    await steps.settle();
    refundOnce(session, 19_900);
  });
});

describe('Repeat submission detected → Flagged for Review', () => {
  it('shows the reviewer the earlier submission and what changed since', async () => {
    const email = `repeat.${Date.now()}@example.co.uk`;
    const first = await steps.start(WEIGHT_LOSS, { email });
    await steps.answer(first, WEIGHT_LOSS, { ...weightLossAnswers, weightKg: 80 });
    expect((await steps.submit(first)).status).toBe('auto_denied');
    await steps.settle();

    const second = await steps.paidConsultation(WEIGHT_LOSS, { kind: 'one_off' }, { email });
    await steps.expectStatus(second, 'in_clinical_review');
    const queue = (await steps.prescriber.get('/api/review/cases')).body.items;
    const item = queue.find((i: { consultationId: string }) => i.consultationId === second.id);
    expect(item.flags.repeatSubmission).toEqual({
      priorConsultationId: first.id,
      changes: [{ questionId: 'weightKg', questionText: expect.any(String), before: 80, after: 105 }],
    });
    const detail = (await steps.prescriber.get(`/api/review/cases/${second.id}`)).body;
    expect(detail.flags.repeatSubmission.changes).toHaveLength(1);
    expect(steps.mailsTo('prescribers@pharmacy.example.org').map((m) => m.subject)).toContain(
      'New consultation to review (prescriber) — REPEAT SUBMISSION',
    );
  });
});

describe('Consultation abandoned → Abandoned (Draft)', () => {
  it('reminds the patient after a day, flags the draft at 7 days and abandons it at 30', async () => {
    const session = await steps.start(SILDENAFIL);
    await steps.settle();
    await steps.advance(DAY);
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain(
      'Your consultation is waiting for you',
    );

    await steps.advance(6 * DAY);
    const drafts = (await steps.ops.get('/api/pharmacy/consultations?view=drafts')).body.items;
    expect(
      drafts.find((d: { consultationId: string }) => d.consultationId === session.id)?.flags
        .draftInactiveSince,
    ).toBeTruthy();
    const early = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/abandon`, {});
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('TOO_EARLY');
    expect(await steps.statusOf(session)).toBe('draft');

    await steps.advance(23 * DAY);
    await steps.expectStatus(session, 'abandoned');
    expect(steps.refundsFor(session)).toHaveLength(0);
  });
});

describe('Patient requests cancellation → Cancelled → Refunded', () => {
  it('messages the pharmacy team, who cancel and refund once', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    await steps.expectStatus(session, 'in_clinical_review');
    const asked = await steps.patient.post(
      `/api/consultations/${session.id}/cancellation`,
      { message: 'I no longer need this, please cancel.' },
      session.headers,
    );
    expect(asked.body.status).toBe('in_clinical_review');
    await steps.settle();
    expect(steps.mailsTo('pharmacy-team@pharmacy.example.org').map((m) => m.subject)).toContain(
      `Cancellation requested: consultation ${session.id}`,
    );
    const exceptions = (await steps.ops.get('/api/pharmacy/consultations?view=exceptions')).body.items;
    expect(
      exceptions.find((e: { consultationId: string }) => e.consultationId === session.id)?.flags
        .cancellationRequestedAt,
    ).toBeTruthy();

    const cancelled = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/cancel`, {
      reason: 'Patient asked by message',
    });
    expect(cancelled.body.status).toBe('cancelled');
    await steps.expectStatus(session, 'refunded');
    refundOnce(session, 1_999);
    const again = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/cancel`, {
      reason: 'again',
    });
    expect(again.status).toBe(409);
    refundOnce(session, 1_999);
  });
});

describe('Consultation timeout (30 days) → Abandoned → Refunded', () => {
  it('lets the team close and refund a paid case only once it has not moved for 30 days', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' }, { lastName: 'Failsworth' });
    await steps.expectStatus(session, 'id_document_requested');
    const early = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/timeout`, {});
    expect(early.body.code).toBe('TOO_EARLY');

    await steps.advance(30 * DAY);
    const stalled = (await steps.ops.get('/api/pharmacy/consultations?view=stalled')).body.items;
    expect(stalled.map((s: { consultationId: string }) => s.consultationId)).toContain(session.id);
    const closed = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/timeout`, {});
    expect(closed.body.status).toBe('abandoned');
    await steps.expectStatus(session, 'refunded');
    refundOnce(session, 2_495);
  });
});

describe('Delivery failed / returned → Delivery Failed → team action', () => {
  const delivered = async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.approve(session, HAIR_LOSS);
    await steps.dispatch(session);
    await steps.expectStatus(session, 'dispatched');
    return session;
  };

  it('a returned parcel is re-dispatched: packed again against stock and booked again', async () => {
    const session = await delivered();
    await steps.scan(session, 'returned');
    await steps.expectStatus(session, 'delivery_failed');
    expect(steps.mailsTo('pharmacy-team@pharmacy.example.org').map((m) => m.subject)).toContain(
      `Delivery returned: consultation ${session.id}`,
    );
    const stockBefore = (await steps.patient.get(`/api/catalogue/${HAIR_LOSS}`)).body.stock.onHand;
    const action = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/delivery-failure`, {
      action: 'redispatch',
      note: 'Address confirmed with the patient by phone',
    });
    expect(action.body.status).toBe('dispatch_pending');
    await steps.dispatch(session);
    await steps.expectStatus(session, 'dispatched');
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(detail.shipments).toHaveLength(2);
    expect((await steps.patient.get(`/api/catalogue/${HAIR_LOSS}`)).body.stock.onHand).toBe(stockBefore - 1);
    // Staff enter the delivery by hand when the webhook does not come.
    const manual = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/tracking`, {
      status: 'delivered',
    });
    expect(manual.body.status).toBe('delivered');
  });

  it('a failed delivery: the team contacts the patient', async () => {
    const session = await delivered();
    await steps.scan(session, 'delivery_failed');
    await steps.expectStatus(session, 'delivery_failed');
    const action = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/delivery-failure`, {
      action: 'contact_patient',
      note: 'Please collect it from your local delivery office.',
    });
    expect(action.body.status).toBe('delivery_failed');
    await steps.settle();
    expect(steps.mailsTo(session.email).find((m) => m.subject === 'About your delivery')?.text).toContain(
      'local delivery office',
    );
    expect(steps.refundsFor(session)).toHaveLength(0);
  });

  it('a failed delivery: the team refunds the month that never arrived, once', async () => {
    const session = await delivered();
    await steps.scan(session, 'delivery_failed');
    await steps.expectStatus(session, 'delivery_failed');
    await steps.ops.post(`/api/pharmacy/consultations/${session.id}/delivery-failure`, {
      action: 'refund',
      note: 'Parcel lost',
    });
    await steps.expectStatus(session, 'refunded');
    refundOnce(session, 2_495);
  });
});

describe('API unavailable (any) → Pending (API Unavailable)', () => {
  it('retries LexisNexis after 5 minutes; the consultation reads "Pending (API Unavailable)" meanwhile', async () => {
    harness.standIns.idu.failNextRequests(1);
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' });
    await steps.settle();
    const waiting = await steps.view(session);
    expect(waiting).toMatchObject({
      status: 'awaiting_id_verification',
      pending: 'Pending (API Unavailable)',
    });
    const listed = (await steps.ops.get('/api/pharmacy/consultations?view=exceptions')).body.items;
    expect(listed.find((i: { consultationId: string }) => i.consultationId === session.id)?.pending).toBe(
      'Pending (API Unavailable)',
    );

    await steps.advance(5 * MINUTE);
    const recovered = await steps.view(session);
    expect(recovered).toMatchObject({ status: 'in_clinical_review', pending: null });
  });

  it('flags Royal Mail for manual handling after 5 min → 30 min → 2 h, and the team retries it', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    await steps.approve(session, HAIR_LOSS);
    harness.standIns.royalMail.failNextRequests(4);
    await steps.dispatch(session);
    for (const wait of [5 * MINUTE, 30 * MINUTE, 120 * MINUTE]) await steps.advance(wait);
    const flagged = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(flagged).toMatchObject({ status: 'dispatch_pending', pending: 'Manual handling required' });
    expect(flagged.incidents[0]).toMatchObject({
      integration: 'royalmail',
      attempts: 4,
      state: 'manual_handling',
    });

    const retry = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/integration/retry`, {
      processManager: flagged.incidents[0].processManager,
      triggerEventId: flagged.incidents[0].triggerEventId,
    });
    expect(retry.status).toBe(202);
    await steps.expectStatus(session, 'dispatched');
    expect((await steps.view(session)).pending).toBeNull();
  });
});

describe('Instalment payment fails (month 2+) → Instalment Paused', () => {
  it('pauses dispatch, tells the pharmacy team and the patient; a retried charge resumes the plan', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 3 });
    await steps.settle();
    await steps.approve(session, SILDENAFIL);
    await steps.dispatch(session);
    await steps.scan(session, 'delivered');
    const { stripeCustomerId } = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    harness.standIns.stripe.declineNextOffSessionCharge(stripeCustomerId, 'insufficient_funds');

    await steps.advance(31 * DAY);
    await steps.expectStatus(session, 'instalment_paused');
    expect(steps.mailsTo('pharmacy-team@pharmacy.example.org').map((m) => m.subject)).toContain(
      `Instalment paused: consultation ${session.id}`,
    );
    expect(steps.mailsTo(session.email).map((m) => m.subject)).toContain(
      'We could not take this month’s payment',
    );
    const exceptions = (await steps.ops.get('/api/pharmacy/consultations?view=exceptions')).body.items;
    expect(exceptions.map((e: { consultationId: string }) => e.consultationId)).toContain(session.id);
    const shipped = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body.shipments.length;
    expect(shipped).toBe(1); // month 2 is not dispatched while paused

    const retry = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/instalments/retry`, {});
    expect(retry.status).toBe(200);
    await steps.expectStatus(session, 'dispatched');
    const detail = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    expect(detail.instalmentCharges).toMatchObject([
      { chargeNumber: 2, ok: false, failureCode: 'insufficient_funds' },
      { chargeNumber: 2, ok: true },
    ]);
    expect(detail.shipments).toHaveLength(2);
    expect(steps.refundsFor(session)).toHaveLength(0);
  });

  it('or the team cancels the remaining instalments and the plan ends with the last paid month', async () => {
    const session = await steps.paidConsultation(SILDENAFIL, { kind: 'instalment', months: 3 });
    await steps.settle();
    await steps.approve(session, SILDENAFIL);
    await steps.dispatch(session);
    await steps.scan(session, 'delivered');
    const { stripeCustomerId } = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body;
    harness.standIns.stripe.declineNextOffSessionCharge(stripeCustomerId);
    await steps.advance(31 * DAY);
    await steps.expectStatus(session, 'instalment_paused');
    const cancelled = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/instalments/cancel`, {
      reason: 'Patient cannot pay; stopping the plan',
    });
    expect(cancelled.body.status).toBe('plan_completed');
    await steps.advance(31 * DAY);
    const charges = (await steps.ops.get(`/api/pharmacy/consultations/${session.id}`)).body.charges;
    expect(charges).toHaveLength(1); // month 3 was never charged
  });
});

describe('the flow as a whole', () => {
  it('parked no event on the way through every exception', async () => {
    expect(await steps.parked()).toEqual([]);
  });
});
