import Stripe from 'stripe';
import type { Clock } from '../../platform/clock.js';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import {
  type ChargeOutcome,
  InvalidWebhookSignatureError,
  type PaymentGateway,
  type RefundStatus,
  type SavedCard,
  UnreadableWebhookError,
} from './port.js';
import { toPaymentWebhookEvent } from './stripeEvents.js';

export type StripeGatewayConfig = {
  secretKey: string;
  webhookSecret: string;
  /** e.g. `http://127.0.0.1:12111` for the local stand-in; absent: Stripe itself. */
  apiBase?: string;
  timeoutMs?: number;
  /** The clock webhook timestamps are checked against; absent: the wall clock. */
  clock?: Clock;
};

const VENDOR = 'stripe';

const REFUND_STATUSES: readonly RefundStatus[] = [
  'pending',
  'requires_action',
  'succeeded',
  'failed',
  'canceled',
];

/** Stripe's SDK takes host, port and protocol apart. */
const endpointOptions = (apiBase: string | undefined) => {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? ('http' as const) : ('https' as const);
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
};

/**
 * Sorts an SDK failure into the platform's two kinds: Stripe unreachable, slow, overloaded or
 * failing (retry later) against Stripe refusing the request (final). 409 is a conflict with a
 * request still in flight under the same idempotency key, so it is retried too.
 */
export const toVendorError = (operation: string, error: unknown): unknown => {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const message = `Stripe ${operation}: ${error.message}`;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeAPIError ||
    (error.statusCode ?? 0) >= 500 ||
    error.statusCode === 409
  ) {
    return new VendorUnavailableError(VENDOR, message, error);
  }
  return new VendorRejectedError(VENDOR, error.code ?? error.rawType ?? 'stripe_error', message, {
    statusCode: error.statusCode,
    param: error.param,
    requestId: error.requestId,
  });
};

/** The live payment adapter: Stripe's official SDK behind the platform's `PaymentGateway` port. */
export const createStripeGateway = (config: StripeGatewayConfig): PaymentGateway => {
  const stripe = new Stripe(config.secretKey, {
    // The platform's retry schedule owns retries; the SDK retrying too would hide outages.
    maxNetworkRetries: 0,
    timeout: config.timeoutMs ?? 10_000,
    telemetry: false,
    appInfo: { name: 'pharmacy-order-platform' },
    ...endpointOptions(config.apiBase),
  });

  const call = async <T>(operation: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toVendorError(operation, error);
    }
  };

  const listSavedCards = async (customerId: string): Promise<SavedCard[]> => {
    const methods = await call('list saved cards', () =>
      stripe.paymentMethods.list({ customer: customerId, type: 'card', limit: 10 }),
    );
    return methods.data.flatMap((method) =>
      method.card
        ? [
            {
              paymentMethodId: method.id,
              brand: method.card.brand,
              last4: method.card.last4,
              expMonth: method.card.exp_month,
              expYear: method.card.exp_year,
            },
          ]
        : [],
    );
  };

  return {
    async createCheckout(input) {
      const metadata = { ...input.metadata, orderRef: input.orderRef };
      const session = await call('create checkout', () =>
        stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency,
                  unit_amount: input.amountMinor,
                  product_data: { name: input.description },
                },
              },
            ],
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            client_reference_id: input.orderRef,
            metadata,
            // The intent gets the same metadata so payment events route back to the order too.
            payment_intent_data: {
              metadata,
              ...(input.saveCardForFutureCharges ? { setup_future_usage: 'off_session' as const } : {}),
            },
            // Stripe takes one or the other: an existing customer already has an email.
            ...(input.customerId
              ? { customer: input.customerId }
              : input.customerEmail
                ? { customer_email: input.customerEmail }
                : {}),
            ...(input.saveCardForFutureCharges && !input.customerId
              ? { customer_creation: 'always' as const }
              : {}),
            ...(input.expiresAt ? { expires_at: Math.floor(input.expiresAt.getTime() / 1000) } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url)
        throw new VendorRejectedError(VENDOR, 'missing_url', `Stripe gave checkout ${session.id} no URL`);
      return {
        sessionId: session.id,
        url: session.url,
        expiresAt: new Date(session.expires_at * 1000).toISOString(),
      };
    },

    async expireCheckout({ sessionId }) {
      try {
        await stripe.checkout.sessions.expire(sessionId);
        return { status: 'expired' };
      } catch (error) {
        // Already closed: say how, so a repeated cancel is harmless and a payment that won the race is seen.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError) || error.statusCode !== 400) {
          throw toVendorError('expire checkout', error);
        }
        const session = await call('read checkout', () => stripe.checkout.sessions.retrieve(sessionId));
        if (session.status === 'expired') return { status: 'expired' };
        if (session.status === 'complete') return { status: 'complete' };
        throw toVendorError('expire checkout', error);
      }
    },

    async getCheckout(sessionId) {
      const session = await call('read checkout', () => stripe.checkout.sessions.retrieve(sessionId));
      const idOf = (value: string | { id: string } | null | undefined) =>
        typeof value === 'string' ? value : (value?.id ?? null);
      return {
        sessionId: session.id,
        status:
          session.status === 'complete' ? 'complete' : session.status === 'expired' ? 'expired' : 'open',
        paid: session.payment_status === 'paid',
        paymentIntentId: idOf(session.payment_intent),
        customerId: idOf(session.customer),
        amountMinor: session.amount_total ?? null,
        currency: session.currency ?? null,
        metadata: (session.metadata ?? {}) as Record<string, string>,
      };
    },

    async createCustomer(input) {
      const customer = await call('create customer', () =>
        stripe.customers.create(
          {
            ...(input.email ? { email: input.email } : {}),
            ...(input.name ? { name: input.name } : {}),
            ...(input.metadata ? { metadata: input.metadata } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return { customerId: customer.id };
    },

    listSavedCards,

    async chargeSavedCard(input): Promise<ChargeOutcome> {
      // Without a card id we take the newest saved card. If the patient saves another card between
      // two attempts with one key, Stripe refuses the changed request (idempotency_error): by design.
      const paymentMethodId =
        input.paymentMethodId ?? (await listSavedCards(input.customerId))[0]?.paymentMethodId;
      if (!paymentMethodId) {
        throw new VendorRejectedError(
          VENDOR,
          'no_saved_card',
          `Customer ${input.customerId} has no saved card`,
        );
      }
      try {
        // Past Stripe's 24-hour idempotency window a retried charge must find the first one.
        const earlier = await call('list payments', () =>
          stripe.paymentIntents.list({ customer: input.customerId, limit: 100 }),
        );
        const intent =
          earlier.data.find((p) => p.metadata?.idempotencyKey === input.idempotencyKey) ??
          (await stripe.paymentIntents.create(
            {
              amount: input.amountMinor,
              currency: input.currency,
              customer: input.customerId,
              payment_method: paymentMethodId,
              off_session: true,
              confirm: true,
              metadata: { ...input.metadata, idempotencyKey: input.idempotencyKey },
              ...(input.description ? { description: input.description } : {}),
            },
            { idempotencyKey: input.idempotencyKey },
          ));
        // `processing` settles later and is reported by webhook; cards succeed at once.
        if (intent.status === 'succeeded' || intent.status === 'processing') {
          return { ok: true, paymentIntentId: intent.id };
        }
        const failure = intent.last_payment_error;
        return {
          ok: false,
          declineCode: failure?.decline_code ?? failure?.code ?? intent.status,
          message: failure?.message ?? `Payment ${intent.status}`,
          paymentIntentId: intent.id,
        };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) {
          return {
            ok: false,
            declineCode: error.decline_code ?? error.code ?? 'card_declined',
            message: error.message,
            paymentIntentId: error.payment_intent?.id ?? null,
          };
        }
        throw toVendorError('charge saved card', error);
      }
    },

    async refund(input) {
      // Stripe keeps idempotency keys for 24 hours; a retry after that (a refund flagged for manual
      // handling and retried days later) must find the first refund, not make a second one.
      const earlier = await call('list refunds', () =>
        stripe.refunds.list({ payment_intent: input.paymentIntentId, limit: 100 }),
      );
      const refund =
        earlier.data.find((r) => r.metadata?.idempotencyKey === input.idempotencyKey) ??
        (await call('refund', () =>
          stripe.refunds.create(
            {
              payment_intent: input.paymentIntentId,
              ...(input.amountMinor !== undefined ? { amount: input.amountMinor } : {}),
              ...(input.reason ? { reason: input.reason } : {}),
              metadata: { ...input.metadata, idempotencyKey: input.idempotencyKey },
            },
            { idempotencyKey: input.idempotencyKey },
          ),
        ));
      return {
        refundId: refund.id,
        status: REFUND_STATUSES.find((status) => status === refund.status) ?? 'pending',
        amountMinor: refund.amount,
      };
    },

    parseWebhook(rawBody, signatureHeader) {
      if (!signatureHeader)
        throw new InvalidWebhookSignatureError('The webhook has no Stripe-Signature header');
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          signatureHeader,
          config.webhookSecret,
          undefined, // Stripe's default tolerance: 300 s
          undefined,
          config.clock?.now().getTime(),
        );
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          throw new InvalidWebhookSignatureError(error.message, error);
        }
        throw new UnreadableWebhookError(null, 'The webhook body is not a Stripe event', error);
      }
      return toPaymentWebhookEvent(event);
    },
  };
};
