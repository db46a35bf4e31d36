import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { findParcel } from '../../commands/parcels.js';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { recordTracking } from '../../commands/prescription/tracking.js';
import { recordUnmatchedPayment } from '../../commands/unmatchedPayments.js';
import { DomainError } from '../../domain/decider.js';
import { type EventStore, streamId } from '../../eventstore/types.js';
import {
  InvalidWebhookSignatureError,
  type PaymentGateway,
  type PaymentWebhookEvent,
  UnreadableWebhookError,
} from '../../integrations/payments/port.js';
import { type ShippingCarrier, ShippingWebhookError } from '../../integrations/shipping/port.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId } from '../../platform/ids.js';
import type { SqlPool } from '../../platform/sql.js';
import { problem } from '../auth/problem.js';
import { sendError } from '../errors.js';

export type WebhookRoutesOptions = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  /** Other flows (the consultation flow) take the payment events that are not prescription orders'. */
  otherPaymentHandlers?: PaymentEventHandler[];
};

/**
 * Takes one verified provider event: `handled` when a flow applied it, `unmatched` (with why) when
 * it is addressed to the flow but nothing there can take it, `false` when it is not the flow's.
 */
export type PaymentEventHandler = (
  event: Exclude<PaymentWebhookEvent, { kind: 'ignored' }>,
) => Promise<'handled' | { unmatched: string } | false>;

const MAX_WEBHOOK_BYTES = 512 * 1024;

/** Provider events that report money taken or given back. */
const MONEY_EVENTS = new Set<PaymentWebhookEvent['kind']>([
  'checkoutCompleted',
  'refundSucceeded',
  'refundFailed',
]);

/** Commands caused by a Stripe event carry its id, so a redelivered event is answered, not re-applied. */
const stripeCommandId = (event: PaymentWebhookEvent) => deterministicId('stripe-event', event.stripeEventId);

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  // The Stripe signature covers the exact bytes sent: keep them raw in this plugin's scope.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES },
    (_r, body, done) => done(null, body),
  );

  const prescriptionPayment: PaymentEventHandler = async (event) => {
    if (event.metadata.flow !== 'prescription') return false;
    const orderRef =
      (event.kind === 'checkoutCompleted' || event.kind === 'checkoutExpired' ? event.orderRef : null) ??
      event.metadata.orderId;
    if (!orderRef) return { unmatched: 'no order reference' };
    if ((await options.commands.load(orderRef)).status === 'none') return { unmatched: 'unknown order' };
    const meta = { actor: 'webhook:stripe', commandId: stripeCommandId(event), correlationId: orderRef };
    const refundId = event.metadata.refundId;
    switch (event.kind) {
      case 'checkoutCompleted':
        if (!event.paid || !event.paymentIntentId) return 'handled';
        await options.commands.execute(
          orderRef,
          {
            type: 'RecordPayment',
            sessionId: event.sessionId,
            paymentIntentId: event.paymentIntentId,
            stripeEventId: event.stripeEventId,
            amountMinor: event.amountMinor ?? 0,
            currency: event.currency ?? 'unknown',
          },
          meta,
        );
        return 'handled';
      case 'checkoutExpired':
        await options.commands.execute(
          orderRef,
          { type: 'ExpirePaymentLink', sessionId: event.sessionId },
          meta,
        );
        return 'handled';
      case 'refundSucceeded':
        if (!refundId) return { unmatched: 'refund not requested by the platform' };
        await options.commands.execute(
          orderRef,
          {
            type: 'RecordRefundSettled',
            refundId,
            stripeRefundId: event.refundId,
            amountMinor: event.amountMinor,
            stripeEventId: event.stripeEventId,
          },
          meta,
        );
        return 'handled';
      case 'refundFailed':
        if (!refundId) return { unmatched: 'refund not requested by the platform' };
        await options.commands.execute(
          orderRef,
          {
            type: 'RecordRefundFailed',
            refundId,
            stripeRefundId: event.refundId,
            reason: event.failureReason,
            stripeEventId: event.stripeEventId,
          },
          meta,
        );
        return 'handled';
      default:
        // Payment intents of a checkout are reported by the checkout's own events.
        return 'handled';
    }
  };

  /** Kept for ops and answered 2xx: a verified event nobody can take must not be redelivered forever. */
  const unmatched = async (
    event: Exclude<PaymentWebhookEvent, { kind: 'ignored' }>,
    reason: string,
    request: FastifyRequest,
  ) => {
    request.log.warn({ stripeEventId: event.stripeEventId, reason }, 'stripe event recorded as unmatched');
    await recordUnmatchedPayment(options.store, options.clock, event, reason);
    return { received: true, handled: false, unmatched: reason };
  };

  app.post(
    '/webhook/stripe',
    {
      config: { csrfExempt: true },
      schema: { tags: ['webhooks'], summary: 'Stripe events, verified over the raw body' },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return problem(reply, 415, 'Unsupported media type', 'Stripe sends JSON.');
      let event: PaymentWebhookEvent;
      try {
        event = options.payments.parseWebhook(
          request.body,
          request.headers['stripe-signature'] as string | undefined,
        );
      } catch (error) {
        if (error instanceof InvalidWebhookSignatureError) {
          request.log.warn('stripe webhook refused: bad signature');
          return problem(
            reply,
            400,
            'Invalid signature',
            'The Stripe-Signature header does not match this body.',
          );
        }
        if (error instanceof UnreadableWebhookError) {
          request.log.error({ stripeEventId: error.stripeEventId }, 'signed stripe event could not be read');
          return problem(
            reply,
            422,
            'Unreadable event',
            'The event is signed but its content could not be read.',
          );
        }
        throw error;
      }
      if (event.kind === 'ignored') return { received: true, handled: false };
      try {
        for (const handler of [prescriptionPayment, ...(options.otherPaymentHandlers ?? [])]) {
          const outcome = await handler(event);
          if (outcome === 'handled') return { received: true, handled: true };
          if (outcome) return unmatched(event, outcome.unmatched, request);
        }
        // Money that moved with no flow to own it is kept for ops; other news of it is only acknowledged.
        return MONEY_EVENTS.has(event.kind)
          ? unmatched(event, 'no flow takes this event', request)
          : { received: true, handled: false };
      } catch (error) {
        // Refused by a flow's rules: answering 4xx would only make Stripe redeliver it for days.
        if (error instanceof DomainError) return unmatched(event, error.code, request);
        // A 5xx makes Stripe deliver the event again later, which is what a transient failure needs.
        return sendError(error, request, reply);
      }
    },
  );

  app.post<{ Querystring: { token?: string } }>(
    '/webhook/shippo',
    {
      config: { csrfExempt: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Shippo track_updated events, authenticated by the token in the URL',
      },
    },
    async (request, reply) => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
      } catch {
        return problem(reply, 400, 'Malformed webhook', 'The body is not JSON.');
      }
      let update: ReturnType<ShippingCarrier['parseWebhook']>;
      try {
        update = options.carrier.parseWebhook(body, request.query.token);
      } catch (error) {
        if (!(error instanceof ShippingWebhookError)) throw error;
        if (error.reason === 'unsupported_event') return { received: true, handled: false };
        const status = error.reason === 'unauthorized' ? 401 : 400;
        return problem(reply, status, status === 401 ? 'Unauthorized' : 'Malformed webhook', error.message);
      }
      // Found through the parcel's link stream, not the orders read model: a scan right after the
      // label is not lost.
      const parcel = await findParcel(options.store, update.trackingNumber);
      if (!parcel?.streamName.startsWith('order-')) return { received: true, handled: false };
      try {
        await recordTracking(options, streamId(parcel.streamName), update, 'webhook:shippo');
        return { received: true, handled: true };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );
};
