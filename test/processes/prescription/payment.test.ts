import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { HOUR } from '../../../src/platform/clock.js';
import { PAYMENT_LINK_HOURS, paymentProcess } from '../../../src/processes/prescription/payment.js';
import { adjudicated, adjudication } from '../../domain/prescription/orderHistory.js';
import {
  eventsAfter,
  givenOrder,
  NOW,
  ORDER_ID,
  orderHistory,
  prescriptionDeps,
  processContext,
} from './support.js';

describe('payment', () => {
  it('given a claim adjudicated with a copay, when handled, then a checkout opens for the copay, its link is recorded and a check is scheduled', async () => {
    const { deps, calls } = prescriptionDeps();
    const history = [...orderHistory.selected, adjudicated];
    const event = await givenOrder(deps, history);
    const pm = paymentProcess(deps);
    const { context, scheduled } = processContext(pm.name, event, deps.clock);

    await pm.handle(event, context);

    expect(calls.checkouts).toHaveLength(1);
    expect(calls.checkouts[0]).toMatchObject({
      idempotencyKey: context.idempotencyKey('checkout'),
      orderRef: ORDER_ID,
      amountMinor: 2_500,
      currency: 'usd',
      customerEmail: 'a@example.org',
      expiresAt: new Date(NOW.getTime() + PAYMENT_LINK_HOURS * HOUR),
      metadata: { flow: 'prescription', orderId: ORDER_ID },
    });
    expect(await eventsAfter(deps, history.length)).toEqual([
      {
        type: 'PaymentLinkCreated',
        data: {
          sessionId: 'cs_test_1',
          url: 'https://checkout.example/cs_test_1',
          expiresAt: new Date(NOW.getTime() + PAYMENT_LINK_HOURS * HOUR).toISOString(),
          amountMinor: 2_500,
          currency: 'usd',
        },
      },
    ]);
    expect(scheduled).toEqual([
      {
        name: 'check',
        key: 'cs_test_1',
        dueAt: new Date(NOW.getTime() + deps.paymentCheckMs),
        payload: { orderId: ORDER_ID, sessionId: 'cs_test_1', checks: 1 },
      },
    ]);
  });

  it('given a claim adjudicated with nothing for the patient to pay, when handled, then the payment is waived without a checkout', async () => {
    const { deps, calls } = prescriptionDeps();
    const history: OrderEvent[] = [
      ...orderHistory.selected,
      { type: 'ClaimAdjudicated', data: adjudication(0) },
    ];
    const event = await givenOrder(deps, history);
    const pm = paymentProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(calls.checkouts).toEqual([]);
    expect((await eventsAfter(deps, history.length)).map((e) => e.type)).toEqual(['PaymentWaived']);
  });

  it('given an order cancelled while its payment link was open, when handled, then the checkout is expired at Stripe and the closing recorded', async () => {
    const { deps, calls } = prescriptionDeps();
    const history: OrderEvent[] = [
      ...orderHistory.awaitingPayment,
      { type: 'OrderCancelled', data: { reason: 'prescriber withdrew it', fromStatus: 'awaiting_payment' } },
    ];
    const event = await givenOrder(deps, history);
    const pm = paymentProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(calls.expired).toEqual(['cs_1']);
    expect(await eventsAfter(deps, history.length)).toEqual([
      { type: 'PaymentLinkClosed', data: { sessionId: 'cs_1', outcome: 'expired' } },
    ]);
  });

  it('given an open checkout whose webhook never came, when the check finds it paid, then the payment is recorded', async () => {
    const { deps, answers } = prescriptionDeps();
    answers.getCheckout = async (sessionId) => ({
      sessionId,
      status: 'complete',
      paid: true,
      paymentIntentId: 'pi_late',
      customerId: null,
      amountMinor: 2_500,
      currency: 'usd',
      metadata: {},
    });
    await givenOrder(deps, orderHistory.awaitingPayment);
    const pm = paymentProcess(deps);
    const { context, scheduled } = processContext(pm.name, { id: 'check:cs_1' }, deps.clock);

    await pm.timers!.check!({ orderId: ORDER_ID, sessionId: 'cs_1', checks: 1 }, context);

    expect(await eventsAfter(deps, orderHistory.awaitingPayment.length)).toEqual([
      {
        type: 'PaymentReceived',
        data: {
          sessionId: 'cs_1',
          paymentIntentId: 'pi_late',
          stripeEventId: 'checkout-check:cs_1',
          amountMinor: 2_500,
          currency: 'usd',
        },
      },
    ]);
    expect(scheduled).toEqual([]);
  });

  it('given an open checkout still unpaid, when checked, then the next check is scheduled', async () => {
    const { deps } = prescriptionDeps();
    await givenOrder(deps, orderHistory.awaitingPayment);
    const pm = paymentProcess(deps);
    const { context, scheduled } = processContext(pm.name, { id: 'check:cs_1' }, deps.clock);

    await pm.timers!.check!({ orderId: ORDER_ID, sessionId: 'cs_1', checks: 1 }, context);

    expect(await eventsAfter(deps, orderHistory.awaitingPayment.length)).toEqual([]);
    expect(scheduled).toEqual([
      {
        name: 'check',
        key: 'cs_1:2',
        dueAt: new Date(NOW.getTime() + deps.paymentCheckMs),
        payload: { orderId: ORDER_ID, sessionId: 'cs_1', checks: 2 },
      },
    ]);
  });
});
