import { INTEGRATION_EVENT_TYPES, type IntegrationEvent } from '../domain/integrationEvents.js';
import { streamCategory, streamId } from '../eventstore/types.js';
import { overlapFlag } from './consultations/consultationQueries.js';
import { applyToConsultationView, type ConsultationView } from './consultations/consultationView.js';
import type { PharmacyQueueResult } from './dashboardReads.js';
import type { IntegrationIncidentRow } from './integrationIncidentQueries.js';
import { applyToOrderView, type OrderView, patientName, upgradeOrderView } from './orders/orderView.js';
import type { DocumentProjection } from './viewDocuments.js';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/**
 * The dashboards' views as documents, for a document read model (MongoDB). Each folds exactly as its
 * PostgreSQL projection does and stores, beside the view, the fields the console filters, sorts and
 * searches by — the same the PostgreSQL rows keep as columns.
 */
export const orderDocuments: DocumentProjection<OrderView> = {
  name: 'orders',
  collection: 'orders',
  filter: { kind: 'categories', categories: ['order'] },
  keyOf: (event) => streamId(event.streamName),
  fold(current, event) {
    const view = applyToOrderView(current ? upgradeOrderView(current.view) : null, event);
    if (!view) return undefined;
    return { id: view.orderId, view, version: event.streamRevision + 1, position: event.globalPosition };
  },
  fields: ({ view }) => ({
    orderIdUpper: view.orderId.toUpperCase(),
    status: view.status,
    finished: view.status === 'completed' || view.status === 'cancelled',
    statusSince: date(view.statusSince),
    receivedAt: date(view.receivedAt),
    updatedAt: date(view.updatedAt),
    patientName: patientName(view.prescription),
    patientState: view.prescription.patient.address?.state ?? null,
    patientDob: view.prescription.patient.dateOfBirth ?? null,
    identifiers: Object.values(view.prescription.patient.identifiers ?? {}).map((id) => id.toUpperCase()),
    drugDescription: view.prescription.medication.description ?? null,
    ndc: view.normalisedNdc,
    pharmacyName: view.pharmacy?.name ?? null,
    trackingNumber: view.shipment?.trackingNumber ?? null,
    trackingUpper: view.shipment?.trackingNumber.toUpperCase() ?? null,
    patientPaysMinor: view.adjudication?.patientPaysAfterCouponMinor ?? null,
    incidentStates: view.incidents.map((i) => i.state),
  }),
};

/** One consultation from its own stream and its account stream; its version counts its own stream only. */
export const consultationDocuments: DocumentProjection<ConsultationView> = {
  name: 'consultations',
  collection: 'consultations',
  filter: { kind: 'categories', categories: ['consultation', 'consultationaccount'] },
  keyOf: (event) => streamId(event.streamName),
  fold(current, event) {
    const id = streamId(event.streamName);
    const view = applyToConsultationView(current?.view ?? null, id, event);
    const onOwnStream = event.streamName.startsWith('consultation-');
    return {
      id,
      view,
      version: onOwnStream ? event.streamRevision + 1 : (current?.version ?? 0),
      position: event.globalPosition,
    };
  },
  fields: ({ view }) => {
    const patient = view.account.patient;
    return {
      status: view.state.status,
      statusSince: date(view.statusSince),
      patientName: patient ? `${patient.firstName} ${patient.lastName}` : null,
      productId: view.state.product?.productId ?? null,
      productName: view.state.product?.name ?? null,
      productKind: view.state.product?.kind ?? null,
      reviewQueue: view.state.review?.queue ?? null,
      queuedAt: date(view.state.review?.queuedAt),
      repeatFlagged: view.state.flags.repeatSubmission !== null,
      overlapFlagged: view.state.flags.renewalOverlap !== null,
      draftInactiveSince: date(view.state.flags.draftInactiveSince),
      cancellationRequestedAt: date(view.state.flags.cancellationRequestedAt),
      lastActivityAt: date(view.state.lastActivityAt),
      supplyNumber: view.state.supply?.number ?? null,
      stockBlocked: view.stockBlockedAt !== null,
      trackingNumber: view.shipments.at(-1)?.trackingNumber ?? null,
      planEndsAt: date(view.plan.endsAt),
      renewalOf: view.state.renewalOf?.previousConsultationId ?? null,
      refundsFailed: view.refundsFailed.length,
    };
  },
};

/** A vendor call's key: its stream, its triggering event and the process manager that made it. */
const callKey = (streamName: string, data: { triggerEventId: string; processManager: string }) =>
  JSON.stringify([streamName, data.triggerEventId, data.processManager]);

/**
 * One document per vendor call pending or flagged, removed when the call recovers — the rows of
 * `integration_incidents`, with the id of the order or consultation whose stream holds them.
 */
export const incidentDocuments: DocumentProjection<IntegrationIncidentRow> = {
  name: 'integration-incidents',
  collection: 'incidents',
  filter: { kind: 'eventTypes', eventTypes: INTEGRATION_EVENT_TYPES },
  keyOf(recorded) {
    const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
    return INTEGRATION_EVENT_TYPES.includes(event.type) ? callKey(recorded.streamName, event.data) : null;
  },
  fold(current, recorded) {
    const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
    const at = new Date(recorded.metadata.occurredAt);
    const document = (view: IntegrationIncidentRow) => ({
      id: callKey(recorded.streamName, event.data),
      view,
      version: (current?.version ?? 0) + 1,
      position: recorded.globalPosition,
    });
    switch (event.type) {
      case 'IntegrationCallFailed':
      case 'IntegrationFlaggedForManualHandling': {
        const flagged = event.type === 'IntegrationFlaggedForManualHandling';
        return document({
          stream_name: recorded.streamName,
          trigger_event_id: event.data.triggerEventId,
          process_manager: event.data.processManager,
          integration: event.data.integration,
          attempts: flagged ? event.data.attempts : event.data.attempt,
          last_error: event.data.error,
          next_attempt_at: flagged ? null : date(event.data.nextAttemptAt),
          state: flagged ? 'manual_handling' : 'pending_api_unavailable',
          updated_at: at,
          // The first failure opened the incident; later ones only bring it up to date.
          opened_at: current?.view.opened_at ?? at,
        });
      }
      case 'IntegrationRetryRequested':
        return current
          ? document({
              ...current.view,
              state: 'pending_api_unavailable',
              next_attempt_at: at,
              updated_at: at,
            })
          : undefined;
      case 'IntegrationCallRecovered':
        return current ? null : undefined;
    }
    return undefined;
  },
  fields: ({ view }) => ({
    caseId: streamId(view.stream_name),
    category: streamCategory(view.stream_name),
    state: view.state,
    openedOrUpdatedAt: view.opened_at ?? view.updated_at,
  }),
};

/** Every dashboard view a document read model keeps. */
export const DASHBOARD_DOCUMENTS = [
  orderDocuments,
  consultationDocuments,
  incidentDocuments,
] as readonly DocumentProjection<unknown>[];

/** A consultation document's fields, as `consultationDocuments.fields` stores them. */
type ConsultationFields = Record<string, unknown>;

/** A pharmacy queue item from a consultation document: the same shape the PostgreSQL query answers. */
export const queueItemOfDocument = (
  id: string,
  view: ConsultationView,
  f: ConsultationFields,
  incidentStates: string[],
): PharmacyQueueResult['items'][number] => ({
  consultationId: id,
  status: f.status,
  statusSince: f.statusSince,
  patientName: f.patientName,
  product: { id: f.productId, name: f.productName, kind: f.productKind },
  plan: view.state.plan,
  supplyNumber: f.supplyNumber,
  trackingNumber: f.trackingNumber,
  planEndsAt: f.planEndsAt,
  lastActivityAt: f.lastActivityAt,
  flags: {
    renewalOverlap: overlapFlag(view.state.flags.renewalOverlap),
    repeatSubmission: f.repeatFlagged,
    outOfStock: f.stockBlocked,
    cancellationRequestedAt: f.cancellationRequestedAt,
    draftInactiveSince: f.draftInactiveSince,
    refundFailed: (f.refundsFailed as number) > 0,
  },
  incidentStates,
});
