import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SmsLine } from '../../commands/smsLine.js';
import {
  InvalidSmsWebhookSignatureError,
  type SmsGateway,
  type SmsWebhookEvent,
  UnreadableSmsWebhookError,
} from '../../integrations/sms/port.js';
import type { RouteAccess } from '../access.js';
import { problem } from '../auth/problem.js';

export type SmsWebhookRoutesOptions = {
  /** The outbox key of a text Twilio took, by its SID (null before the outbox recorded it). */
  messageKeyOf(messageSid: string): Promise<string | null>;
  gateway: SmsGateway;
  lines: SmsLine;
  /** The address Twilio calls us on: its signature covers the full URL it requested. */
  publicUrl: string;
};

const TWILIO: RouteAccess = { kind: 'vendor', proof: 'X-Twilio-Signature over the URL and form fields' };
const MAX_WEBHOOK_BYTES = 64 * 1024;
const E164 = /^\+[1-9]\d{6,14}$/;
/** An empty TwiML answer: nothing to reply (Twilio itself answers STOP and START). */
const NO_REPLY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's webhooks: a patient's reply to our number (STOP and START recorded on their line, any
 * other text not kept) and the status of each text we sent. Each is checked against its
 * X-Twilio-Signature with the SDK before anything is read; a forged one is refused, 403.
 */
export const smsWebhookRoutes: FastifyPluginAsyncZod<SmsWebhookRoutesOptions> = async (app, options) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: MAX_WEBHOOK_BYTES },
    (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(body as string)) {
        // A field sent twice is not something Twilio does: keep none rather than pick one.
        if (key in fields) {
          return done(
            Object.assign(new UnreadableSmsWebhookError(`field ${key} sent twice`), { statusCode: 400 }),
          );
        }
        fields[key] = value;
      }
      done(null, fields);
    },
  );

  const verified = (request: FastifyRequest, reply: FastifyReply): SmsWebhookEvent | null => {
    const params = request.body;
    // Only the form body is signed this way (Twilio signs a JSON body differently, over its hash).
    const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (!form || !params || typeof params !== 'object' || Buffer.isBuffer(params)) {
      problem(reply, 415, 'Unsupported media type', 'Twilio sends application/x-www-form-urlencoded.');
      return null;
    }
    const signature = request.headers['x-twilio-signature'];
    try {
      return options.gateway.parseWebhook({
        url: `${options.publicUrl}${request.url}`,
        signature: typeof signature === 'string' ? signature : undefined,
        params: params as Record<string, string>,
      });
    } catch (error) {
      if (error instanceof InvalidSmsWebhookSignatureError) {
        request.log.warn('twilio webhook refused: signature does not match');
        problem(reply, 403, 'Signature not valid', 'The X-Twilio-Signature does not match this request.');
        return null;
      }
      if (error instanceof UnreadableSmsWebhookError) {
        problem(reply, 400, 'Unreadable webhook', error.message);
        return null;
      }
      throw error;
    }
  };

  app.post(
    '/webhook/twilio/messages',
    {
      config: { csrfExempt: true, access: TWILIO },
      schema: { tags: ['webhooks'], summary: 'A text to our number: STOP and START are recorded' },
    },
    async (request, reply) => {
      const event = verified(request, reply);
      if (!event) return reply;
      if (event.kind !== 'inbound') {
        return problem(
          reply,
          400,
          'Unreadable webhook',
          'This is a status callback, not an incoming message.',
        );
      }
      if ((event.keyword === 'stop' || event.keyword === 'start') && E164.test(event.from)) {
        await options.lines.recordKeyword(event.from, event.keyword, event.messageSid);
      }
      return reply.type('text/xml').send(NO_REPLY);
    },
  );

  app.post(
    '/webhook/twilio/status',
    {
      config: { csrfExempt: true, access: TWILIO },
      schema: { tags: ['webhooks'], summary: 'What became of a text we sent (Twilio status callback)' },
    },
    async (request, reply) => {
      const event = verified(request, reply);
      if (!event) return reply;
      if (event.kind !== 'status') {
        return problem(
          reply,
          400,
          'Unreadable webhook',
          'This is an incoming message, not a status callback.',
        );
      }
      if (!E164.test(event.to))
        return problem(reply, 400, 'Unreadable webhook', 'To is not an E.164 number.');
      // The callback can overtake our own record of the SID; the key is kept when it is known.
      await options.lines.recordDelivery({
        phone: event.to,
        messageSid: event.messageSid,
        messageKey: await options.messageKeyOf(event.messageSid),
        status: event.status,
        errorCode: event.errorCode,
      });
      return reply.code(204).send();
    },
  );
};
