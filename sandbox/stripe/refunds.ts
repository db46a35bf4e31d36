import { invalidRequest, resourceMissing } from './apiError.js';
import { getPaymentIntent } from './charges.js';
import { type Charge, type Metadata, type Refund, stripeId, unixSeconds } from './objects.js';
import type { StandInContext } from './state.js';

const formatMinor = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);

export type CreateRefundParams = {
  payment_intent?: string;
  charge?: string;
  amount?: number;
  reason?: Refund['reason'];
  metadata?: Metadata;
};

/**
 * `POST /v1/refunds`. A card refund succeeds at once unless a failure was queued, in which case
 * it is accepted as `pending` and fails a moment later, restoring the refundable amount.
 */
export const createRefund = (ctx: StandInContext, params: CreateRefundParams): Refund => {
  const charge = chargeToRefund(ctx, params);
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining === 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
    });
  }
  const amount = params.amount ?? remaining;
  if (amount < 1) throw invalidRequest('Refund amount must be at least 1.', { param: 'amount' });
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMinor(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMinor(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }
  const willFail = ctx.state.pendingRefundFailures > 0;
  if (willFail) ctx.state.pendingRefundFailures -= 1;
  const refund: Refund = {
    id: stripeId('re'),
    object: 'refund',
    amount,
    charge: charge.id,
    created: unixSeconds(ctx.clock.now()),
    currency: charge.currency,
    metadata: params.metadata ?? {},
    payment_intent: charge.payment_intent,
    reason: params.reason ?? null,
    status: willFail ? 'pending' : 'succeeded',
  };
  ctx.state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  ctx.emit('refund.created', refund);
  ctx.emit('charge.refunded', charge);
  if (willFail) setImmediate(() => failRefund(ctx, refund.id));
  return refund;
};

const chargeToRefund = (ctx: StandInContext, params: CreateRefundParams): Charge => {
  if (params.charge) {
    const charge = ctx.state.charges.get(params.charge);
    if (!charge) throw resourceMissing('charge', params.charge, 'charge');
    return charge;
  }
  if (!params.payment_intent) {
    throw invalidRequest(
      'One of the following params should be provided for this request: payment_intent or charge.',
    );
  }
  const paymentIntent = getPaymentIntent(ctx, params.payment_intent, 'payment_intent');
  const charge = paymentIntent.latest_charge ? ctx.state.charges.get(paymentIntent.latest_charge) : undefined;
  if (paymentIntent.status !== 'succeeded' || !charge) {
    throw invalidRequest(
      `This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`,
      {
        code: 'charge_not_refundable',
        param: 'payment_intent',
      },
    );
  }
  return charge;
};

const failRefund = (ctx: StandInContext, refundId: string) => {
  const refund = ctx.state.refunds.get(refundId);
  const charge = refund ? ctx.state.charges.get(refund.charge) : undefined;
  if (!refund || !charge || refund.status !== 'pending') return;
  refund.status = 'failed';
  refund.failure_reason = 'expired_or_canceled_card';
  charge.amount_refunded -= refund.amount;
  charge.refunded = false;
  ctx.emit('refund.failed', refund);
};
