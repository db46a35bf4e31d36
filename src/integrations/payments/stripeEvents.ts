import { z } from 'zod';
import { type PaymentWebhookEvent, UnreadableWebhookError } from './port.js';

/** Only the fields we read: Stripe adds fields freely, and we must not break when it does. */
const metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((value) => value ?? {});
// Any ISO 4217 code: a payment in a currency the order did not ask for must still be read, then judged.
const currency = z.string().regex(/^[a-z]{3}$/);
const id = z.string().min(1);

const envelope = z.object({ id, type: z.string(), data: z.object({ object: z.unknown() }) });

const session = z.object({
  id,
  client_reference_id: z.string().nullish(),
  payment_status: z.string(),
  payment_intent: id.nullish(),
  setup_intent: id.nullish(),
  customer: id.nullish(),
  amount_total: z.number().int().nullish(),
  currency: currency.nullish(),
  metadata,
});

const paymentIntent = z.object({
  id,
  amount: z.number().int(),
  currency,
  customer: id.nullish(),
  payment_method: id.nullish(),
  last_payment_error: z
    .object({ code: z.string().nullish(), decline_code: z.string().nullish(), message: z.string().nullish() })
    .nullish(),
  metadata,
});

const refund = z.object({
  id,
  amount: z.number().int(),
  currency,
  payment_intent: id.nullish(),
  status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  metadata,
});

const read = <Schema extends z.ZodType>(
  schema: Schema,
  eventId: string,
  value: unknown,
): z.output<Schema> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UnreadableWebhookError(
      eventId,
      `Stripe event ${eventId} is not in the shape we read`,
      result.error,
    );
  }
  return result.data;
};

const refundEvent = (eventId: string, object: unknown, failed: boolean): PaymentWebhookEvent => {
  const data = read(refund, eventId, object);
  const common = {
    stripeEventId: eventId,
    refundId: data.id,
    paymentIntentId: data.payment_intent ?? null,
    amountMinor: data.amount,
    currency: data.currency,
    metadata: data.metadata,
  };
  return failed
    ? { kind: 'refundFailed', ...common, failureReason: data.failure_reason ?? null }
    : { kind: 'refundSucceeded', ...common };
};

/** Turns a verified Stripe event into the fact the platform acts on, or `ignored`. */
export const toPaymentWebhookEvent = (event: unknown): PaymentWebhookEvent => {
  const { id: eventId, type, data } = read(envelope, 'unknown', event);
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = read(session, eventId, data.object);
      return {
        kind: 'checkoutCompleted',
        stripeEventId: eventId,
        sessionId: s.id,
        orderRef: s.client_reference_id ?? null,
        paid: s.payment_status === 'paid',
        paymentIntentId: s.payment_intent ?? null,
        setupIntentId: s.setup_intent ?? null,
        customerId: s.customer ?? null,
        amountMinor: s.amount_total ?? null,
        currency: s.currency ?? null,
        metadata: s.metadata,
      };
    }
    case 'checkout.session.expired': {
      const s = read(session, eventId, data.object);
      return {
        kind: 'checkoutExpired',
        stripeEventId: eventId,
        sessionId: s.id,
        orderRef: s.client_reference_id ?? null,
        metadata: s.metadata,
      };
    }
    case 'payment_intent.succeeded': {
      const p = read(paymentIntent, eventId, data.object);
      return {
        kind: 'paymentSucceeded',
        stripeEventId: eventId,
        paymentIntentId: p.id,
        customerId: p.customer ?? null,
        paymentMethodId: p.payment_method ?? null,
        amountMinor: p.amount,
        currency: p.currency,
        metadata: p.metadata,
      };
    }
    case 'payment_intent.payment_failed': {
      const p = read(paymentIntent, eventId, data.object);
      return {
        kind: 'paymentFailed',
        stripeEventId: eventId,
        paymentIntentId: p.id,
        customerId: p.customer ?? null,
        amountMinor: p.amount,
        currency: p.currency,
        declineCode: p.last_payment_error?.decline_code ?? p.last_payment_error?.code ?? null,
        message: p.last_payment_error?.message ?? null,
        metadata: p.metadata,
      };
    }
    case 'refund.failed':
      return refundEvent(eventId, data.object, true);
    case 'refund.created':
    case 'refund.updated': {
      // A refund is reported as created and again as it settles; only a final status is a fact.
      const status = read(refund, eventId, data.object).status;
      if (status === 'succeeded') return refundEvent(eventId, data.object, false);
      if (status === 'failed' || status === 'canceled') return refundEvent(eventId, data.object, true);
      return { kind: 'ignored', stripeEventId: eventId, type };
    }
    default:
      return { kind: 'ignored', stripeEventId: eventId, type };
  }
};
