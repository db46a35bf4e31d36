import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsultationCommands } from '../../commands/consultation/consultationCommands.js';
import { DomainError } from '../../domain/decider.js';
import { InvalidSignatureError, UnreadableWebhookError } from '../../integrations/prescribing/port.js';
import { problem } from '../auth/problem.js';
import { webhookAcknowledged } from '../contracts/consultationWebhooks.js';
import { sendError } from '../errors.js';
import type { ConsultationRoutesOptions } from './consultationShared.js';
import type { PaymentEventHandler } from './webhooks.js';

const MAX_WEBHOOK_BYTES = 512 * 1024;

/**
 * Stripe's events about consultations, taken from the platform's Stripe webhook (which verifies
 * them) through its `otherPaymentHandlers` hook: checkouts paid or declined, refunds settled.
 * Monthly charges are read from the charge call itself, so their events only need acknowledging.
 */
export const consultationPaymentHandler =
  (commands: ConsultationCommands): PaymentEventHandler =>
  async (event) => {
    const metadata = event.metadata;
    if (metadata.flow !== 'consultation') return false;
    const id = metadata.consultationId;
    if (!id) return { unmatched: 'no consultation reference' };
    if ((await commands.load(id)).status === 'none') return { unmatched: 'unknown consultation' };
    switch (event.kind) {
      case 'checkoutCompleted':
        await commands.vendor.checkoutCompleted(id, event);
        return 'handled';
      case 'paymentFailed':
        if (metadata.kind === 'checkout') await commands.vendor.checkoutPaymentFailed(id, event);
        return 'handled';
      case 'refundSucceeded':
        await commands.vendor.refundSettled(id, event);
        return 'handled';
      case 'refundFailed':
        await commands.vendor.refundFailed(id, event);
        return 'handled';
      default:
        // An expired checkout needs nothing: the patient opens a new one.
        return 'handled';
    }
  };

/**
 * SignatureRx's signed-prescription webhook and Royal Mail's tracking push, each verified over the
 * raw body with the vendor's secret before anything is read.
 */
export const consultationWebhookRoutes: FastifyPluginAsync<ConsultationRoutesOptions> = async (
  app,
  options,
) => {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES },
    (_r, body, done) => done(null, body),
  );

  /** A verified event the flow cannot apply (a signature after a cancellation) is logged and let go. */
  const settle = async (
    request: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<{ handled: boolean }>,
  ) => {
    try {
      return { received: true, ...(await run()) };
    } catch (error) {
      if (error instanceof DomainError) {
        request.log.warn({ code: error.code }, `webhook not applied: ${error.message}`);
        return { received: true, handled: false, reason: error.code };
      }
      // A 5xx makes the vendor deliver again later, which is what a transient failure needs.
      return sendError(error, request, reply);
    }
  };

  const refuse = (error: unknown, request: FastifyRequest, reply: FastifyReply, vendor: string) => {
    if (error instanceof InvalidSignatureError) {
      request.log.warn(`${vendor} webhook refused: ${error.reason} signature`);
      return problem(reply, 401, 'Invalid signature', `The ${vendor} signature does not match this body.`);
    }
    if (error instanceof UnreadableWebhookError) {
      return problem(reply, 422, 'Unreadable event', `The ${vendor} event is signed but could not be read.`);
    }
    throw error;
  };

  app.post(
    '/webhook/signaturerx',
    {
      config: {
        csrfExempt: true,
        access: { kind: 'vendor', proof: 'SignatureRx signature over the raw body' },
      },
      schema: {
        tags: ['webhooks'],
        summary: 'SignatureRx prescription events (signed: final)',
        response: { 200: webhookAcknowledged },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return problem(reply, 415, 'Unsupported media type', 'SignatureRx sends JSON.');
      let event: ReturnType<typeof options.prescribing.parseWebhook>;
      try {
        event = options.prescribing.parseWebhook(request.body, request.headers);
      } catch (error) {
        return refuse(error, request, reply, 'SignatureRx');
      }
      return settle(request, reply, () => options.commands.vendor.prescriptionEvent(event));
    },
  );

  app.post(
    '/webhook/royalmail',
    {
      config: {
        csrfExempt: true,
        access: { kind: 'vendor', proof: 'Royal Mail signature over the raw body' },
      },
      schema: {
        tags: ['webhooks'],
        summary: 'Royal Mail tracking pushes',
        response: { 200: webhookAcknowledged },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return problem(reply, 415, 'Unsupported media type', 'Royal Mail sends JSON.');
      let event: ReturnType<typeof options.dispatch.parseWebhook>;
      try {
        event = options.dispatch.parseWebhook(request.body, request.headers);
      } catch (error) {
        return refuse(error, request, reply, 'Royal Mail');
      }
      return settle(request, reply, () => options.commands.vendor.trackingEvent(event));
    },
  );
};
