import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileMoney } from '../../sandbox/demo/reconcile.js';
import { manualClock } from '../../src/platform/clock.js';
import {
  type ConsultationSteps,
  consultationSteps,
  HAIR_LOSS,
  hairLossAnswers,
} from '../support/consultationSteps.js';
import { type Harness, startHarness } from '../support/platformHarness.js';

// Ways out of the UK states that had none: an unpaid case ops could not close, a payment that
// landed after the case was closed, a refund Stripe failed that nobody could ask for again.

const clock = manualClock(new Date());
let harness: Harness;
let steps: ConsultationSteps;
beforeAll(async () => {
  harness = await startHarness({ clock });
  steps = await consultationSteps(harness, clock);
});
afterAll(() => harness?.close());

describe('starting', () => {
  it('reaches the same consultation when a start is repeated with its Idempotency-Key, and refuses the key for another patient', async () => {
    const body = (email: string) => ({
      productId: HAIR_LOSS,
      patient: {
        firstName: 'Amelia',
        lastName: 'Hart',
        email,
        address: { line1: '7 Orchard Row', town: 'Bath', postcode: 'BA1 2LX' },
      },
      consentToInformGp: true,
    });
    const key = { 'idempotency-key': 'start-request-0001' };
    const first = await steps.patient.post('/api/consultations', body('amelia.key@example.co.uk'), key);
    const again = await steps.patient.post('/api/consultations', body('amelia.key@example.co.uk'), key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ consultationId: first.body.consultationId, token: first.body.token });
    const other = await steps.patient.post('/api/consultations', body('someone.else@example.co.uk'), key);
    expect(other.status).toBe(409);
    const bad = await steps.patient.post('/api/consultations', body('a@example.co.uk'), {
      'idempotency-key': 'x',
    });
    expect(bad.status).toBe(400);
  });
});

describe('awaiting payment', () => {
  it('ops cancel an unpaid case: no refund, the open checkout is closed, a payment that still lands is refunded', async () => {
    const session = await steps.start(HAIR_LOSS);
    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    await steps.submit(session);
    const { checkoutSessionId } = await steps.checkout(session, { kind: 'one_off' });
    // The patient pays while Stripe's webhook is held back, then ops close the case.
    harness.standIns.stripe.setWebhookUrl(undefined);
    await harness.standIns.stripe.payCheckoutSession(checkoutSessionId);
    harness.standIns.stripe.setWebhookUrl(`${harness.url}/webhook/stripe`);

    const cancelled = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/cancel`, {
      reason: 'patient asked us to close it',
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await steps.settle();
    await steps.expectStatus(session, 'cancelled');

    const completed = harness.standIns.stripe
      .events()
      .find(
        (e) =>
          e.type === 'checkout.session.completed' &&
          (e.data.object as { id: string }).id === checkoutSessionId,
      )!;
    await harness.standIns.stripe.resendEvent(completed.id);
    await harness.standIns.stripe.webhooksIdle();
    await steps.settle();
    expect(steps.refundsFor(session)).toHaveLength(1);
    const money = (await reconcileMoney(harness.db.pool, harness.standIns.stripe)).find(
      (r) => r.id === session.id,
    )!;
    expect(money).toMatchObject({
      chargedMinor: 2_495,
      refundedMinor: 2_495,
      keptMinor: 0,
      reconciled: true,
    });
  });

  it('ops cancel an unpaid case whose checkout is still open: Stripe closes it', async () => {
    const session = await steps.start(HAIR_LOSS);
    await steps.answer(session, HAIR_LOSS, hairLossAnswers);
    await steps.submit(session);
    const { checkoutSessionId } = await steps.checkout(session, { kind: 'one_off' });
    await steps.ops.post(`/api/pharmacy/consultations/${session.id}/cancel`, { reason: 'duplicate case' });
    await steps.settle();
    expect(harness.standIns.stripe.state.checkoutSessions.get(checkoutSessionId)?.status).toBe('expired');
  });
});

describe('a refund Stripe failed', () => {
  it('is asked for again by ops, and the case then ends refunded', async () => {
    const session = await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' });
    await steps.settle();
    harness.standIns.stripe.failNextRefund();
    const cancelled = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/cancel`, {
      reason: 'patient changed their mind',
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    await steps.settle();
    await harness.standIns.stripe.webhooksIdle();
    await steps.settle();
    await steps.expectStatus(session, 'cancelled');

    const retried = await steps.ops.post(`/api/pharmacy/consultations/${session.id}/refunds/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await steps.settle();
    await harness.standIns.stripe.webhooksIdle();
    await steps.settle();
    await steps.expectStatus(session, 'refunded');
    const refunds = steps.refundsFor(session);
    expect(refunds.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
  });
});
