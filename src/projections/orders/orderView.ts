import type {
  Adjudication,
  OrderEvent,
  OrderStatus,
  Recommendation,
  ShippingLabel,
  ValidationIssue,
} from '../../domain/prescription/orderEvents.js';
import type { NewRxMessage } from '../../domain/prescription/types.js';
import type { IntegrationEvent } from '../../processes/integrationEvents.js';

/** What ops, the patient page and the auditor see of an order: a pure fold over its events. */
export type OrderView = {
  orderId: string;
  status: OrderStatus;
  statusSince: string;
  receivedAt: string;
  updatedAt: string;
  messageId: string;
  patientKey: string | null;
  prescription: NewRxMessage;
  normalisedNdc: string | null;
  validationIssues: ValidationIssue[];
  corrections: { fields: string[]; reason: string; at: string; by: string }[];
  enrollment: {
    linkSentTo: string | null;
    linkExpiresAt: string | null;
    linksIssued: number;
    completedAt: string | null;
    insurance: {
      memberId: string;
      bin: string;
      pcn: string;
      group: string;
      cardholderName: string;
      relationship: string;
    } | null;
    cards: { front: string; back: string } | null;
    consentVersion: string | null;
  };
  recommendations: Recommendation[];
  pharmacy: { id: string; name: string; score: number | null } | null;
  adjudication: Adjudication | null;
  claimRejects: { code: string; message: string }[];
  payment: {
    status: 'none' | 'link_sent' | 'expired' | 'paid' | 'waived';
    url: string | null;
    sessionId: string | null;
    amountMinor: number | null;
    paidAt: string | null;
  };
  shipment: (ShippingLabel & { coldChain: boolean; shippedAt: string }) | null;
  tracking: { status: string; statusDate: string; details: string | null }[];
  cancellation: { reason: string; at: string; by: string } | null;
  completedAt: string | null;
  /** A vendor call waiting on the retry schedule, or flagged for a person; null when none is. */
  incident: {
    state: 'pending_api_unavailable' | 'manual_handling';
    integration: string;
    processManager: string;
    triggerEventId: string;
    attempts: number;
    nextAttemptAt: string | null;
    lastError: string;
  } | null;
};

type Recorded = { type: string; data: unknown; metadata: { occurredAt: string; actor: string } };

const withStatus = (view: OrderView, status: OrderStatus, at: string): OrderView =>
  view.status === status ? { ...view, updatedAt: at } : { ...view, status, statusSince: at, updatedAt: at };

export const patientName = (prescription: NewRxMessage) =>
  [prescription.patient.firstName, prescription.patient.middleName, prescription.patient.lastName]
    .filter(Boolean)
    .join(' ');

/** Applies one event; events the view does not know (e.g. integration attempts) only touch updatedAt. */
export const applyToOrderView = (view: OrderView | null, recorded: Recorded): OrderView | null => {
  const event = { type: recorded.type, data: recorded.data } as OrderEvent;
  const at = recorded.metadata.occurredAt;
  if (event.type === 'PrescriptionReceived') {
    return {
      orderId: event.data.orderId,
      status: 'received',
      statusSince: at,
      receivedAt: event.data.receivedAt,
      updatedAt: at,
      messageId: event.data.messageId,
      patientKey: event.data.patientKey,
      prescription: event.data.prescription,
      normalisedNdc: null,
      validationIssues: [],
      corrections: [],
      enrollment: {
        linkSentTo: null,
        linkExpiresAt: null,
        linksIssued: 0,
        completedAt: null,
        insurance: null,
        cards: null,
        consentVersion: null,
      },
      recommendations: [],
      pharmacy: null,
      adjudication: null,
      claimRejects: [],
      payment: { status: 'none', url: null, sessionId: null, amountMinor: null, paidAt: null },
      shipment: null,
      tracking: [],
      cancellation: null,
      completedAt: null,
      incident: null,
    };
  }
  if (!view) return null;
  switch (event.type) {
    case 'PrescriptionValidated':
      return {
        ...withStatus(view, 'validated', at),
        normalisedNdc: event.data.normalisedNdc,
        validationIssues: [],
      };
    case 'PrescriptionValidationFailed':
      return { ...withStatus(view, 'validation_issue', at), validationIssues: event.data.issues };
    case 'PrescriptionCorrected':
      return {
        ...withStatus(view, 'received', at),
        prescription: event.data.prescription,
        corrections: [
          ...view.corrections,
          { fields: event.data.correctedFields, reason: event.data.reason, at, by: recorded.metadata.actor },
        ],
      };
    case 'EnrollmentLinkIssued':
      return {
        ...withStatus(view, 'awaiting_enrollment', at),
        enrollment: {
          ...view.enrollment,
          linkSentTo: event.data.email,
          linkExpiresAt: event.data.expiresAt,
          linksIssued: view.enrollment.linksIssued + 1,
        },
      };
    case 'EnrollmentCompleted':
      return {
        ...withStatus(view, 'awaiting_routing', at),
        enrollment: {
          ...view.enrollment,
          completedAt: at,
          insurance: event.data.insurance,
          cards: { front: event.data.cardFront.key, back: event.data.cardBack.key },
          consentVersion: event.data.consent.version,
        },
      };
    case 'PharmaciesRecommended':
      return {
        ...withStatus(view, 'awaiting_pharmacy_selection', at),
        recommendations: event.data.recommendations,
      };
    case 'PharmacySelected':
      return {
        ...withStatus(view, 'pharmacy_selected', at),
        pharmacy: { id: event.data.pharmacyId, name: event.data.pharmacyName, score: event.data.score },
      };
    case 'ClaimAdjudicated':
      return { ...withStatus(view, 'adjudicated', at), adjudication: event.data, claimRejects: [] };
    case 'ClaimRejected':
      return { ...withStatus(view, 'adjudication_rejected', at), claimRejects: event.data.rejects };
    case 'ClaimResubmitted':
      return withStatus(view, 'pharmacy_selected', at);
    case 'PaymentLinkCreated':
      return {
        ...withStatus(view, 'awaiting_payment', at),
        payment: {
          ...view.payment,
          status: 'link_sent',
          url: event.data.url,
          sessionId: event.data.sessionId,
          amountMinor: event.data.amountMinor,
        },
      };
    case 'PaymentLinkExpired':
      return { ...view, updatedAt: at, payment: { ...view.payment, status: 'expired' } };
    case 'PaymentReceived':
      return {
        ...withStatus(view, 'paid', at),
        payment: { ...view.payment, status: 'paid', paidAt: at, amountMinor: event.data.amountMinor },
      };
    case 'PaymentWaived':
      return {
        ...withStatus(view, 'paid', at),
        payment: { ...view.payment, status: 'waived', amountMinor: 0, paidAt: at },
      };
    case 'ShippingLabelPurchased':
      return { ...withStatus(view, 'shipped', at), shipment: { ...event.data, shippedAt: at } };
    case 'DeliveryStatusUpdated':
      return {
        ...withStatus(view, event.data.status, at),
        tracking: [
          ...view.tracking,
          { status: event.data.status, statusDate: event.data.statusDate, details: event.data.details },
        ],
      };
    case 'DeliveryExceptionRaised':
      return {
        ...withStatus(view, 'delivery_exception', at),
        tracking: [
          ...view.tracking,
          {
            status: event.data.carrierStatus,
            statusDate: event.data.statusDate,
            details: event.data.details,
          },
        ],
      };
    case 'ReshipmentRequested':
      return { ...withStatus(view, 'paid', at), shipment: null };
    case 'OrderCompleted':
      return { ...withStatus(view, 'completed', at), completedAt: at };
    case 'OrderCancelled':
      return {
        ...withStatus(view, 'cancelled', at),
        cancellation: { reason: event.data.reason, at, by: recorded.metadata.actor },
      };
    default:
      return applyIntegrationEvent({ ...view, updatedAt: at }, recorded);
  }
};

/** Integration attempts live in the order's stream, so the order view shows them without lagging. */
const applyIntegrationEvent = (view: OrderView, recorded: Recorded): OrderView => {
  const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
  switch (event.type) {
    case 'IntegrationCallFailed':
      return {
        ...view,
        incident: {
          state: 'pending_api_unavailable',
          integration: event.data.integration,
          processManager: event.data.processManager,
          triggerEventId: event.data.triggerEventId,
          attempts: event.data.attempt,
          nextAttemptAt: event.data.nextAttemptAt,
          lastError: event.data.error,
        },
      };
    case 'IntegrationFlaggedForManualHandling':
      return {
        ...view,
        incident: {
          state: 'manual_handling',
          integration: event.data.integration,
          processManager: event.data.processManager,
          triggerEventId: event.data.triggerEventId,
          attempts: event.data.attempts,
          nextAttemptAt: null,
          lastError: event.data.error,
        },
      };
    case 'IntegrationRetryRequested':
      return view.incident
        ? {
            ...view,
            incident: {
              ...view.incident,
              state: 'pending_api_unavailable',
              nextAttemptAt: recorded.metadata.occurredAt,
            },
          }
        : view;
    case 'IntegrationCallRecovered':
      return view.incident?.triggerEventId === event.data.triggerEventId ? { ...view, incident: null } : view;
    default:
      return view;
  }
};
