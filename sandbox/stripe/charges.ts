import { invalidRequest, resourceMissing, StripeApiError } from './apiError.js';
import { attachPaymentMethod, getCustomer, resolvePaymentMethod } from './customers.js';
import {
  type Charge,
  type Metadata,
  type PaymentError,
  type PaymentIntent,
  type PaymentMethod,
  stripeId,
  unixSeconds,
} from './objects.js';
import type { StandInContext } from './state.js';

const DECLINE_MESSAGES: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  authentication_required: 'Your card was declined. This transaction requires authentication.',
};

export const newPaymentIntent = (
  ctx: StandInContext,
  params: {
    amount: number;
    currency: string;
    customer: string | null;
    description: string | null;
    metadata: Metadata;
    setupFutureUsage: PaymentIntent['setup_future_usage'];
  },
): PaymentIntent => {
  const id = stripeId('pi');
  const paymentIntent: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount: params.amount,
    amount_capturable: 0,
    amount_received: 0,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${stripeId('x').slice(2)}`,
    confirmation_method: 'automatic',
    created: unixSeconds(ctx.clock.now()),
    currency: params.currency,
    customer: params.customer,
    description: params.description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: params.metadata,
    payment_method: null,
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: params.setupFutureUsage,
    status: 'requires_payment_method',
  };
  ctx.state.paymentIntents.set(id, paymentIntent);
  ctx.emit('payment_intent.created', paymentIntent);
  return paymentIntent;
};

/**
 * Charges `paymentMethod` for the intent: a succeeded or failed charge, the intent moved on, and
 * the events Stripe sends. Returns the error on a decline (the intent stays open for a new card).
 */
export const confirmPaymentIntent = (
  ctx: StandInContext,
  paymentIntent: PaymentIntent,
  paymentMethod: PaymentMethod,
  declineCode: string | null,
): PaymentError | null => {
  const charge: Charge = {
    id: stripeId('ch'),
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: declineCode ? 0 : paymentIntent.amount,
    amount_refunded: 0,
    captured: !declineCode,
    created: unixSeconds(ctx.clock.now()),
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    failure_code: declineCode ? 'card_declined' : null,
    failure_message: declineCode ? (DECLINE_MESSAGES[declineCode] ?? 'Your card was declined.') : null,
    livemode: false,
    metadata: paymentIntent.metadata,
    paid: !declineCode,
    payment_intent: paymentIntent.id,
    payment_method: paymentMethod.id,
    payment_method_details: {
      type: 'card',
      card: {
        brand: paymentMethod.card.brand,
        last4: paymentMethod.card.last4,
        exp_month: paymentMethod.card.exp_month,
        exp_year: paymentMethod.card.exp_year,
      },
    },
    refunded: false,
    status: declineCode ? 'failed' : 'succeeded',
  };
  ctx.state.charges.set(charge.id, charge);
  paymentIntent.latest_charge = charge.id;
  paymentIntent.payment_method = paymentMethod.id;
  if (declineCode) {
    const error: PaymentError = {
      type: 'card_error',
      code: declineCode === 'authentication_required' ? 'authentication_required' : 'card_declined',
      decline_code: declineCode,
      message: charge.failure_message ?? 'Your card was declined.',
      charge: charge.id,
      payment_method: structuredClone(paymentMethod),
    };
    paymentIntent.status = 'requires_payment_method';
    paymentIntent.last_payment_error = error;
    ctx.emit('charge.failed', charge);
    ctx.emit('payment_intent.payment_failed', paymentIntent);
    return error;
  }
  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.last_payment_error = null;
  ctx.emit('charge.succeeded', charge);
  ctx.emit('payment_intent.succeeded', paymentIntent);
  return null;
};

/** Whether the issuer declines this charge: a queued decline for the customer wins over the card's own. */
const declineFor = (
  ctx: StandInContext,
  customerId: string | null,
  paymentMethodId: string,
): string | null => {
  const queued = customerId ? ctx.state.pendingDeclines.get(customerId) : undefined;
  const next = queued?.shift();
  if (next) return next;
  return ctx.state.decliningCards.get(paymentMethodId) ?? null;
};

export type CreatePaymentIntentParams = {
  amount: number;
  currency: string;
  customer?: string;
  payment_method?: string;
  confirm?: boolean;
  off_session?: boolean;
  description?: string;
  metadata?: Metadata;
  receipt_email?: string;
  setup_future_usage?: 'off_session' | 'on_session';
};

/** `POST /v1/payment_intents`; with `confirm` it charges at once, as monthly instalments do off-session. */
export const createPaymentIntent = (
  ctx: StandInContext,
  params: CreatePaymentIntentParams,
): PaymentIntent => {
  if (params.amount < 1) throw invalidRequest('Amount must be at least 1.', { param: 'amount' });
  if (params.off_session && !params.confirm) {
    throw invalidRequest('off_session may only be used when confirm=true.', { param: 'off_session' });
  }
  if (params.customer) getCustomer(ctx, params.customer, 'customer');
  const paymentMethod = params.payment_method
    ? resolvePaymentMethod(ctx, params.payment_method, 'payment_method')
    : undefined;
  if (
    paymentMethod &&
    params.customer &&
    paymentMethod.customer &&
    paymentMethod.customer !== params.customer
  ) {
    throw invalidRequest('The provided PaymentMethod belongs to a different Customer.', {
      code: 'payment_method_unexpected_state',
      param: 'payment_method',
    });
  }
  if (params.confirm && !paymentMethod) {
    throw invalidRequest('You cannot confirm this PaymentIntent because it has no payment method.', {
      code: 'payment_intent_unexpected_state',
      param: 'payment_method',
    });
  }
  const paymentIntent = newPaymentIntent(ctx, {
    amount: params.amount,
    currency: params.currency,
    customer: params.customer ?? null,
    description: params.description ?? null,
    metadata: params.metadata ?? {},
    setupFutureUsage: params.setup_future_usage ?? null,
  });
  paymentIntent.receipt_email = params.receipt_email ?? null;
  if (!paymentMethod) return paymentIntent;
  paymentIntent.payment_method = paymentMethod.id;
  if (!params.confirm) {
    paymentIntent.status = 'requires_confirmation';
    return paymentIntent;
  }
  const error = confirmPaymentIntent(
    ctx,
    paymentIntent,
    paymentMethod,
    declineFor(ctx, params.customer ?? null, paymentMethod.id),
  );
  if (error) {
    const { payment_method, ...rest } = error;
    throw new StripeApiError(402, {
      ...rest,
      payment_intent: structuredClone(paymentIntent),
      payment_method,
    });
  }
  if (params.setup_future_usage && params.customer) attachPaymentMethod(ctx, paymentMethod, params.customer);
  return paymentIntent;
};

export const getPaymentIntent = (ctx: StandInContext, id: string, param?: string): PaymentIntent => {
  const paymentIntent = ctx.state.paymentIntents.get(id);
  if (!paymentIntent) throw resourceMissing('payment_intent', id, param);
  return paymentIntent;
};
