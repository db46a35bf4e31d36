import { type Reactor, reactor } from '../reactor.js';
import { commandFrom, orderIdOf, type PrescriptionProcessDeps } from './deps.js';

/** Stripe idempotency key of one refund: the same refund id never moves money twice. */
export const refundKey = (refundId: string) => `order-refund:${refundId}`;

/**
 * Gives money back. Each `RefundRequested` is one Stripe refund under a key from its refund id, so
 * a redelivery, a retry after an outage or a crash after Stripe answered never refunds twice.
 * Stripe's webhook confirms the refund; a refund Stripe reports as already succeeded is recorded
 * at once, so a webhook lost while the platform was down leaves nothing open.
 */
export const refundsProcess = (deps: PrescriptionProcessDeps): Reactor =>
  reactor({
    name: 'prescription-refunds',
    categories: ['order'],
    handles: ['RefundRequested'],
    async handle(recorded, context) {
      const event = recorded;
      if (event.type !== 'RefundRequested') return;
      const orderId = orderIdOf(recorded);
      const { refundId, paymentIntentId, amountMinor } = event.data;
      const state = await deps.commands.load(orderId);
      if (state.refunds.find((r) => r.refundId === refundId)?.status !== 'requested') return;
      const refund = await deps.payments.refund({
        idempotencyKey: refundKey(refundId),
        paymentIntentId,
        amountMinor,
        reason: event.data.kind === 'duplicate_payment' ? 'duplicate' : 'requested_by_customer',
        metadata: { flow: 'prescription', orderId, refundId },
      });
      if (refund.status === 'succeeded') {
        await commandFrom(
          deps,
          recorded,
          context,
          'system:refunds',
          {
            type: 'RecordRefundSettled',
            refundId,
            stripeRefundId: refund.refundId,
            amountMinor: refund.amountMinor,
            stripeEventId: `refund-created:${refund.refundId}`,
          },
          `RecordRefundSettled:${refundId}`,
        );
      }
    },
  });
