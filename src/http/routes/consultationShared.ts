import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ConsultationCommands, Staff } from '../../commands/consultation/consultationCommands.js';
import type { PatientLinks } from '../../commands/patientLinks.js';
import { accountStream } from '../../domain/consultation/account.js';
import { consultationStream } from '../../domain/consultation/consultation.js';
import type { ConsultationStatus } from '../../domain/consultation/consultationEvents.js';
import type { EventStore } from '../../eventstore/types.js';
import type { DispatchService } from '../../integrations/dispatch/port.js';
import type { DocumentStore } from '../../integrations/documents/port.js';
import type { PrescribingService } from '../../integrations/prescribing/port.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { ProcessRuntime } from '../../processes/runtime.js';
import {
  applyToConsultationView,
  type ConsultationView,
} from '../../projections/consultations/consultationView.js';
import type { DashboardReads } from '../../projections/dashboardReads.js';
import { consultationActionResult } from '../contracts/consultationPatient.js';
import { pathParams, type RequestWithId } from '../contracts/params.js';
import { sendError } from '../errors.js';
import { absentBodyIsEmpty } from '../validation.js';

export type ConsultationRoutesOptions = {
  pool: SqlPool;
  reads: DashboardReads;
  store: EventStore;
  clock: Clock;
  commands: ConsultationCommands;
  processes: ProcessRuntime;
  documents: DocumentStore;
  prescribing: PrescribingService;
  dispatch: DispatchService;
  linkSecret: string;
  /** Judges patient keys: signature, age and revocation. */
  links: PatientLinks;
};

/** The patient's key to one consultation travels in this header, never in a URL the API logs. */
export const CONSULTATION_TOKEN_HEADER = 'x-consultation-token';

/** How a consultation waiting on an unavailable vendor reads, in every queue and on the patient page. */
export const PENDING_API_UNAVAILABLE = 'Pending (API Unavailable)';
export const MANUAL_HANDLING = 'Manual handling required';

export const CONSULTATION_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Registers staff actions on a consultation: each a POST `${base}/:id/${path}` whose validated body
 * becomes one command, answered with the consultation's new status. `allowed` may refuse a request
 * first (answering it itself).
 */
export const consultationActions =
  (
    app: FastifyInstance,
    route: {
      base: string;
      tag: string;
      guard: Pick<RouteShorthandOptions, 'preHandler'>;
      allowed?: (request: RequestWithId, reply: FastifyReply) => Promise<boolean>;
    },
  ) =>
  <T>(
    path: string,
    summary: string,
    schema: z.ZodType<T>,
    run: (id: string, body: T, request: FastifyRequest) => Promise<{ state: { status: string } }>,
  ) =>
    app.withTypeProvider<ZodTypeProvider>().post(
      `${route.base}/:id/${path}`,
      {
        ...route.guard,
        preValidation: absentBodyIsEmpty,
        schema: {
          params: pathParams('id'),
          tags: [route.tag],
          summary,
          body: schema,
          response: { 200: consultationActionResult },
        },
      },
      async (request, reply) => {
        const body = request.body as T;
        if (route.allowed && !(await route.allowed(request, reply))) return reply;
        try {
          const result = await run(request.params.id, body, request);
          return { consultationId: request.params.id, status: result.state.status };
        } catch (error) {
          return sendError(error, request, reply);
        }
      },
    );

export const staffOf = (request: FastifyRequest): Staff => ({
  id: request.staff!.id,
  displayName: request.staff!.displayName,
  roles: request.staff!.roles,
});

/** A consultation that has started: its status is one the clients know, never `none`. */
export type StartedView = ConsultationView & {
  state: ConsultationView['state'] & { status: ConsultationStatus };
};

const hasStarted = (view: ConsultationView | null): view is StartedView =>
  view !== null && view.state.status !== 'none';

/**
 * One consultation's view, folded now from its two streams with the projection's own fold: a
 * patient saving a step, or a clinician deciding, reads their own write at once.
 */
export const freshView = async (store: EventStore, consultationId: string): Promise<StartedView | null> => {
  if (!CONSULTATION_ID.test(consultationId)) return null;
  const [own, account] = await Promise.all([
    store.readStream(consultationStream(consultationId)),
    store.readStream(accountStream(consultationId)),
  ]);
  if (own.length === 0) return null;
  const view = [...own, ...account]
    .sort((a, b) => a.globalPosition - b.globalPosition)
    .reduce<ConsultationView | null>(
      (view, event) => applyToConsultationView(view, consultationId, event),
      null,
    );
  // The stream opens with ConsultationStarted, so a folded view has always left `none`.
  return hasStarted(view) ? view : null;
};

export const pendingMarker = (states: readonly (string | null | undefined)[]) =>
  states.includes('manual_handling')
    ? MANUAL_HANDLING
    : states.includes('pending_api_unavailable')
      ? PENDING_API_UNAVAILABLE
      : null;
