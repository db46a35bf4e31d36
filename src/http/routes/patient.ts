import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PatientLinks } from '../../commands/patientLinks.js';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { looksLikeToken } from '../../commands/prescription/tokens.js';
import { CONSENT } from '../../domain/prescription/consent.js';
import type { EventStore } from '../../eventstore/types.js';
import { MAX_CARD_IMAGE_BYTES } from '../../integrations/documents/sniff.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import { patientOrderStatus } from '../../projections/orders/orderQueries.js';
import type { RouteAccess } from '../access.js';
import { problem } from '../auth/problem.js';
import { pathParams } from '../contracts/params.js';
import { enrollmentInfo, patientOrder } from '../contracts/patient.js';
import { sendError } from '../errors.js';
import { smsPhoneNumber } from '../validation.js';

export type PatientRoutesOptions = {
  pool: SqlPool;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  /** Judges status links: signature, age and revocation. */
  links: PatientLinks;
};

/** Patients authenticate with the magic-link token in this header; tokens never travel in URLs the API logs. */
export const ENROLLMENT_TOKEN_HEADER = 'x-enrollment-token';
const ENROLLMENT: RouteAccess = { kind: 'patient', credential: 'enrollment-token' };
export const STATUS_TOKEN_HEADER = 'x-status-token';

const enrollmentBody = z.object({
  insurance: z.object({
    memberId: z.string().trim().min(1).max(40),
    bin: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'BIN is 6 digits'),
    pcn: z.string().trim().min(1).max(20),
    group: z.string().trim().min(1).max(30),
    cardholderName: z.string().trim().min(1).max(100),
    relationship: z.enum(['1', '2', '3', '4']),
  }),
  consent: z.object({
    accepted: z.literal(true),
    version: z.string(),
    signedName: z.string().trim().min(2).max(100),
  }),
  /** Texts as well as e-mails (payment link, delivery) on this mobile; e-mail only when absent. */
  notifications: z
    .object({ sms: smsPhoneNumber('US') })
    .strict()
    .optional(),
});

const tokenFrom = (request: FastifyRequest, reply: FastifyReply) => {
  const token = request.headers[ENROLLMENT_TOKEN_HEADER];
  if (!looksLikeToken(token)) {
    problem(reply, 401, 'Link not valid', 'Open the enrollment link from your e-mail again.', {
      code: 'LINK_INVALID',
    });
    return undefined;
  }
  return token;
};

export const patientRoutes: FastifyPluginAsyncZod<PatientRoutesOptions> = async (app, options) => {
  const { commands } = options;

  // Card images arrive as the raw file, so the browser can report upload progress and the type is
  // judged from the bytes, not from a name or a header the client chose.
  app.addContentTypeParser(
    ['application/octet-stream', 'image/jpeg', 'image/png', 'application/pdf'],
    { parseAs: 'buffer', bodyLimit: MAX_CARD_IMAGE_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/patient/enrollment',
    {
      config: { csrfExempt: true, access: ENROLLMENT, phiRead: { resource: 'enrollment' } },
      schema: {
        tags: ['patient'],
        summary: 'What the magic link enrolls the patient for',
        response: { 200: enrollmentInfo },
      },
    },
    async (request, reply) => {
      const token = tokenFrom(request, reply);
      if (!token) return reply;
      try {
        const { orderId, state } = await commands.enrollmentFor(token);
        request.phiSubject = orderId;
        const p = state.prescription!;
        return {
          orderId,
          patient: {
            firstName: p.patient.firstName,
            lastName: p.patient.lastName,
            dateOfBirth: p.patient.dateOfBirth,
          },
          medication: {
            description: p.medication.description,
            quantity: p.medication.quantity,
            daysSupply: p.medication.daysSupply,
          },
          prescriber: { name: [p.prescriber.firstName, p.prescriber.lastName].filter(Boolean).join(' ') },
          expiresAt: state.enrollmentLink!.expiresAt,
          cardsUploaded: { front: Boolean(state.cards.front), back: Boolean(state.cards.back) },
          consent: CONSENT,
        };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.put(
    '/api/patient/enrollment/cards/:side',
    {
      bodyLimit: MAX_CARD_IMAGE_BYTES,
      config: { csrfExempt: true, access: ENROLLMENT },
      schema: {
        params: pathParams('side'),
        tags: ['patient'],
        summary: 'Upload the front or back of the insurance card (JPEG, PNG or PDF, ≤ 10 MB)',
      },
    },
    async (request, reply) => {
      const token = tokenFrom(request, reply);
      if (!token) return reply;
      const side = request.params.side;
      if (side !== 'front' && side !== 'back')
        return problem(reply, 404, 'Not found', 'The card side is front or back.');
      if (!Buffer.isBuffer(request.body)) {
        return problem(
          reply,
          415,
          'Unsupported media type',
          'Send the image file itself as the request body.',
        );
      }
      try {
        const result = await commands.uploadInsuranceCard(token, side, request.body, {
          actor: 'patient:magic-link',
        });
        const document = result.state.cards[side]!;
        return { side, contentType: document.contentType, size: document.size };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.post(
    '/api/patient/enrollment',
    {
      config: { csrfExempt: true, access: ENROLLMENT },
      // The link is asked for before the body is parsed: without it, nothing about the form is said.
      preValidation: async (request, reply) => {
        if (!tokenFrom(request, reply)) return reply;
      },
      schema: {
        tags: ['patient'],
        summary: 'Submit insurance details and consent',
        body: enrollmentBody,
      },
    },
    async (request, reply) => {
      const token = tokenFrom(request, reply);
      if (!token) return reply;
      const body = request.body;
      try {
        const result = await commands.completeEnrollment(
          token,
          body,
          { ipAddress: request.ip, userAgent: request.headers['user-agent'] ?? '' },
          { actor: 'patient:magic-link' },
        );
        const orderId = result.events[0]?.streamName.slice('order-'.length);
        return { orderId, status: result.state.status };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.get(
    '/api/patient/orders/:id',
    {
      config: {
        csrfExempt: true,
        access: { kind: 'patient', credential: 'status-token' },
        phiRead: { resource: 'order-status', idParam: 'id' },
      },
      schema: {
        params: pathParams('id'),
        tags: ['patient'],
        summary: 'The patient’s view of their order and its tracking timeline',
        response: { 200: patientOrder },
      },
    },
    async (request, reply) => {
      const token = request.headers[STATUS_TOKEN_HEADER];
      // Expired, revoked or never ours: one answer, and the way to a new link.
      if ((await options.links.judge({ kind: 'order', id: request.params.id }, token)) !== 'valid') {
        return problem(
          reply,
          401,
          'Link not valid',
          'This link has expired or no longer works. Ask for a new one with your e-mail address.',
          { code: 'LINK_INVALID' },
        );
      }
      const order = await patientOrderStatus(options.pool, request.params.id);
      if (!order) return problem(reply, 404, 'Order not found', 'We could not find this order.');
      return order;
    },
  );
};
