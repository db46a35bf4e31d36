import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findProduct } from '../../domain/consultation/catalogue.js';
import { AUTO_DENY_PATIENT_MESSAGE } from '../../domain/consultation/questionnaire.js';
import { MAX_CARD_IMAGE_BYTES } from '../../integrations/documents/sniff.js';
import { consultationIncidents } from '../../projections/consultations/consultationQueries.js';
import type { RouteAccess } from '../access.js';
import { problem } from '../auth/problem.js';
import {
  answersSaved,
  checkoutOpened,
  consultationActionResult,
  consultationStarted,
  patientConsultation,
  questionnaireSubmitted,
  renewalStarted,
} from '../contracts/consultationPatient.js';
import { pathParams, type RequestWithId } from '../contracts/params.js';
import { sendError } from '../errors.js';
import { absentBodyIsEmpty, emailAddress, smsPhoneNumber } from '../validation.js';
import {
  CONSULTATION_ID,
  CONSULTATION_TOKEN_HEADER,
  type ConsultationRoutesOptions,
  freshView,
  pendingMarker,
  type StartedView,
} from './consultationShared.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;

const startBody = z.object({
  productId: text(64),
  patient: z.object({
    firstName: text(50),
    lastName: text(50),
    email: emailAddress,
    phone: z.string().trim().max(25).optional(),
    address: z.object({
      line1: text(100),
      line2: z.string().trim().max(100).optional(),
      town: text(50),
      postcode: z.string().trim().regex(UK_POSTCODE, 'a UK postcode'),
    }),
    nhsNumber: z
      .string()
      .regex(/^\d{10}$/, 'ten digits')
      .optional(),
  }),
  /** We write to the patient's GP before dispatch; the consultation cannot go ahead without it. */
  consentToInformGp: z.boolean(),
  /** Order updates (dispatch, delivery) by text as well as e-mail, on this UK mobile. */
  notifications: z
    .object({ sms: smsPhoneNumber('UK') })
    .strict()
    .optional(),
});

const answerValue = z.union([
  z.boolean(),
  z.number(),
  z.string().max(2_000),
  z.array(z.string().max(100)).max(50),
]);
const answersBody = z.object({ answers: z.record(z.string().max(64), answerValue) });
const planSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('one_off') }),
  z.object({ kind: z.literal('instalment'), months: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
]);
const checkoutBody = z.object({ plan: planSchema });
const messageBody = z.object({ message: text(2_000) });
const documentQuery = z.object({ type: z.enum(['passport', 'driving_licence']).default('passport') });

/** What the patient sees of their consultation: never the auto-deny rule, nor clinical notes. */
const patientViewOf = (view: StartedView, now: Date, pending: string | null) => {
  const { state, account } = view;
  const product = state.product && findProduct(state.product.productId);
  const checkout = account.checkoutLinks.at(-1);
  const renewable =
    ['dispatched', 'delivered', 'plan_completed'].includes(state.status) && !state.renewalConsultationId;
  return {
    consultationId: view.consultationId,
    status: state.status,
    statusSince: view.statusSince,
    pending,
    product: state.product && {
      id: state.product.productId,
      name: state.product.name,
      kind: state.product.kind,
    },
    renewalOf: state.renewalOf?.previousConsultationId ?? null,
    questionnaire:
      state.status === 'draft' && product
        ? { version: product.questionnaire.version, steps: product.questionnaire.steps }
        : null,
    answers: state.answers,
    outcome: state.status === 'auto_denied' ? { message: AUTO_DENY_PATIENT_MESSAGE } : null,
    plan: state.plan,
    price: state.price,
    checkout:
      state.status === 'awaiting_payment' && checkout && Date.parse(checkout.expiresAt) > now.getTime()
        ? { url: checkout.url, amountPence: checkout.amountPence, expiresAt: checkout.expiresAt }
        : null,
    lastPaymentFailure: state.status === 'awaiting_payment' ? (view.paymentFailures.at(-1) ?? null) : null,
    idDocumentRequested: state.status === 'id_document_requested',
    messages: view.messages.map((m) => ({ from: m.from, text: m.text, at: m.at })),
    period: state.period && {
      startsAt: state.period.startsAt,
      endsAt: view.plan.endsAt,
      supplies: state.period.suppliesTotal,
    },
    graceEndsAt: view.plan.graceEndsAt,
    shipments: view.shipments.map((s) => ({
      supplyNumber: s.supplyNumber,
      trackingNumber: s.trackingNumber,
      service: s.service,
      at: s.at,
    })),
    tracking: view.tracking.map((t) => ({ supplyNumber: t.supplyNumber, status: t.status, at: t.at })),
    cancellationRequested: state.flags.cancellationRequestedAt !== null,
    refund: state.refund && {
      amountPence: state.refund.amountPence,
      confirmed: state.refund.confirmed !== null,
    },
    renewal: { possible: renewable, renewalConsultationId: state.renewalConsultationId },
    consultationRequired: view.consultationRequired,
  };
};

/**
 * The patient's side of phases 1–4 and 13. A patient has no account: the consultation's signed key
 * (returned at the start, and in every e-mail) opens it and nothing else.
 */
export const consultationPatientRoutes: FastifyPluginAsyncZod<ConsultationRoutesOptions> = async (
  app,
  options,
) => {
  const { commands, store, clock, pool, links } = options;
  const patientActor = (id: string) => `patient:${id}`;

  // ID images arrive as the raw file; their type is judged from the bytes.
  app.addContentTypeParser(
    ['application/octet-stream', 'image/jpeg', 'image/png', 'application/pdf'],
    { parseAs: 'buffer', bodyLimit: MAX_CARD_IMAGE_BYTES },
    (_request, body, done) => done(null, body),
  );

  /** The consultation's key, judged for signature, age and revocation; one answer for every refusal. */
  const authorised = async (request: RequestWithId, reply: FastifyReply) => {
    const { id } = request.params;
    if (
      CONSULTATION_ID.test(id) &&
      (await links.judge({ kind: 'consultation', id }, request.headers[CONSULTATION_TOKEN_HEADER])) ===
        'valid'
    ) {
      return true;
    }
    problem(
      reply,
      401,
      'Link not valid',
      'This link has expired or no longer works. Ask for a new one with your e-mail address.',
      { code: 'TOKEN_INVALID' },
    );
    return false;
  };
  /** The key is judged before the request is parsed: a caller without it learns nothing of the contract. */
  const patientKey = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await authorised(request as RequestWithId, reply))) return reply;
  };

  const patientRoute = {
    config: { csrfExempt: true, access: { kind: 'patient', credential: 'consultation-key' } as RouteAccess },
  };
  const newPatient = { config: { csrfExempt: true, access: { kind: 'public' } as RouteAccess } };
  /** A client's key for one start request: a repeat of it reaches the same consultation. */
  const REQUEST_KEY = /^[A-Za-z0-9_-]{8,100}$/;

  app.post(
    '/api/consultations',
    {
      ...newPatient,
      schema: {
        tags: ['consultation: patient'],
        summary: 'Start a consultation for a product; answers with the consultation’s patient key',
        body: startBody,
        response: { 201: consultationStarted },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const requestKey = request.headers['idempotency-key'];
      if (requestKey !== undefined && (typeof requestKey !== 'string' || !REQUEST_KEY.test(requestKey))) {
        return problem(
          reply,
          400,
          'Invalid Idempotency-Key',
          'The Idempotency-Key header must be 8 to 100 letters, digits, - or _.',
        );
      }
      try {
        const { consultationId, token, state } = await commands.patient.start(
          {
            ...(requestKey ? { requestKey } : {}),
            productId: body.productId,
            patient: {
              ...body.patient,
              phone: body.patient.phone ?? null,
              nhsNumber: body.patient.nhsNumber ?? null,
            },
            gpConsent: body.consentToInformGp,
            ...(body.notifications ? { smsPhone: body.notifications.sms } : {}),
          },
          { actor: 'patient:new', correlationId: request.id },
        );
        return reply.code(201).send({ consultationId, token, status: state.status });
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.get(
    '/api/consultations/:id',
    {
      ...patientRoute,
      config: { ...patientRoute.config, phiRead: { resource: 'consultation', idParam: 'id' } },
      preValidation: patientKey,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary: 'The patient’s view of their consultation',
        response: { 200: patientConsultation },
      },
    },
    async (request, reply) => {
      const view = await freshView(store, request.params.id);
      if (!view) return problem(reply, 404, 'Not found', 'We could not find this consultation.');
      const incidents = await consultationIncidents(pool, request.params.id);
      return patientViewOf(view, clock.now(), pendingMarker(incidents.map((i) => i.state)));
    },
  );

  /** One patient action: the key, then the body, then one command; answers with the new status. */
  const action = <T>(
    method: 'POST' | 'PUT',
    path: string,
    summary: string,
    schema: z.ZodType<T>,
    run: (id: string, body: T, request: FastifyRequest) => Promise<{ state: { status: string } }>,
  ) =>
    app.route({
      method,
      url: `/api/consultations/:id${path}`,
      ...patientRoute,
      preValidation: [patientKey, absentBodyIsEmpty],
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary,
        body: schema,
        response: { 200: consultationActionResult },
      },
      handler: async (request, reply) => {
        const body = request.body as T;
        try {
          const result = await run(request.params.id, body, request);
          return { consultationId: request.params.id, status: result.state.status };
        } catch (error) {
          return sendError(error, request, reply);
        }
      },
    });

  const meta = (id: string, request: FastifyRequest) => ({
    actor: patientActor(id),
    correlationId: request.id,
  });

  app.put(
    '/api/consultations/:id/answers/:stepId',
    {
      ...patientRoute,
      preValidation: patientKey,
      schema: {
        params: pathParams('id', 'stepId'),
        tags: ['consultation: patient'],
        summary: 'Save one wizard step’s answers (draft)',
        body: answersBody,
        response: { 200: answersSaved },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const result = await commands.patient.saveAnswers(
          request.params.id,
          request.params.stepId,
          body.answers,
          meta(request.params.id, request),
        );
        return {
          consultationId: request.params.id,
          status: result.state.status,
          answers: result.state.answers,
        };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.post(
    '/api/consultations/:id/submit',
    {
      ...patientRoute,
      preValidation: patientKey,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary: 'Submit the questionnaire (auto-deny rules judged here)',
        response: { 200: questionnaireSubmitted },
      },
    },
    async (request, reply) => {
      try {
        const result = await commands.patient.submit(request.params.id, meta(request.params.id, request));
        const status = result.state.status;
        return {
          consultationId: request.params.id,
          status,
          // The only thing said on an auto-denial: no answer or rule is named.
          ...(status === 'auto_denied' ? { message: AUTO_DENY_PATIENT_MESSAGE } : {}),
        };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.post(
    '/api/consultations/:id/checkout',
    {
      ...patientRoute,
      preValidation: patientKey,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary:
          'Choose one-off or an instalment plan and open Stripe Checkout (again, after a failed payment)',
        body: checkoutBody,
        response: { 201: checkoutOpened },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const checkout = await commands.patient.startCheckout(
          request.params.id,
          body.plan,
          meta(request.params.id, request),
        );
        return reply.code(201).send({ consultationId: request.params.id, ...checkout });
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.put(
    '/api/consultations/:id/id-document',
    {
      ...patientRoute,
      bodyLimit: MAX_CARD_IMAGE_BYTES,
      preValidation: patientKey,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary: 'Upload a photo ID (passport or driving licence; JPEG, PNG or PDF, ≤ 10 MB) as the raw body',
        querystring: documentQuery,
        response: { 200: consultationActionResult },
      },
    },
    async (request, reply) => {
      const query = request.query;
      if (!Buffer.isBuffer(request.body)) {
        return problem(
          reply,
          415,
          'Unsupported media type',
          'Send the image file itself as the request body.',
        );
      }
      try {
        const result = await commands.patient.uploadIdDocument(
          request.params.id,
          query.type,
          request.body,
          meta(request.params.id, request),
        );
        return { consultationId: request.params.id, status: result.state.status };
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  action(
    'POST',
    '/replies',
    'Answer the clinician’s question (the review resumes)',
    messageBody,
    (id, body, r) => commands.patient.reply(id, body.message, meta(id, r)),
  );
  action(
    'POST',
    '/cancellation',
    'Ask the pharmacy team to cancel (they cancel and refund)',
    messageBody,
    (id, body, r) => commands.patient.requestCancellation(id, body.message, meta(id, r)),
  );

  app.post(
    '/api/consultations/:id/renewal',
    {
      ...patientRoute,
      preValidation: patientKey,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: patient'],
        summary:
          'Reorder (one-off) or renew (plan) on the answers on record; a new consultation to re-confirm',
        response: { 201: renewalStarted },
      },
    },
    async (request, reply) => {
      try {
        const outcome = await commands.patient.renew(request.params.id, meta(request.params.id, request));
        if (outcome.kind === 'consultation_required') {
          return problem(
            reply,
            409,
            'Consultation required',
            outcome.reason === 'twelve_month_limit'
              ? 'This treatment has reached its 12-month limit: please complete a new consultation.'
              : 'Your answers have expired: please complete a new consultation.',
            { code: 'CONSULTATION_REQUIRED', reason: outcome.reason },
          );
        }
        return reply.code(201).send({
          consultationId: outcome.consultationId,
          token: outcome.token,
          renewalOf: request.params.id,
        });
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );
};
