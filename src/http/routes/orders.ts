import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { recordPatientDataAccess } from '../../commands/accessLog.js';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { ORDER_STATUSES } from '../../domain/prescription/orderEvents.js';
import { prescriptionCorrectionsSchema } from '../../domain/prescription/validation.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { PENDING_API_UNAVAILABLE } from '../../processes/integrationEvents.js';
import type { ProcessRuntime } from '../../processes/runtime.js';
import { problem } from '../auth/problem.js';
import { sendError } from '../errors.js';
import { jsonSchema, parseOr400 } from '../validation.js';

export type OrderRoutesOptions = {
  pool: pg.Pool;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  processes: ProcessRuntime;
};

const READERS = ['ops', 'pharmacist', 'auditor', 'admin'] as const;
const ORDER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const listQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const reasonBody = z.object({ reason: z.string().trim().min(3).max(500) });
const enrollmentBody = z.object({ email: z.email().max(254).optional() }).strict();
const correctionBody = z.object({
  corrections: prescriptionCorrectionsSchema,
  reason: z.string().trim().min(3).max(500),
});
const pharmacyBody = z.object({ pharmacyId: z.string().min(1).max(64) });
const resubmitBody = reasonBody.extend({
  priorAuthorizationNumber: z.string().trim().max(40).nullable().default(null),
});
const retryBody = z.object({ processManager: z.string().min(1), triggerEventId: z.uuid() });

const actorOf = (request: FastifyRequest) => `staff:${request.staff!.id}`;

const pendingMarker = (incident: { state: string } | undefined) =>
  incident
    ? incident.state === 'manual_handling'
      ? 'manual handling required'
      : PENDING_API_UNAVAILABLE
    : null;

export const orderRoutes: FastifyPluginAsync<OrderRoutesOptions> = async (app, options) => {
  const { pool, store, clock, commands } = options;
  const readers = { preHandler: app.requireRoles(...READERS) };
  const ops = { preHandler: app.requireRoles('ops') };

  const recordRead = (request: FastifyRequest, subjectId: string, resource: string) =>
    recordPatientDataAccess(store, clock, {
      subjectId,
      actor: actorOf(request),
      resource,
      correlationId: request.id,
    });

  const requireKnownOrder = async (orderId: string) => {
    if (!ORDER_ID.test(orderId)) return null;
    const { rows } = await pool.query('SELECT 1 FROM orders WHERE order_id = $1', [orderId]);
    return rows.length > 0 ? orderId : null;
  };

  app.get(
    '/api/orders',
    {
      ...readers,
      schema: {
        tags: ['orders'],
        summary: 'List orders, filtered by status, searched, paged',
        querystring: jsonSchema(listQuery),
      },
    },
    async (request, reply) => {
      const query = parseOr400(listQuery, request.query, reply, 'query');
      if (!query) return reply;
      const search = query.q ? `%${query.q.replaceAll(/[%_\\]/g, '\\$&')}%` : null;
      const { rows } = await pool.query(
        `SELECT o.order_id, o.status, o.status_since, o.received_at, o.updated_at, o.patient_name, o.patient_state,
                o.drug_description, o.pharmacy_name, o.tracking_number, o.patient_pays_minor,
                o.detail->'incident'->>'state' AS incident_state, count(*) OVER () AS total
           FROM orders o
          WHERE ($1::text IS NULL OR o.status = $1)
            AND ($2::text IS NULL OR o.order_id ILIKE $2 OR o.patient_name ILIKE $2 OR o.drug_description ILIKE $2
                 OR o.tracking_number ILIKE $2)
          ORDER BY o.received_at DESC, o.order_id DESC LIMIT $3 OFFSET $4`,
        [query.status ?? null, search, query.pageSize, (query.page - 1) * query.pageSize],
      );
      const items = rows.map((r) => ({
        orderId: r.order_id,
        status: r.status,
        statusSince: r.status_since,
        receivedAt: r.received_at,
        updatedAt: r.updated_at,
        patientName: r.patient_name,
        patientState: r.patient_state,
        drug: r.drug_description,
        pharmacyName: r.pharmacy_name,
        trackingNumber: r.tracking_number,
        patientPaysMinor: r.patient_pays_minor,
        pending: pendingMarker(r.incident_state ? { state: r.incident_state } : undefined),
      }));
      if (items.length > 0)
        await recordRead(
          request,
          `staff${request.staff!.id}`,
          `orders?${new URLSearchParams(query as never)}`,
        );
      return { items, page: query.page, pageSize: query.pageSize, total: Number(rows[0]?.total ?? 0) };
    },
  );

  app.get(
    '/api/orders/counts',
    { ...readers, schema: { tags: ['orders'], summary: 'Orders per status' } },
    async () => {
      const { rows } = await pool.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM orders GROUP BY status',
      );
      return Object.fromEntries(ORDER_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0]));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/orders/:id',
    {
      ...readers,
      schema: { tags: ['orders'], summary: 'One order: patient, prescription, every step so far' },
    },
    async (request, reply) => {
      const { rows } = await pool.query('SELECT o.detail, o.version FROM orders o WHERE o.order_id = $1', [
        request.params.id,
      ]);
      const row = rows[0];
      if (!row) return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
      await recordRead(request, request.params.id, 'order');
      return {
        ...row.detail,
        version: row.version,
        pending: pendingMarker(row.detail.incident ?? undefined),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/orders/:id/events',
    {
      ...readers,
      schema: { tags: ['orders'], summary: 'The order’s full history, every event with its metadata' },
    },
    async (request, reply) => {
      const events = await store.readStream(`order-${request.params.id}`);
      if (events.length === 0)
        return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
      await recordRead(request, request.params.id, 'order-events');
      return {
        orderId: request.params.id,
        events: events.map((e) => ({
          id: e.id,
          type: e.type,
          revision: e.streamRevision,
          position: e.globalPosition,
          // The raw NCPDP message stays in the store; the history shows that it was kept, not its text.
          data:
            e.type === 'PrescriptionReceived'
              ? { ...(e.data as object), rawMessage: '[kept with the order]' }
              : e.data,
          metadata: e.metadata,
        })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/orders/:id/raw-message',
    { ...readers, schema: { tags: ['orders'], summary: 'The NCPDP message exactly as received' } },
    async (request, reply) => {
      const [first] = await store.readStream(`order-${request.params.id}`, { maxCount: 1 });
      if (!first) return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
      await recordRead(request, request.params.id, 'order-raw-message');
      return reply.type('application/xml').send((first.data as { rawMessage: string }).rawMessage);
    },
  );

  /** One ops action: validate the body, run the command, answer with the order's new status. */
  const action = <T>(
    path: string,
    summary: string,
    schema: z.ZodType<T>,
    run: (orderId: string, body: T, request: FastifyRequest) => Promise<{ state: { status: string } }>,
  ) =>
    app.post<{ Params: { id: string } }>(
      `/api/orders/:id/${path}`,
      { ...ops, schema: { tags: ['ops actions'], summary, body: jsonSchema(schema) } },
      async (request, reply) => {
        const body = parseOr400(schema, request.body ?? {}, reply);
        if (body === undefined) return reply;
        if (!(await requireKnownOrder(request.params.id))) {
          return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
        }
        try {
          const result = await run(request.params.id, body, request);
          return { orderId: request.params.id, status: result.state.status };
        } catch (error) {
          return sendError(error, request, reply);
        }
      },
    );

  const meta = (request: FastifyRequest) => ({ actor: actorOf(request), correlationId: request.id });
  action(
    'enrollment',
    'Start enrollment, or resend the link (the old link stops working)',
    enrollmentBody,
    (id, body, r) => commands.issueEnrollmentLink(id, body.email, meta(r)),
  );
  action('corrections', 'Correct prescription fields and revalidate', correctionBody, (id, body, r) =>
    commands.correctPrescription(id, body.corrections, body.reason, meta(r)),
  );
  action('pharmacy', 'Select one of the recommended pharmacies', pharmacyBody, (id, body, r) =>
    commands.selectPharmacy(id, body.pharmacyId, meta(r)),
  );
  action(
    'claim/resubmit',
    'Resubmit a rejected claim (e.g. after prior authorization)',
    resubmitBody,
    (id, body, r) => commands.resubmitClaim(id, body.reason, body.priorAuthorizationNumber, meta(r)),
  );
  action('reship', 'Act on a delivery exception by shipping again', reasonBody, (id, body, r) =>
    commands.requestReshipment(id, body.reason, meta(r)),
  );
  action('cancel', 'Cancel the order', reasonBody, (id, body, r) =>
    commands.cancel(id, body.reason, meta(r)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/orders/:id/integration/retry',
    {
      ...ops,
      schema: {
        tags: ['ops actions'],
        summary: 'Retry a vendor call flagged for manual handling',
        body: jsonSchema(retryBody),
      },
    },
    async (request, reply) => {
      const body = parseOr400(retryBody, request.body, reply);
      if (!body) return reply;
      const trigger = await store.readEventById(body.triggerEventId);
      if (trigger?.streamName !== `order-${request.params.id}`) {
        return problem(reply, 404, 'Not found', 'That event does not belong to this order.');
      }
      await options.processes.retryIntegration(body.processManager, body.triggerEventId, actorOf(request));
      return reply.code(202).send({ orderId: request.params.id, retrying: true });
    },
  );
};
