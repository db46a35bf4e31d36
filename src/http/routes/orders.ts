import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OrderCommands } from '../../commands/prescription/orderCommands.js';
import { PENDING_API_UNAVAILABLE } from '../../domain/integrationEvents.js';
import { orderStream } from '../../domain/prescription/order.js';
import type { Consumers } from '../../eventstore/consumers.js';
import { type EventStore, findEvent } from '../../eventstore/types.js';
import type { DocumentStore } from '../../integrations/documents/port.js';
import { attachmentName, sniffDocumentType } from '../../integrations/documents/sniff.js';
import type { Clock } from '../../platform/clock.js';
import type { SqlPool } from '../../platform/sql.js';
import type { ProcessRuntime } from '../../processes/runtime.js';
import type { DashboardReads } from '../../projections/dashboardReads.js';
import { orderFlow } from '../../projections/orders/orderFlow.js';
import { insuranceCardKeys, orderDetail as orderDetailOf } from '../../projections/orders/orderQueries.js';
import { ordersProjection } from '../../projections/orders/ordersProjection.js';
import { recentOrderChanges } from '../../projections/orders/recentChanges.js';
import { waitForProjection } from '../../projections/runtime.js';
import { smsLineOf } from '../../projections/smsLines.js';
import { problem } from '../auth/problem.js';
import {
  contactBody,
  correctionBody,
  deliveryStatusBody,
  enrollmentBody,
  orderActionResult,
  orderDetail,
  orderHistory,
  orderListQuery,
  orderPage,
  pharmacyBody,
  priorAuthorizationBody,
  reasonBody,
  recentChangesQuery,
  refundBody,
  reshipBody,
  resubmitBody,
  retryAccepted,
  retryBody,
  statusCounts,
} from '../contracts/orders.js';
import { pathParams } from '../contracts/params.js';
import { sendError } from '../errors.js';
import { absentBodyIsEmpty } from '../validation.js';

export type OrderRoutesOptions = {
  pool: SqlPool;
  /** The dashboards' read models: PostgreSQL's, or MongoDB's with READ_MODELS=mongodb. */
  reads: DashboardReads;
  store: EventStore;
  clock: Clock;
  commands: OrderCommands;
  processes: ProcessRuntime;
  documents?: DocumentStore;
  /** Whether the orders read model has caught up with an event (the consumers' wait, on the requests' pool). */
  catchUp: Pick<Consumers, 'caughtUp'>;
};

// Admin manages accounts, not patients: it reads orders only when also granted one of these.
const READERS = ['ops', 'pharmacist', 'auditor'] as const;
const ORDER_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** How long a request waits for the orders read model to show an order the event store holds. */
const PROJECTION_WAIT_MS = 5_000;

const actorOf = (request: FastifyRequest) => `staff:${request.staff!.id}`;

/** The order's worst open vendor call, as the console's status marker. */
const pendingMarker = (states: readonly string[]) =>
  states.includes('manual_handling')
    ? 'manual handling required'
    : states.length > 0
      ? PENDING_API_UNAVAILABLE
      : null;

export const orderRoutes: FastifyPluginAsyncZod<OrderRoutesOptions> = async (app, options) => {
  const { pool, store, clock, commands } = options;
  const readers = { preHandler: app.requireRoles(...READERS) };
  const ops = { preHandler: app.requireRoles('ops') };

  // Asked of the event store, not the orders read model: an order whose NewRx was just accepted may
  // not be projected yet, and ops acting on it then must not be told it does not exist.
  const requireKnownOrder = async (orderId: string) => {
    if (!ORDER_ID.test(orderId)) return null;
    return (await store.streamRevision(orderStream(orderId))) !== null ? orderId : null;
  };

  // An order the event store holds but the orders read model does not show yet (asked for right after
  // its NewRx was accepted) is answered once the read model has caught up with its stream, not as 404.
  const onceProjected = async (orderId: string) => {
    if (!ORDER_ID.test(orderId)) return undefined;
    const [last] = await store.readStream(orderStream(orderId), { direction: 'backwards', maxCount: 1 });
    if (!last) return undefined;
    try {
      await waitForProjection(options.catchUp, ordersProjection, last, PROJECTION_WAIT_MS);
    } catch {
      return 'behind' as const;
    }
    return (await orderDetailOf(pool, orderId)) ?? ('behind' as const);
  };

  app.get(
    '/api/orders',
    {
      ...readers,
      config: {
        phiRead: {
          resource: (request) =>
            `orders?${new URLSearchParams(orderListQuery.parse(request.query) as never)}`,
        },
      },
      schema: {
        tags: ['orders'],
        summary:
          'List orders, filtered by status, searched (patient name, date of birth, MRN, NDC, drug, pharmacy, tracking number, order id), sorted by arrival or by time waiting, paged',
        querystring: orderListQuery,
        response: { 200: orderPage },
      },
    },
    async (request) => {
      const query = request.query;
      const { rows, total } = await options.reads.searchOrders(query);
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
        pending: pendingMarker(r.incident_states),
      }));
      return { items, page: query.page, pageSize: query.pageSize, total };
    },
  );

  app.get(
    '/api/orders/counts',
    {
      ...readers,
      config: { phiRead: false },
      schema: { tags: ['orders'], summary: 'Orders per status', response: { 200: statusCounts } },
    },
    async () => options.reads.orderStatusCounts(),
  );

  app.get(
    '/api/orders/flow',
    {
      ...readers,
      config: { phiRead: false },
      schema: {
        tags: ['orders'],
        summary: 'The flow: orders per status, received and completed per hour, time-in-status percentiles',
      },
    },
    async () => orderFlow(pool, clock.now()),
  );

  app.get(
    '/api/orders/recent-changes',
    {
      ...readers,
      config: { phiRead: { resource: 'orders/recent-changes' } },
      schema: {
        tags: ['orders'],
        summary: 'The newest order changes with their live-feed checkpoints, naming patient and drug',
        querystring: recentChangesQuery,
      },
    },
    async (request) => {
      const query = request.query;
      const items = await recentOrderChanges(pool, query.limit);
      return { items };
    },
  );

  app.get(
    '/api/orders/:id',
    {
      ...readers,
      config: { phiRead: { resource: 'order', idParam: 'id' } },
      schema: {
        params: pathParams('id'),
        tags: ['orders'],
        summary: 'One order: patient, prescription, every step so far',
        response: { 200: orderDetail },
      },
    },
    async (request, reply) => {
      const found =
        (await orderDetailOf(pool, request.params.id)) ?? (await onceProjected(request.params.id));
      if (found === 'behind')
        return problem(
          reply.header('retry-after', '1'),
          503,
          'Order still being recorded',
          `Order ${request.params.id} was received a moment ago and is not yet on the dashboard; ask again in a second.`,
        );
      if (!found) return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
      const { view, version } = found;
      return {
        ...view,
        // Whether the patient has since texted STOP, and what became of the last text.
        ...(view.texts ? { texts: { ...view.texts, line: await smsLineOf(pool, view.texts.phone) } } : {}),
        version,
        pending: pendingMarker(view.incidents.map((i) => i.state)),
      };
    },
  );

  app.get(
    '/api/orders/:id/events',
    {
      ...readers,
      config: { phiRead: { resource: 'order-events', idParam: 'id' } },
      schema: {
        params: pathParams('id'),
        tags: ['orders'],
        summary: 'The order’s full history, every event with its metadata',
        response: { 200: orderHistory },
      },
    },
    async (request, reply) => {
      const events = await store.readStream(`order-${request.params.id}`);
      if (events.length === 0)
        return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
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

  app.get(
    '/api/orders/:id/cards/:side',
    {
      // Those who check the insurance; an auditor follows the record, not the card.
      preHandler: app.requireRoles('ops', 'pharmacist'),
      config: {
        phiRead: {
          resource: (request) => `insurance-card-${(request.params as { side: string }).side}`,
          idParam: 'id',
        },
      },
      schema: {
        params: pathParams('id', 'side'),
        tags: ['orders'],
        summary: 'The insurance-card image the patient uploaded (front or back), as an attachment',
      },
    },
    async (request, reply) => {
      const { id, side } = request.params;
      if (side !== 'front' && side !== 'back')
        return problem(reply, 404, 'Not found', 'The card side is front or back.');
      const order = await insuranceCardKeys(pool, id);
      if (!order) return problem(reply, 404, 'Order not found', `There is no order ${id}.`);
      const key = order.cards?.[side];
      if (!key || !options.documents)
        return problem(reply, 404, 'Not found', 'The patient has not completed enrollment with card images.');
      const stored = await options.documents.get(key);
      if (!stored) return problem(reply, 404, 'Not found', 'The image is no longer in storage.');
      // Judged again by its bytes: the bucket is outside the event store's protection, and a file
      // that is not the image or PDF it was is never handed to a staff browser.
      const type = sniffDocumentType(stored.body);
      if (!type || type !== stored.contentType)
        return problem(
          reply,
          409,
          'Document not servable',
          'The stored image is not the image or PDF it was.',
        );
      return reply
        .type(type)
        .header(
          'content-disposition',
          `attachment; filename="${attachmentName(`insurance-card-${side}-${id}`, type)}"`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(stored.body);
    },
  );

  app.get(
    '/api/orders/:id/raw-message',
    {
      ...readers,
      config: { phiRead: { resource: 'order-raw-message', idParam: 'id' } },
      schema: {
        params: pathParams('id'),
        tags: ['orders'],
        summary: 'The NCPDP message exactly as received',
      },
    },
    async (request, reply) => {
      const [first] = await store.readStream(`order-${request.params.id}`, { maxCount: 1 });
      if (!first) return problem(reply, 404, 'Order not found', `There is no order ${request.params.id}.`);
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
    app.post(
      `/api/orders/:id/${path}`,
      {
        ...ops,
        preValidation: absentBodyIsEmpty,
        schema: {
          params: pathParams('id'),
          tags: ['ops actions'],
          summary,
          body: schema,
          response: { 200: orderActionResult },
        },
      },
      async (request, reply) => {
        const body = request.body as T;
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
  action(
    'prior-authorization',
    'Record a prior authorization approved by fax, phone or portal and resubmit the claim with it',
    priorAuthorizationBody,
    (id, body, r) => commands.recordPriorAuthorization(id, body, meta(r)),
  );
  action(
    'reship',
    'Act on a delivery exception by shipping again, to a corrected address if given',
    reshipBody,
    (id, body, r) => commands.requestReshipment(id, body.reason, body.address, meta(r)),
  );
  action(
    'contact',
    'Correct the patient’s delivery address, phone or e-mail',
    contactBody,
    (id, { reason, ...fields }, r) => commands.correctContact(id, fields, reason, meta(r)),
  );
  action(
    'delivery-status',
    'Record a delivery status heard from the carrier when no scan comes',
    deliveryStatusBody,
    (id, body, r) => commands.recordDeliveryStatus(id, body.status, body.details, meta(r)),
  );
  action('complete', 'Complete a delivered order', z.object({}), (id, _body, r) =>
    commands.complete(id, meta(r)),
  );
  action('cancel', 'Cancel the order; whatever the patient paid is refunded', reasonBody, (id, body, r) =>
    commands.cancel(id, body.reason, meta(r)),
  );
  action('refund', 'Refund part of what the patient paid, with a reason', refundBody, (id, body, r) =>
    commands.requestRefund(id, body.amountMinor, body.reason, meta(r)),
  );
  action(
    'payment/accept',
    'Accept a payment that differs from the amount asked for, and ship',
    reasonBody,
    (id, body, r) => commands.acceptMismatchedPayment(id, body.reason, meta(r)),
  );
  action(
    'payment/refund',
    'Refund a payment that differs from the amount asked for, and ask for payment again',
    reasonBody,
    (id, body, r) => commands.refundMismatchedPayment(id, body.reason, meta(r)),
  );

  app.post(
    '/api/orders/:id/integration/retry',
    {
      ...ops,
      schema: {
        params: pathParams('id'),
        tags: ['ops actions'],
        summary: 'Retry a vendor call flagged for manual handling',
        body: retryBody,
        response: { 202: retryAccepted },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const trigger = await findEvent(store, `order-${request.params.id}`, body.triggerEventId);
      if (!trigger) {
        return problem(reply, 404, 'Not found', 'That event does not belong to this order.');
      }
      await options.processes.retryIntegration(body.processManager, trigger, actorOf(request));
      return reply.code(202).send({ orderId: request.params.id, retrying: true });
    },
  );
};
