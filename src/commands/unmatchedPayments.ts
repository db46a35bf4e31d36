import type { EventStore } from '../eventstore/types.js';
import type { PaymentWebhookEvent } from '../integrations/payments/port.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';

/** The money facts of a provider event, whatever kind it is. */
const moneyOf = (event: Exclude<PaymentWebhookEvent, { kind: 'ignored' }>) => {
  switch (event.kind) {
    case 'checkoutCompleted':
      return {
        reference: event.orderRef,
        paymentIntentId: event.paymentIntentId,
        amountMinor: event.amountMinor,
        currency: event.currency,
      };
    case 'checkoutExpired':
      return { reference: event.orderRef, paymentIntentId: null, amountMinor: null, currency: null };
    case 'refundSucceeded':
    case 'refundFailed':
    case 'paymentSucceeded':
    case 'paymentFailed':
      return {
        reference: null,
        paymentIntentId: event.paymentIntentId,
        amountMinor: event.amountMinor,
        currency: event.currency,
      };
  }
};

/**
 * A verified provider event no order or consultation can take (unknown reference, a refund we did
 * not ask for). It is answered 2xx, so the provider stops redelivering it, and kept here for ops:
 * one stream per provider event, so a redelivery records nothing new.
 */
export const recordUnmatchedPayment = async (
  store: EventStore,
  clock: Clock,
  event: Exclude<PaymentWebhookEvent, { kind: 'ignored' }>,
  reason: string,
) => {
  const occurredAt = clock.now().toISOString();
  await store.appendToStream(`unmatchedpayment-${event.stripeEventId}`, [
    {
      id: deterministicId('unmatched-payment', event.stripeEventId),
      type: 'PaymentEventUnmatched',
      data: {
        stripeEventId: event.stripeEventId,
        kind: event.kind,
        flow: event.metadata.flow ?? null,
        ...moneyOf(event),
        reason,
      },
      metadata: {
        correlationId: event.stripeEventId,
        causationId: null,
        actor: 'webhook:stripe',
        occurredAt,
      },
    },
  ]);
};
