import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { scrubbedMessage } from '../../platform/safeError.js';
import type { SqlPool } from '../../platform/sql.js';
import type { ProcessRuntime } from '../../processes/runtime.js';
import { needsAttention } from '../../projections/attention/needsAttention.js';
import { parkedEvents } from '../../projections/attention/parkedEvents.js';
import type { DashboardReads } from '../../projections/dashboardReads.js';
import { unmatchedPayments } from '../../projections/integrationIncidentQueries.js';
import { problem } from '../auth/problem.js';
import {
  attentionList,
  consoleSettings,
  incidentList,
  parkedList,
  parkedRetry,
  unmatchedPaymentList,
} from '../contracts/operations.js';
import { pathParams } from '../contracts/params.js';

export type OperationsRoutesOptions = {
  pool: SqlPool;
  reads: DashboardReads;
  processes: ProcessRuntime;
  store: EventStore;
  clock: Clock;
  /** How long an order or consultation may sit in one status before it needs a look. */
  slaHours: number;
  pharmacyTimeZone: string;
};

const attentionQuery = z.strictObject({
  // A desk may work to a tighter SLA than the pharmacy's; an absurd one is refused, not clamped.
  slaHours: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .optional(),
});

/** What needs a person: events parked after repeated failures, and vendor calls waiting or flagged. */
export const operationsRoutes: FastifyPluginAsyncZod<OperationsRoutesOptions> = async (app, options) => {
  const guard = { preHandler: app.requireRoles('ops', 'admin') };

  app.get(
    '/api/console/settings',
    {
      preHandler: app.requireRoles(),
      schema: {
        tags: ['operations'],
        summary: 'The pharmacy’s time zone and SLA, as staff pages show them',
        response: { 200: consoleSettings },
      },
    },
    async () => ({ timeZone: options.pharmacyTimeZone, slaHours: options.slaHours }),
  );

  app.get(
    '/api/operations/attention',
    {
      // Names patients and drugs: ops only (an admin manages accounts, not patients).
      preHandler: app.requireRoles('ops'),
      config: { phiRead: { resource: 'operations/attention' } },
      schema: {
        tags: ['operations'],
        summary:
          'Needs attention: SLA breaches, open incidents, parked events, payment mismatches, drug reviews, claim rejects; oldest first, each with its next action',
        querystring: attentionQuery,
        response: { 200: attentionList },
      },
    },
    async (request) => {
      const query = request.query;
      const slaHours = query.slaHours ?? options.slaHours;
      const items = await needsAttention(options.pool, { now: options.clock.now(), slaHours });
      return { slaHours, items };
    },
  );

  app.get(
    '/api/operations/parked',
    {
      ...guard,
      schema: {
        tags: ['operations'],
        summary: 'Events parked with their error',
        response: { 200: parkedList },
      },
    },
    async () => {
      const parked = await parkedEvents(options.pool);
      // Quoted values are taken out of the error: they may be patient data.
      return { items: parked.map((p) => ({ ...p, error: scrubbedMessage(p.error) })) };
    },
  );

  app.post(
    '/api/operations/parked/:subscription/:eventId/retry',
    {
      ...guard,
      schema: {
        params: pathParams('subscription', 'eventId'),
        tags: ['operations'],
        summary: 'Retry a parked event',
        response: { 200: parkedRetry },
      },
    },
    async (request, reply) => {
      const name = request.params.subscription.replace(/^process:/, '');
      try {
        const outcome = await options.processes.retryParked(name, request.params.eventId);
        return { outcome };
      } catch (error) {
        return problem(reply, 404, 'Cannot retry', (error as Error).message);
      }
    },
  );

  app.get(
    '/api/operations/incidents',
    {
      ...guard,
      schema: {
        tags: ['operations'],
        summary: 'Vendor calls pending or flagged',
        response: { 200: incidentList },
      },
    },
    async () => {
      const incidents = await options.reads.openIncidents();
      // Vendor and database messages may quote what was sent: quoted values are taken out.
      return { items: incidents.map((r) => ({ ...r, last_error: scrubbedMessage(String(r.last_error)) })) };
    },
  );

  app.get(
    '/api/operations/unmatched-payments',
    {
      ...guard,
      schema: {
        tags: ['operations'],
        summary: 'Verified payment events no order or consultation could take (answered 2xx, kept here)',
        response: { 200: unmatchedPaymentList },
      },
    },
    async () => ({ items: await unmatchedPayments(options.pool) }),
  );
};
