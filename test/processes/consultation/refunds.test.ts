import { describe, expect, it } from 'vitest';
import { accountStream } from '../../../src/domain/consultation/account.js';
import {
  checkoutCheckProcess,
  checkoutClosingProcess,
  refundsProcess,
} from '../../../src/processes/consultation/refunds.js';
import { decided, journey, month } from '../../domain/consultation/fixtures.js';
import { CONSULTATION_ID, consultationWorld, NOW } from './harness.js';

const j = journey();
const deny = {
  type: 'DenyTreatment',
  clinicianId: 'dr-patel',
  role: 'prescriber',
  reason: 'Not clinically appropriate',
  now: '2026-03-03T12:00:00.000Z',
} as const;
const cancel = {
  type: 'CancelConsultation',
  staffId: 'ops-kim',
  reason: 'Patient changed their mind',
  now: '2026-03-02T09:40:00.000Z',
} as const;

describe('the refunds process manager', () => {
  it('given a paid case denied on review, when the refund request is handled, then the first payment is refunded at Stripe under a key from the request', async () => {
    const world = consultationWorld();
    await world.given([...j.inReview, ...decided(j.inReview, deny)]);
    const requested = await world.last('RefundRequested');
    const pm = refundsProcess(world.deps);

    await world.deliver(pm, requested);

    expect(world.calls).toEqual([
      {
        port: 'payments',
        method: 'refund',
        input: {
          idempotencyKey: world.contextFor(pm, requested).idempotencyKey('refund:pi_1'),
          paymentIntentId: 'pi_1',
          amountMinor: j.price.firstChargePence,
          reason: 'requested_by_customer',
          metadata: {
            flow: 'consultation',
            consultationId: CONSULTATION_ID,
            refundRequestId: requested.id,
            reason: 'clinical_denial',
          },
        },
      },
    ]);
  });
});

describe('the refunds process manager, asked again by ops', () => {
  it('given a refund of two payments of which one settled, when ops retry it, then only the unsettled payment is refunded, under a key of the retry', async () => {
    const world = consultationWorld();
    await world.given([
      ...j.delivered,
      ...month(2, '2026-04-03T10:05:00.000Z').charged,
      {
        type: 'RefundRequested',
        data: {
          reason: 'patient_cancellation',
          amountPence: j.price.firstChargePence + j.price.monthlyPence,
          paymentIntentIds: ['pi_1', 'pi_2'],
          requestedAt: NOW,
        },
      },
    ]);
    const requested = await world.last('RefundRequested');
    await world.givenAccount(
      {
        type: 'RefundSettled',
        data: {
          refundRequestId: requested.id,
          refundId: 're_1',
          paymentIntentId: 'pi_1',
          amountPence: j.price.firstChargePence,
          stripeEventId: 'evt_1',
        },
      },
      {
        type: 'RefundFailedAtStripe',
        data: {
          refundRequestId: requested.id,
          refundId: 're_2',
          reason: 'expired_or_canceled_card',
          stripeEventId: 'evt_2',
        },
      },
      {
        type: 'RefundRetryRequested',
        data: { refundRequestId: requested.id, attempt: 1, requestedBy: 'ops-kim' },
      },
    );
    const retry = await world.last('RefundRetryRequested', accountStream(CONSULTATION_ID));
    const pm = refundsProcess(world.deps);

    await world.deliver(pm, retry);

    expect(world.calls).toHaveLength(1);
    expect(world.calls[0]).toMatchObject({
      port: 'payments',
      method: 'refund',
      input: {
        idempotencyKey: world.contextFor(pm, retry).idempotencyKey('refund:pi_2'),
        paymentIntentId: 'pi_2',
        amountMinor: j.price.monthlyPence,
        metadata: { refundRequestId: requested.id },
      },
    });
  });
});

describe('the checkout closing process manager', () => {
  it('given a case cancelled while its checkout is still open, when the cancellation is handled, then the checkout is expired at Stripe', async () => {
    const world = consultationWorld();
    world.clock.set('2026-03-02T09:40:00.000Z');
    await world.given([...j.checkout, ...decided(j.checkout, cancel)]);
    await world.givenAccount({
      type: 'CheckoutLinkCreated',
      data: {
        checkoutSessionId: 'cs_1',
        url: 'https://checkout.stripe.example/cs_1',
        expiresAt: '2026-03-03T09:20:00.000Z',
        amountPence: j.price.firstChargePence,
      },
    });

    await world.deliver(checkoutClosingProcess(world.deps), await world.last('ConsultationCancelled'));

    expect(world.calls).toEqual([
      { port: 'payments', method: 'expireCheckout', input: { sessionId: 'cs_1' } },
    ]);
  });
});

describe('the checkout check process manager', () => {
  it('given a checkout link just created, when it is handled, then a read-back from Stripe is armed', async () => {
    const world = consultationWorld();
    const [created] = await world.givenAccount({
      type: 'CheckoutLinkCreated',
      data: {
        checkoutSessionId: 'cs_1',
        url: 'https://checkout.stripe.example/cs_1',
        expiresAt: '2026-03-06T09:00:00.000Z',
        amountPence: j.price.firstChargePence,
      },
    });

    await world.deliver(checkoutCheckProcess(world.deps), created!);

    expect(world.scheduled).toEqual([
      {
        name: 'check',
        key: 'cs_1',
        dueAt: new Date(Date.parse(NOW) + world.deps.paymentCheckMs),
        payload: { consultationId: CONSULTATION_ID, checkoutSessionId: 'cs_1', checks: 1 },
      },
    ]);
  });

  it('given a checkout still open at Stripe, when the check timer fires, then another check is armed', async () => {
    const world = consultationWorld({
      checkout: {
        status: 'open',
        paid: false,
        paymentIntentId: null,
        customerId: null,
        amountMinor: j.price.firstChargePence,
        currency: 'gbp',
        metadata: {},
      } as never,
    });
    const history = await world.given(j.checkout);
    const pm = checkoutCheckProcess(world.deps);

    await pm.timers!.check!(
      { consultationId: CONSULTATION_ID, checkoutSessionId: 'cs_1', checks: 1 },
      world.contextFor(pm, history.at(-1)!),
    );

    expect(world.calls).toEqual([{ port: 'payments', method: 'getCheckout', input: 'cs_1' }]);
    expect(world.scheduled).toEqual([
      {
        name: 'check',
        key: 'cs_1:2',
        dueAt: new Date(Date.parse(NOW) + world.deps.paymentCheckMs),
        payload: { consultationId: CONSULTATION_ID, checkoutSessionId: 'cs_1', checks: 2 },
      },
    ]);
  });
});
