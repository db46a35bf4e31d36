import { invalidRequest, resourceMissing } from './apiError.js';
import { confirmPaymentIntent, getPaymentIntent, newPaymentIntent } from './charges.js';
import { attachPaymentMethod, createCustomer, getCustomer, mintPaymentMethod } from './customers.js';
import { type CheckoutSession, type Metadata, type SetupIntent, stripeId, unixSeconds } from './objects.js';
import type { StandInContext } from './state.js';
import { DEFAULT_TEST_CARD, type TestCard } from './testCards.js';

const MINUTE = 60;

export type CreateCheckoutSessionParams = {
  mode: 'payment' | 'setup';
  success_url: string;
  cancel_url?: string;
  currency?: string;
  line_items?: {
    quantity: number;
    price_data: { currency: string; unit_amount: number; product_data: { name: string } };
  }[];
  customer?: string;
  customer_email?: string;
  customer_creation?: 'always' | 'if_required';
  client_reference_id?: string;
  metadata?: Metadata;
  expires_at?: number;
  payment_intent_data?: {
    description?: string;
    metadata?: Metadata;
    setup_future_usage?: 'off_session' | 'on_session';
  };
};

/** The rules Stripe applies to a new session, in the order it reports them. */
const checkSessionParams = (ctx: StandInContext, params: CreateCheckoutSessionParams, now: number) => {
  if (params.customer && params.customer_email) {
    throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', {
      param: 'customer_email',
    });
  }
  if (params.customer) getCustomer(ctx, params.customer, 'customer');
  if (params.mode === 'payment' && !params.line_items?.length) {
    throw invalidRequest('You must provide at least one line item in `payment` mode.', {
      code: 'parameter_missing',
      param: 'line_items',
    });
  }
  if (params.mode === 'setup' && params.line_items?.length) {
    throw invalidRequest('You cannot pass `line_items` in `setup` mode.', { param: 'line_items' });
  }
  if (params.mode === 'setup' && params.payment_intent_data) {
    throw invalidRequest('You cannot pass `payment_intent_data` in `setup` mode.', {
      param: 'payment_intent_data',
    });
  }
  const currencies = new Set(params.line_items?.map((item) => item.price_data.currency));
  if (currencies.size > 1) {
    throw invalidRequest('All line items must use the same currency.', { param: 'line_items' });
  }
  for (const [index, item] of (params.line_items ?? []).entries()) {
    if (item.quantity < 1 || item.price_data.unit_amount < 0) {
      throw invalidRequest('Line item quantity must be positive and unit_amount not negative.', {
        param: `line_items[${index}]`,
      });
    }
  }
  if (
    params.expires_at !== undefined &&
    (params.expires_at < now + 30 * MINUTE || params.expires_at > now + 24 * 60 * MINUTE)
  ) {
    throw invalidRequest(
      'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      {
        param: 'expires_at',
      },
    );
  }
};

export const createCheckoutSession = (
  ctx: StandInContext,
  params: CreateCheckoutSessionParams,
): CheckoutSession => {
  const now = unixSeconds(ctx.clock.now());
  checkSessionParams(ctx, params, now);
  const lineItems = (params.line_items ?? []).map((item) => ({
    name: item.price_data.product_data.name,
    unitAmount: item.price_data.unit_amount,
    quantity: item.quantity,
  }));
  const total =
    params.mode === 'payment'
      ? lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0)
      : null;
  const id = stripeId('cs_test');
  const session: CheckoutSession = {
    id,
    object: 'checkout.session',
    amount_subtotal: total,
    amount_total: total,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    created: now,
    currency: params.line_items?.[0]?.price_data.currency ?? params.currency ?? null,
    customer: params.customer ?? null,
    customer_creation:
      params.mode === 'payment' && !params.customer ? (params.customer_creation ?? 'if_required') : null,
    customer_details: null,
    customer_email: params.customer_email ?? null,
    expires_at: params.expires_at ?? now + 24 * 60 * MINUTE,
    livemode: false,
    metadata: params.metadata ?? {},
    mode: params.mode,
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: params.mode === 'setup' ? 'no_payment_required' : 'unpaid',
    setup_intent: null,
    status: 'open',
    success_url: params.success_url,
    ui_mode: 'hosted',
    url: `${ctx.publicBaseUrl()}/checkout/${id}`,
  };
  ctx.state.checkoutSessions.set(id, session);
  ctx.state.checkoutDetails.set(id, {
    lineItems,
    paymentIntentData: {
      description: params.payment_intent_data?.description ?? lineItems[0]?.name ?? null,
      metadata: params.payment_intent_data?.metadata ?? {},
      setupFutureUsage: params.payment_intent_data?.setup_future_usage ?? null,
    },
  });
  return session;
};

/** A session, expired first if its time has passed: Stripe expires sessions on its own. */
export const getCheckoutSession = (ctx: StandInContext, id: string): CheckoutSession => {
  const session = ctx.state.checkoutSessions.get(id);
  if (!session) throw resourceMissing('checkout.session', id);
  if (session.status === 'open' && unixSeconds(ctx.clock.now()) >= session.expires_at)
    markExpired(ctx, session);
  return session;
};

const markExpired = (ctx: StandInContext, session: CheckoutSession) => {
  session.status = 'expired';
  session.url = null;
  ctx.emit('checkout.session.expired', session);
};

export const expireCheckoutSession = (ctx: StandInContext, id: string): CheckoutSession => {
  const session = getCheckoutSession(ctx, id);
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status of \`open\` can be expired. This one is \`${session.status}\`.`,
    );
  }
  markExpired(ctx, session);
  return session;
};

/** Expires every open session whose `expires_at` has passed on the stand-in's clock. */
export const sweepExpiredSessions = (ctx: StandInContext): void => {
  for (const id of ctx.state.checkoutSessions.keys()) getCheckoutSession(ctx, id);
};

export type PayOutcome = { kind: 'paid'; session: CheckoutSession } | { kind: 'declined'; message: string };

/**
 * What the patient's "Pay" does on the hosted page. A decline leaves the session open so the
 * patient can try another card, as Stripe Checkout does; only the PaymentIntent records it.
 */
export const payCheckoutSession = (
  ctx: StandInContext,
  id: string,
  attempt: { card?: TestCard; email?: string | null } = {},
): PayOutcome => {
  const session = getCheckoutSession(ctx, id);
  if (session.status !== 'open') {
    throw invalidRequest(`This Checkout Session is no longer open: it is \`${session.status}\`.`);
  }
  const details = ctx.state.checkoutDetails.get(id)!;
  const card = attempt.card ?? DEFAULT_TEST_CARD;
  const email =
    attempt.email ||
    session.customer_email ||
    (session.customer ? getCustomer(ctx, session.customer).email : null);
  // The card keeps its issuer's behaviour: a card saved here may still decline later charges.
  const paymentMethod = mintPaymentMethod(ctx, card.card, { email, declineCode: card.declineCode });
  const saving = session.mode === 'setup' || details.paymentIntentData.setupFutureUsage !== null;

  const paymentIntent =
    session.mode !== 'payment'
      ? undefined
      : session.payment_intent
        ? getPaymentIntent(ctx, session.payment_intent)
        : newPaymentIntent(ctx, {
            amount: session.amount_total ?? 0,
            currency: session.currency ?? 'usd',
            customer: session.customer,
            description: details.paymentIntentData.description,
            metadata: details.paymentIntentData.metadata,
            setupFutureUsage: details.paymentIntentData.setupFutureUsage,
          });
  if (paymentIntent) session.payment_intent = paymentIntent.id;
  if (paymentIntent && card.declinesAtCheckout) {
    const error = confirmPaymentIntent(ctx, paymentIntent, paymentMethod, card.declineCode);
    return { kind: 'declined', message: error?.message ?? 'Your card was declined.' };
  }

  // Stripe creates a Customer when the card is kept for later or when asked to, and only once the
  // card is accepted; it is on the intent before `payment_intent.succeeded` goes out.
  if (!session.customer && (saving || session.customer_creation === 'always')) {
    session.customer = createCustomer(ctx, email ? { email } : {}).id;
  }
  if (session.customer && saving) attachPaymentMethod(ctx, paymentMethod, session.customer);
  if (paymentIntent) {
    paymentIntent.customer = session.customer;
    confirmPaymentIntent(ctx, paymentIntent, paymentMethod, null);
  }
  if (session.mode === 'setup')
    session.setup_intent = recordSetupIntent(ctx, session.customer, paymentMethod.id).id;

  session.status = 'complete';
  session.payment_status = session.mode === 'payment' ? 'paid' : 'no_payment_required';
  session.url = null;
  session.customer_details = { email, name: null, phone: null, address: null };
  ctx.emit('checkout.session.completed', session);
  return { kind: 'paid', session };
};

const recordSetupIntent = (
  ctx: StandInContext,
  customer: string | null,
  paymentMethod: string,
): SetupIntent => {
  const setupIntent: SetupIntent = {
    id: stripeId('seti'),
    object: 'setup_intent',
    created: unixSeconds(ctx.clock.now()),
    customer,
    livemode: false,
    metadata: {},
    payment_method: paymentMethod,
    status: 'succeeded',
    usage: 'off_session',
  };
  ctx.state.setupIntents.set(setupIntent.id, setupIntent);
  ctx.emit('setup_intent.succeeded', setupIntent);
  return setupIntent;
};
