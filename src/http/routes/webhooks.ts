import type { FastifyPluginAsync } from 'fastify';
import type pg from 'pg';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { findParcel } from '../../eventstore/postgres/parcels.js';
import { streamId } from '../../eventstore/types.js';
import {
  InvalidWebhookSignatureError,
  type PaymentGateway,
  type PaymentWebhookEvent,
  UnreadableWebhookError,
} from '../../integrations/payments/port.js';
import { type ShippingCarrier, ShippingWebhookError } from '../../integrations/shipping/port.js';
import { deterministicId } from '../../platform/ids.js';
import { recordTracking } from '../../processes/prescription/shipping.js';
import { problem } from '../auth/problem.js';
import { sendError } from '../errors.js';

export type WebhookRoutesOptions = {
  pool: pg.Pool;
  commands: OrderCommands;
  payments: PaymentGateway;
  carrier: ShippingCarrier;
  /** Other flows (the consultation flow) take the payment events that are not prescription orders'. */
  otherPaymentHandlers?: ((event: PaymentWebhookEvent) => Promise<boolean>)[];
};

const MAX_WEBHOOK_BYTES = 512 * 1024;

/** Commands caused by a Stripe event carry its id, so a redelivered event is answered, not re-applied. */
const stripeCommandId = (event: PaymentWebhookEvent) => deterministicId('stripe-event', event.stripeEventId);

export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  // The Stripe signature covers the exact bytes sent: keep them raw in this plugin's scope.
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES },
    (_r, body, done) => done(null, body),
  );

  const prescriptionPayment = async (event: PaymentWebhookEvent) => {
    if (event.kind !== 'checkoutCompleted' && event.kind !== 'checkoutExpired') return false;
    if (event.metadata.flow !== 'prescription' || !event.orderRef) return false;
    const orderRef = event.orderRef;
    const meta = { actor: 'webhook:stripe', commandId: stripeCommandId(event), correlationId: orderRef };
    if (event.kind === 'checkoutCompleted' && event.paid && event.paymentIntentId) {
      await options.commands.execute(
        orderRef,
        {
          type: 'RecordPayment',
          sessionId: event.sessionId,
          paymentIntentId: event.paymentIntentId,
          stripeEventId: event.stripeEventId,
          amountMinor: event.amountMinor ?? 0,
        },
        meta,
      );
    } else if (event.kind === 'checkoutExpired') {
      await options.commands.execute(
        orderRef,
        { type: 'ExpirePaymentLink', sessionId: event.sessionId },
        meta,
      );
    }
    return true;
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
          if (await handler(event)) return { received: true, handled: true };
        }
        return { received: true, handled: false };
      } catch (error) {
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
      // Found in the event store, not the orders read model: a scan right after the label is not lost.
      const parcel = await findParcel(options.pool, 'ShippingLabelPurchased', update.trackingNumber);
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
