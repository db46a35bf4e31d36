import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { createAccessRecorder } from '../commands/accessLog.js';
import type { EventStore } from '../eventstore/types.js';
import type { Clock } from '../platform/clock.js';

/**
 * What a route that answers with patient data declares in `config.phiRead`; the plugin below records
 * the read, so a route cannot forget it. `false` says, on purpose, that a route shows none.
 */
export type PhiRead =
  | false
  | {
      /** What was read, as the access record names it; from the request when it depends on it. */
      resource: string | ((request: FastifyRequest) => string);
      /**
       * The path parameter naming whose data it is (an order or consultation id). Without one the
       * read spans patients (a list, a queue) and is filed under the staff member reading it. A
       * handler that learns the subject only as it works (a link resolved to its order) names it
       * with `request.phiSubject`.
       */
      idParam?: string;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The read of patient data this route's answer is, recorded for it (see phiReads.ts). */
    phiRead?: PhiRead;
  }
  interface FastifyRequest {
    /** Whose data the answer shows, when the handler learnt it rather than the path naming it. */
    phiSubject?: string;
  }
}

/** The declaration of a route, or undefined when it makes none. */
export const declaredPhiRead = (route: Pick<RouteOptions, 'config'>): PhiRead | undefined =>
  (route.config as { phiRead?: PhiRead } | undefined)?.phiRead;

const subjectOf = (request: FastifyRequest, idParam: string | undefined) =>
  request.phiSubject ??
  (idParam ? (request.params as Record<string, string | undefined>)[idParam] : undefined) ??
  (request.staff ? `staff${request.staff.id}` : undefined);

const readByPatient = (request: FastifyRequest) =>
  (request.routeOptions.config as { access?: { kind?: string } }).access?.kind === 'patient';

/**
 * Records every successful answer of a route declaring `phiRead` as a `PatientDataAccessed` event,
 * before its first byte leaves (an export cut short still counts as read): staff by their id,
 * a patient's link by the order or consultation it opens. Registered once, for every route.
 */
export const registerPhiReads = (app: FastifyInstance, options: { store: EventStore; clock: Clock }) => {
  app.decorateRequest('phiSubject', undefined);
  const record = createAccessRecorder(options.store, options.clock);
  app.addHook('onSend', async (request, reply, payload) => {
    const declared = request.routeOptions.config.phiRead;
    if (!declared || reply.statusCode >= 300) return payload;
    const subjectId = subjectOf(request, declared.idParam);
    if (!subjectId) throw new Error(`${request.routeOptions.url} read patient data for no subject`);
    await record({
      subjectId,
      // A patient's link is the patient's read, even from a browser a staff member is signed in on.
      actor: readByPatient(request) || !request.staff ? `patient:${subjectId}` : `staff:${request.staff.id}`,
      resource: typeof declared.resource === 'string' ? declared.resource : declared.resource(request),
      correlationId: request.id,
    });
    return payload;
  });
};
