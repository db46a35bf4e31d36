import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findProduct } from '../../domain/consultation/catalogue.js';
import { CONSULTATION_TIMEOUT_DAYS } from '../../domain/consultation/decideExceptions.js';
import { findEvent } from '../../eventstore/types.js';
import { attachmentName, sniffDocumentType } from '../../integrations/documents/sniff.js';
import { DAY } from '../../platform/clock.js';
import { newUuid } from '../../platform/ids.js';
import {
  consultationIncidents,
  PHARMACY_VIEW_NAMES,
} from '../../projections/consultations/consultationQueries.js';
import { stockLevels } from '../../projections/consultations/stockQueries.js';
import { problem } from '../auth/problem.js';
import {
  consultationHistory,
  integrationRetryAccepted,
  pharmacyCase,
  pharmacyList,
  stockChanged,
  stockList,
} from '../contracts/consultationPharmacy.js';
import { pathParams } from '../contracts/params.js';
import { sendError } from '../errors.js';
import { absentBodyIsEmpty } from '../validation.js';
import {
  type ConsultationRoutesOptions,
  consultationActions,
  freshView,
  pendingMarker,
  staffOf,
} from './consultationShared.js';

const listQuery = z.object({
  view: z.enum(PHARMACY_VIEW_NAMES).default('dispensing'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const reason = z.string().trim().min(3).max(2_000);
const packBody = z.object({ acknowledgeRenewalOverlap: z.boolean().default(false) });
const trackingBody = z.object({
  status: z.enum(['in_transit', 'out_for_delivery', 'delivered', 'failed', 'returned']),
  details: z.string().trim().max(500).nullable().default(null),
});
const deliveryBody = z.object({ action: z.enum(['redispatch', 'contact_patient', 'refund']), note: reason });
const idReviewBody = z.object({ outcome: z.enum(['pass', 'fail']), reason });
const reasonBody = z.object({ reason });
const empty = z.object({});
const pmrBody = z.object({ pmrPatientId: z.string().trim().min(1).max(64) });
const retryBody = z.object({ processManager: z.string().min(1), triggerEventId: z.uuid() });
const receiptBody = z.object({
  quantity: z.number().int().min(1).max(100_000),
  note: z.string().trim().max(500).default('delivery'),
});
const adjustmentBody = z.object({ delta: z.number().int().min(-100_000).max(100_000), reason });

/**
 * The pharmacy team's side (ops and pharmacists): the queue and its exceptions, the dispensing
 * slip, packing against stock, delivery and the actions on a failed one, identity reviews,
 * cancellations, timeouts and refunds, paused instalments, stock. Every read of patient data is
 * recorded.
 */
export const consultationPharmacyRoutes: FastifyPluginAsyncZod<ConsultationRoutesOptions> = async (
  app,
  options,
) => {
  const { pool, store, clock, commands } = options;
  const team = { preHandler: app.requireRoles('ops', 'pharmacist') };

  app.get(
    '/api/pharmacy/consultations',
    {
      config: {
        phiRead: {
          resource: (request) => `pharmacy-queue?view=${listQuery.parse(request.query).view}`,
        },
      },
      ...team,
      schema: {
        tags: ['consultation: pharmacy'],
        summary: 'The pharmacy queue by view',
        querystring: listQuery,
        response: { 200: pharmacyList },
      },
    },
    async (request) => {
      const query = request.query;
      const stalledBefore = new Date(clock.now().getTime() - CONSULTATION_TIMEOUT_DAYS * DAY);
      const { total, items } = await options.reads.pharmacyQueue({ ...query, stalledBefore });
      return {
        view: query.view,
        page: query.page,
        pageSize: query.pageSize,
        total,
        items: items.map(({ incidentStates, ...item }) => ({
          ...item,
          pending: pendingMarker(incidentStates),
        })),
      };
    },
  );

  app.get(
    '/api/pharmacy/consultations/:id',
    {
      config: { phiRead: { resource: 'consultation', idParam: 'id' } },
      ...team,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'One consultation as the pharmacy team sees it',
        response: { 200: pharmacyCase },
      },
    },
    async (request, reply) => {
      const view = await freshView(store, request.params.id);
      if (!view) return problem(reply, 404, 'Not found', `There is no consultation ${request.params.id}.`);
      const incidents = await consultationIncidents(pool, request.params.id);
      const { state, account } = view;
      return {
        consultationId: view.consultationId,
        status: state.status,
        statusSince: view.statusSince,
        pending: pendingMarker(incidents.map((i) => i.state)),
        incidents,
        // The date of birth the patient gave, beside the ID the team compares it with.
        patient: account.patient && {
          ...account.patient,
          dateOfBirth: state.submitted?.answers.dateOfBirth ?? null,
        },
        product: state.product,
        plan: state.plan,
        price: state.price,
        period: state.period,
        supply: state.supply,
        suppliesDispatched: state.suppliesDispatched,
        flags: {
          ...state.flags,
          renewalOverlap: state.flags.renewalOverlap && {
            ...state.flags.renewalOverlap,
            banner: `RENEWAL OVERLAP: an earlier plan runs until ${state.flags.renewalOverlap.activePlanEndsAt.slice(0, 10)}. Confirm overlapping supply is appropriate when packing.`,
          },
          outOfStockSince: view.stockBlockedAt,
        },
        charges: state.charges,
        stripeCustomerId: account.stripeCustomerId,
        instalmentCharges: view.instalmentCharges,
        paymentFailures: view.paymentFailures,
        refund: state.refund,
        refundsFailed: view.refundsFailed,
        identity: {
          verifiedAt: state.identityVerifiedAt,
          ...view.identity,
          documentCheck: account.idDocumentCheck,
        },
        decision: view.decision,
        autoDenial: view.autoDenial,
        messages: view.messages,
        prescription: state.prescription,
        gpLetter: view.gpLetter,
        pmr: view.pmr,
        shipments: view.shipments,
        tracking: view.tracking,
        deliveryActions: view.deliveryActions,
        cancellation: view.cancellation,
        planDates: view.plan,
        renewalOf: state.renewalOf?.previousConsultationId ?? null,
        renewalConsultationId: state.renewalConsultationId,
        consultationRequired: view.consultationRequired,
        lastActivityAt: state.lastActivityAt,
      };
    },
  );

  app.get(
    '/api/pharmacy/consultations/:id/events',
    {
      config: { phiRead: { resource: 'consultation-events', idParam: 'id' } },
      // Auditors replay a consultation as they replay an order; the read is recorded as any other.
      preHandler: app.requireRoles('ops', 'pharmacist', 'auditor'),
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'The consultation’s full history',
        response: { 200: consultationHistory },
      },
    },
    async (request, reply) => {
      const view = await freshView(store, request.params.id);
      if (!view) return problem(reply, 404, 'Not found', `There is no consultation ${request.params.id}.`);
      const events = [
        ...(await commands.history(request.params.id)),
        ...(await store.readStream(`consultationaccount-${request.params.id}`)),
      ].sort((a, b) => a.globalPosition - b.globalPosition);
      return {
        consultationId: request.params.id,
        events: events.map((e) => ({
          id: e.id,
          stream: e.streamName,
          type: e.type,
          revision: e.streamRevision,
          position: e.globalPosition,
          data: e.data,
          metadata: e.metadata,
        })),
      };
    },
  );

  app.get(
    '/api/pharmacy/consultations/:id/slip',
    {
      config: { phiRead: { resource: 'dispensing-slip', idParam: 'id' } },
      ...team,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'The dispensing slip (PDF) of the supply in hand; reading it records nothing but the read',
      },
    },
    async (request, reply) => {
      try {
        const { pdf, slipId } = await commands.staff.slip(request.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${slipId}.pdf"`)
          .send(pdf);
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.get(
    '/api/pharmacy/consultations/:id/label',
    {
      config: { phiRead: { resource: 'shipping-label', idParam: 'id' } },
      ...team,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'The Royal Mail label of the supply in hand (PDF)',
      },
    },
    async (request, reply) => {
      const view = await freshView(store, request.params.id);
      const shipment = view?.state.supply?.shipmentId;
      if (!view || !shipment)
        return problem(reply, 404, 'Not found', 'No parcel is booked for the supply in hand.');
      try {
        const label = await options.dispatch.getLabel(shipment);
        return reply.type('application/pdf').send(label);
      } catch (error) {
        return sendError(error, request, reply);
      }
    },
  );

  app.get(
    '/api/pharmacy/consultations/:id/id-document',
    {
      config: { phiRead: { resource: 'id-document', idParam: 'id' } },
      ...team,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'The photo ID the patient uploaded, for the manual review',
      },
    },
    async (request, reply) => {
      const view = await freshView(store, request.params.id);
      const key = view?.identity.document?.key;
      if (!key) return problem(reply, 404, 'Not found', 'The patient has not uploaded an identity document.');
      const stored = await options.documents.get(key);
      if (!stored) return problem(reply, 404, 'Not found', 'The document is no longer in storage.');
      // Judged again by its bytes: the bucket is outside the event store's protection.
      const type = sniffDocumentType(stored.body);
      if (!type || type !== stored.contentType)
        return problem(
          reply,
          409,
          'Document not servable',
          'The stored document is not the image or PDF it was.',
        );
      return reply
        .type(type)
        .header(
          'content-disposition',
          `attachment; filename="${attachmentName(`photo-id-${request.params.id}`, type)}"`,
        )
        .header('cache-control', 'no-store')
        .send(stored.body);
    },
  );

  /** One team action: the body, one command, the consultation's new status. */
  const action = consultationActions(app, {
    base: '/api/pharmacy/consultations',
    tag: 'consultation: pharmacy',
    guard: team,
  });

  const s = commands.staff;
  action(
    'slip/printed',
    'Record that the dispensing slip of the supply in hand was printed (Phase 9); a reprint changes nothing',
    empty,
    (id, _b, r) => s.recordSlipPrinted(id, staffOf(r)),
  );
  action(
    'pack',
    'Pack the supply in hand (one unit off the shelf; blocked when out of stock)',
    packBody,
    (id, b, r) => s.pack(id, staffOf(r), b.acknowledgeRenewalOverlap),
  );
  action(
    'tracking',
    'Enter a delivery status by hand (when the Royal Mail webhook is not there)',
    trackingBody,
    (id, b, r) => s.recordTracking(id, staffOf(r), b.status, b.details),
  );
  action(
    'delivery-failure',
    'Act on a failed or returned delivery: re-dispatch, contact the patient, or refund',
    deliveryBody,
    (id, b, r) => s.resolveDeliveryFailure(id, staffOf(r), b.action, b.note),
  );
  action('id-review', 'Decide the uploaded photo ID (a fail rejects and refunds)', idReviewBody, (id, b, r) =>
    s.reviewIdDocument(id, staffOf(r), b.outcome, b.reason),
  );
  action('cancel', 'Cancel (after the patient asked) and refund whatever was paid', reasonBody, (id, b, r) =>
    s.cancel(id, staffOf(r), b.reason),
  );
  action('refunds/retry', 'Ask Stripe again for a refund it failed (an expired card)', empty, (id, _b, r) =>
    s.retryRefund(id, staffOf(r)),
  );
  action('timeout', 'Close a case untouched for 30 days and refund', empty, (id, _b, r) =>
    s.rejectTimedOut(id, staffOf(r)),
  );
  action('abandon', 'Abandon a draft untouched for 30 days', empty, (id, _b, r) =>
    s.abandonDraft(id, staffOf(r)),
  );
  action('instalments/retry', 'Retry the failed monthly charge of a paused plan now', empty, (id, _b, r) =>
    s.retryInstalmentCharge(id, staffOf(r)),
  );
  action(
    'instalments/cancel',
    'Cancel the remaining instalments; the plan ends with the last paid month',
    reasonBody,
    (id, b, r) => s.cancelRemainingInstalments(id, staffOf(r), b.reason),
  );
  action(
    'pmr/manual-export',
    'Record a manual export to the PMR (TitanPMR unavailable)',
    pmrBody,
    (id, b, r) => s.recordManualPmrExport(id, staffOf(r), b.pmrPatientId),
  );

  app.post(
    '/api/pharmacy/consultations/:id/integration/retry',
    {
      ...team,
      schema: {
        params: pathParams('id'),
        tags: ['consultation: pharmacy'],
        summary: 'Retry a vendor call flagged for manual handling',
        body: retryBody,
        response: { 202: integrationRetryAccepted },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const id = request.params.id;
      const trigger =
        (await findEvent(store, `consultation-${id}`, body.triggerEventId)) ??
        (await findEvent(store, `consultationaccount-${id}`, body.triggerEventId));
      if (!trigger) {
        return problem(reply, 404, 'Not found', 'That event does not belong to this consultation.');
      }
      await options.processes.retryIntegration(body.processManager, trigger, `staff:${request.staff!.id}`);
      return reply.code(202).send({ consultationId: id, retrying: true });
    },
  );

  app.get(
    '/api/pharmacy/stock',
    {
      config: { phiRead: false },
      ...team,
      schema: {
        tags: ['consultation: pharmacy'],
        summary: 'Stock on hand per product, with low-stock flags',
        response: { 200: stockList },
      },
    },
    async () => ({ items: await stockLevels(pool) }),
  );

  const stockAction = <T>(
    path: string,
    summary: string,
    schema: z.ZodType<T>,
    run: (product: NonNullable<ReturnType<typeof findProduct>>, body: T, actor: string) => Promise<unknown>,
  ) =>
    app.post(
      `/api/pharmacy/stock/:productId/${path}`,
      {
        ...team,
        preValidation: absentBodyIsEmpty,
        schema: {
          params: pathParams('productId'),
          tags: ['consultation: pharmacy'],
          summary,
          body: schema,
          response: { 200: stockChanged },
        },
      },
      async (request, reply) => {
        const body = request.body as T;
        const product = findProduct(request.params.productId);
        if (!product)
          return problem(reply, 404, 'Not found', `There is no product ${request.params.productId}.`);
        try {
          await run(product, body, `staff:${request.staff!.id}`);
          return { productId: product.id, onHand: await commands.stock.onHand(product.id) };
        } catch (error) {
          return sendError(error, request, reply);
        }
      },
    );

  stockAction('receipts', 'Book a stock delivery in', receiptBody, (product, b, actor) =>
    commands.stock.receive(product, b.quantity, b.note, { actor, commandId: newUuid() }),
  );
  stockAction(
    'adjustments',
    'Correct stock after a count (positive or negative)',
    adjustmentBody,
    (product, b, actor) => commands.stock.adjust(product, b.delta, b.reason, { actor, commandId: newUuid() }),
  );
};
