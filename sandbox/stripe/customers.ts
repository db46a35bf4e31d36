import { invalidRequest, resourceMissing } from './apiError.js';
import {
  type Card,
  type Customer,
  type Metadata,
  type PaymentMethod,
  stripeId,
  unixSeconds,
} from './objects.js';
import type { StandInContext } from './state.js';
import { testCardByPaymentMethod } from './testCards.js';

export const createCustomer = (
  ctx: StandInContext,
  params: { email?: string; name?: string; description?: string; phone?: string; metadata?: Metadata },
): Customer => {
  const customer: Customer = {
    id: stripeId('cus'),
    object: 'customer',
    created: unixSeconds(ctx.clock.now()),
    description: params.description ?? null,
    email: params.email ?? null,
    invoice_settings: { default_payment_method: null },
    livemode: false,
    metadata: params.metadata ?? {},
    name: params.name ?? null,
    phone: params.phone ?? null,
  };
  ctx.state.customers.set(customer.id, customer);
  ctx.emit('customer.created', customer);
  return customer;
};

export const getCustomer = (ctx: StandInContext, id: string, param?: string): Customer => {
  const customer = ctx.state.customers.get(id);
  if (!customer) throw resourceMissing('customer', id, param);
  return customer;
};

/** A new card payment method; `declineCode` marks a card whose charges the issuer will refuse. */
export const mintPaymentMethod = (
  ctx: StandInContext,
  card: Card,
  options: { email?: string | null; declineCode?: string | null } = {},
): PaymentMethod => {
  const paymentMethod: PaymentMethod = {
    id: stripeId('pm'),
    object: 'payment_method',
    billing_details: { email: options.email ?? null, name: null, phone: null, address: null },
    card: { ...card },
    created: unixSeconds(ctx.clock.now()),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  ctx.state.paymentMethods.set(paymentMethod.id, paymentMethod);
  if (options.declineCode) ctx.state.decliningCards.set(paymentMethod.id, options.declineCode);
  return paymentMethod;
};

/** A stored payment method, or a fresh one for Stripe's test ids such as `pm_card_visa`. */
export const resolvePaymentMethod = (ctx: StandInContext, id: string, param: string): PaymentMethod => {
  const stored = ctx.state.paymentMethods.get(id);
  if (stored) return stored;
  const test = testCardByPaymentMethod(id);
  if (test) return mintPaymentMethod(ctx, test.card, { declineCode: test.declineCode });
  throw resourceMissing('PaymentMethod', id, param);
};

export const attachPaymentMethod = (
  ctx: StandInContext,
  paymentMethod: PaymentMethod,
  customerId: string,
): PaymentMethod => {
  getCustomer(ctx, customerId, 'customer');
  if (paymentMethod.customer === customerId) return paymentMethod;
  if (paymentMethod.customer !== null) {
    throw invalidRequest('The payment method you provided has already been attached to a customer.', {
      code: 'payment_method_unexpected_state',
    });
  }
  paymentMethod.customer = customerId;
  ctx.emit('payment_method.attached', paymentMethod);
  return paymentMethod;
};

/** A customer's saved cards, newest first, as `GET /v1/payment_methods` lists them. */
export const cardsOf = (ctx: StandInContext, customerId: string): PaymentMethod[] =>
  [...ctx.state.paymentMethods.values()].filter((method) => method.customer === customerId).reverse();
