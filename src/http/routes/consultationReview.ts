import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findProduct } from '../../domain/consultation/catalogue.js';
import type { ConsultationState } from '../../domain/consultation/consultationState.js';
import { questionsOf } from '../../domain/consultation/questionnaire.js';
import { lastRegistrationNumber } from '../../projections/consultations/clinicianRegistration.js';
import {
  type ConsultationIncident,
  consultationIncidents,
} from '../../projections/consultations/consultationQueries.js';
import { problem } from '../auth/problem.js';
import { reviewCase, reviewList, reviewListQuery } from '../contracts/consultationReview.js';
import { pathParams, type RequestWithId } from '../contracts/params.js';
import {
  type ConsultationRoutesOptions,
  consultationActions,
  freshView,
  pendingMarker,
  type StartedView,
  staffOf,
} from './consultationShared.js';

type Queue = 'prescriber' | 'pharmacist';

const approveBody = z.object({
  notes: z.string().trim().max(2_000).default(''),
  /** The clinician's seven-digit GMC (prescriber) or GPhC (pharmacist) number, printed on the Rx and GP letter. */
  registrationNumber: z.string().regex(/^\d{7}$/, 'a seven-digit GMC or GPhC number'),
});
const questionBody = z.object({ question: z.string().trim().min(3).max(2_000) });
const reasonBody = z.object({ reason: z.string().trim().min(3).max(2_000) });

/** Overlap first and loud: the seed asks for it to be flagged prominently. */
const flagsOf = ({ renewalOverlap, repeatSubmission }: ConsultationState['flags']) => {
  return {
    renewalOverlap: renewalOverlap && {
      ...renewalOverlap,
      banner: `RENEWAL OVERLAP: the previous plan (${renewalOverlap.activeConsultationId}) is still active until ${renewalOverlap.activePlanEndsAt.slice(0, 10)}. Assess whether overlapping supply is appropriate.`,
    },
    repeatSubmission: repeatSubmission && {
      priorConsultationId: repeatSubmission.priorConsultationId,
      changes: repeatSubmission.diff,
    },
  };
};

/** The case as a clinician reviews it: the answers with their questions, flags, messages, history. */
const caseOf = (
  view: StartedView,
  pending: string | null,
  incidents: ConsultationIncident[],
  yourRegistrationNumber: string | null,
) => {
  const { state, account } = view;
  const product = state.product && findProduct(state.product.productId);
  const questions = product ? questionsOf(product.questionnaire) : [];
  const answers = state.submitted?.answers ?? {};
  return {
    consultationId: view.consultationId,
    status: state.status,
    statusSince: view.statusSince,
    pending,
    incidents,
    queue: state.review?.queue ?? null,
    queuedAt: state.review?.queuedAt ?? null,
    product: state.product,
    plan: state.plan,
    patient: account.patient && {
      name: `${account.patient.firstName} ${account.patient.lastName}`,
      dateOfBirth: answers.dateOfBirth ?? null,
      postcode: account.patient.address.postcode,
    },
    renewalOf: state.renewalOf && {
      previousConsultationId: state.renewalOf.previousConsultationId,
      firstApprovedAt: state.renewalOf.firstApprovedAt,
      previousPlanEndsAt: state.renewalOf.previousPlanEndsAt,
    },
    flags: flagsOf(state.flags),
    answers: questions.flatMap((q) => {
      const answer = answers[q.id];
      return answer === undefined ? [] : [{ questionId: q.id, question: q.text, answer }];
    }),
    identity: {
      verifiedAt: state.identityVerifiedAt,
      ...view.identity,
      documentCheck: account.idDocumentCheck,
    },
    messages: view.messages,
    decision: view.decision,
    prescription: state.prescription && {
      ...state.prescription,
      signingUrl: account.signingLinks[state.prescription.id] ?? null,
    },
    /** The reader's own number from their last approval, to prefill the approval form. */
    yourRegistrationNumber,
  };
};

/**
 * Phases 5–7 for clinicians: prescribers review POM cases, pharmacists P cases. Each reads only
 * their own queue; every read of a case is recorded.
 */
export const consultationReviewRoutes: FastifyPluginAsyncZod<ConsultationRoutesOptions> = async (
  app,
  options,
) => {
  const { pool, store, commands } = options;
  const clinicians = { preHandler: app.requireRoles('prescriber', 'pharmacist') };

  const queueFor = (request: FastifyRequest, asked: Queue | undefined): Queue | null => {
    const roles = request.staff!.roles;
    const queue = asked ?? (roles.includes('prescriber') ? 'prescriber' : 'pharmacist');
    return roles.includes(queue) ? queue : null;
  };

  const forbidden = (reply: FastifyReply, queue: string) =>
    problem(
      reply,
      403,
      'Role required',
      `Only the ${queue} queue's clinicians may see or decide this case.`,
      {
        requiredRoles: [queue],
      },
    );

  /** The case, if it is in a queue this clinician works; otherwise an answer has been sent. */
  const caseFor = async (request: RequestWithId, reply: FastifyReply) => {
    const view = await freshView(store, request.params.id);
    if (!view?.state.review) {
      problem(reply, 404, 'Not found', `No consultation ${request.params.id} is in a review queue.`);
      return null;
    }
    if (!request.staff!.roles.includes(view.state.review.queue)) {
      forbidden(reply, view.state.review.queue);
      return null;
    }
    return view;
  };

  app.get(
    '/api/review/cases',
    {
      ...clinicians,
      config: {
        phiRead: {
          resource: (request) =>
            `review-queue?queue=${queueFor(request, reviewListQuery.parse(request.query).queue)}`,
        },
      },
      schema: {
        tags: ['consultation: review'],
        summary: 'The review queue: POM for prescribers, P for pharmacists',
        querystring: reviewListQuery,
        response: { 200: reviewList },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const queue = queueFor(request, query.queue);
      if (!queue) return forbidden(reply, query.queue ?? 'requested');
      const cases = await options.reads.openReviewCases(queue);
      return {
        queue,
        items: cases.map(({ flags, incidentStates, ...item }) => ({
          ...item,
          flags: flagsOf(flags),
          pending: pendingMarker(incidentStates),
        })),
      };
    },
  );

  app.get(
    '/api/review/cases/:id',
    {
      ...clinicians,
      config: { phiRead: { resource: 'consultation-case', idParam: 'id' } },
      schema: {
        params: pathParams('id'),
        tags: ['consultation: review'],
        summary: 'One case with answers, flags (repeat diff, overlap), messages',
        response: { 200: reviewCase },
      },
    },
    async (request, reply) => {
      const view = await caseFor(request, reply);
      if (!view) return reply;
      const [incidents, registrationNumber] = await Promise.all([
        consultationIncidents(pool, request.params.id),
        lastRegistrationNumber(pool, request.staff!.id),
      ]);
      return caseOf(view, pendingMarker(incidents.map((i) => i.state)), incidents, registrationNumber);
    },
  );

  /** One clinical decision, on a case in one of the clinician's own queues. */
  const decision = consultationActions(app, {
    base: '/api/review/cases',
    tag: 'consultation: review',
    guard: clinicians,
    allowed: async (request, reply) => (await caseFor(request, reply)) !== null,
  });

  decision(
    'approve',
    'Approve: POM → prescription in SignatureRx; P → pharmacist approval logged',
    approveBody,
    (id, body, r) => commands.staff.approve(id, staffOf(r), body),
  );
  decision(
    'request-information',
    'Ask the patient for more information (awaiting response)',
    questionBody,
    (id, body, r) => commands.staff.requestInformation(id, staffOf(r), body.question),
  );
  decision(
    'deny',
    'Deny with a reason: refunded, patient told once Stripe confirms',
    reasonBody,
    (id, body, r) => commands.staff.deny(id, staffOf(r), body.reason),
  );
};
