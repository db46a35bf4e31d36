import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import { refundsProcess } from '../../../src/processes/prescription/refunds.js';
import {
  eventsAfter,
  givenOrder,
  ORDER_ID,
  orderHistory,
  prescriptionDeps,
  processContext,
} from './support.js';

const refundRequested: OrderEvent = {
  type: 'RefundRequested',
  data: {
    refundId: 'RF-1',
    paymentIntentId: 'pi_1',
    amountMinor: 2_500,
    currency: 'usd',
    kind: 'duplicate_payment',
    reason: 'paid twice',
  },
};

describe('refunds', () => {
  it('given a refund requested, when handled, then Stripe refunds it under a key from the refund id and a settled refund is recorded', async () => {
    const { deps, calls } = prescriptionDeps();
    const history = [...orderHistory.paid, refundRequested];
    const event = await givenOrder(deps, history);
    const pm = refundsProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(calls.refunds).toEqual([
      {
        idempotencyKey: 'order-refund:RF-1',
        paymentIntentId: 'pi_1',
        amountMinor: 2_500,
        reason: 'duplicate',
        metadata: { flow: 'prescription', orderId: ORDER_ID, refundId: 'RF-1' },
      },
    ]);
    expect(await eventsAfter(deps, history.length)).toEqual([
      {
        type: 'RefundSettled',
        data: {
          refundId: 'RF-1',
          stripeRefundId: 're_1',
          amountMinor: 2_500,
          stripeEventId: 'refund-created:re_1',
        },
      },
    ]);
  });

  it('given Stripe answers the refund is pending, when handled, then the webhook is left to settle it', async () => {
    const { deps, calls, answers } = prescriptionDeps();
    answers.refund = async () => ({ refundId: 're_1', status: 'pending', amountMinor: 2_500 });
    const history = [...orderHistory.paid, refundRequested];
    const event = await givenOrder(deps, history);
    const pm = refundsProcess(deps);

    await pm.handle(event, processContext(pm.name, event, deps.clock).context);

    expect(calls.refunds).toHaveLength(1);
    expect(await eventsAfter(deps, history.length)).toEqual([]);
  });
});
