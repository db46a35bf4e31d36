import type { IntegrationEvent } from '../../domain/integrationEvents.js';
import type {
  Adjudication,
  OrderEvent,
  OrderStatus,
  PatientContact,
  Recommendation,
  RefundKind,
  ShippingLabel,
  ValidationIssue,
} from '../../domain/prescription/orderEvents.js';
import { statusAfter } from '../../domain/prescription/orderState.js';
import type { NewRxMessage } from '../../domain/prescription/types.js';

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
  /** Set while the order waits for a pharmacist to classify its drug. */
  drugReview: { ndc11: string; reason: string; message: string; since: string } | null;
  /** Set while no pharmacy in the network can take the order; it routes as soon as one can. */
  routingBlock: { reason: string; message: string; since: string } | null;
  recommendations: Recommendation[];
  pharmacy: { id: string; name: string; score: number | null } | null;
  adjudication: Adjudication | null;
  claimRejects: { code: string; message: string }[];
  payment: {
    status: 'none' | 'link_sent' | 'expired' | 'closed' | 'paid' | 'waived' | 'mismatch';
    /** The pay link, while the patient may still use it. */
    url: string | null;
    sessionId: string | null;
    amountMinor: number | null;
    paidAt: string | null;
    /** A payment that was not the amount or currency asked for, held for ops. */
    mismatch: {
      paymentIntentId: string;
      expectedMinor: number;
      receivedMinor: number;
      currency: string;
    } | null;
  };
  /** Every cent: what was taken, what went back, what the pharmacy keeps. */
  money: MoneyLedger;
  priorAuthorization: { number: string; receivedVia: string; at: string; by: string } | null;
  /** Where the parcel goes and how to reach the patient, as corrected by staff. */
  contact: PatientContact;
  contactCorrections: { fields: string[]; reason: string; at: string; by: string }[];
  /** The mobile the patient asked at enrollment to be texted on (absent: e-mail only). */
  texts?: {
    phone: string;
    chosenAt: string;
    /** Added by the detail route from the phone line's read model (`sms_lines`), never stored here. */
    line?: { optedOut: boolean; lastStatus: string | null; lastErrorCode: string | null };
  };
  shipment: (ShippingLabel & { coldChain: boolean; shippedAt: string }) | null;
  tracking: { status: string; statusDate: string; details: string | null }[];
  cancellation: { reason: string; at: string; by: string } | null;
  completedAt: string | null;
  /** Vendor calls waiting on the retry schedule or flagged for a person, one per call. */
  incidents: Incident[];
};

export type Incident = {
  state: 'pending_api_unavailable' | 'manual_handling';
  integration: string;
  processManager: string;
  triggerEventId: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string;
};

export type MoneyLedger = {
  payments: {
    paymentIntentId: string;
    amountMinor: number;
    currency: string;
    at: string;
    /** `order`: paid the order; `mismatch`: held for ops; `unexpected`: arrived when not wanted. */
    kind: 'order' | 'mismatch' | 'unexpected';
  }[];
  refunds: {
    refundId: string;
    paymentIntentId: string;
    amountMinor: number;
    currency: string;
    kind: RefundKind;
    reason: string;
    status: 'requested' | 'settled' | 'failed';
    requestedAt: string;
    requestedBy: string;
    settledAt: string | null;
    failureReason: string | null;
  }[];
  chargedMinor: number;
  refundedMinor: number;
  refundPendingMinor: number;
  /** Charged less refunded: what the pharmacy keeps once pending refunds settle, plus those pending. */
  keptMinor: number;
};

const emptyLedger = (): MoneyLedger => ({
  payments: [],
  refunds: [],
  chargedMinor: 0,
  refundedMinor: 0,
  refundPendingMinor: 0,
  keptMinor: 0,
});

/** Totals recomputed from the entries, so they can never drift from them. */
const totalled = (
  money: Omit<MoneyLedger, 'chargedMinor' | 'refundedMinor' | 'refundPendingMinor' | 'keptMinor'>,
): MoneyLedger => {
  const chargedMinor = money.payments.reduce((sum, p) => sum + p.amountMinor, 0);
  const sumOf = (status: string) =>
    money.refunds.filter((r) => r.status === status).reduce((sum, r) => sum + r.amountMinor, 0);
  const refundedMinor = sumOf('settled');
  return {
    ...money,
    chargedMinor,
    refundedMinor,
    refundPendingMinor: sumOf('requested'),
    keptMinor: chargedMinor - refundedMinor,
  };
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
      drugReview: null,
      routingBlock: null,
      recommendations: [],
      pharmacy: null,
      adjudication: null,
      claimRejects: [],
      payment: {
        status: 'none',
        url: null,
        sessionId: null,
        amountMinor: null,
        paidAt: null,
        mismatch: null,
      },
      money: emptyLedger(),
      priorAuthorization: null,
      contact: {
        address: event.data.prescription.patient.address ?? {},
        phone: event.data.prescription.patient.phone ?? null,
        email: event.data.prescription.patient.email ?? null,
      },
      contactCorrections: [],
      shipment: null,
      tracking: [],
      cancellation: null,
      completedAt: null,
      incidents: [],
    };
  }
  if (!view) return null;
  // The status comes from the order decider's own rule (statusAfter); the view adds the facts.
  const next = applyFacts(view, event, recorded, at);
  const status = statusAfter(event);
  return status ? withStatus(next, status, at) : next;
};

const touched = (view: OrderView, at: string): OrderView => ({ ...view, updatedAt: at });

/** Everything an event changes in the view besides the status. */
const applyFacts = (view: OrderView, event: OrderEvent, recorded: Recorded, at: string): OrderView => {
  switch (event.type) {
    case 'PrescriptionValidated':
      return {
        ...touched(view, at),
        normalisedNdc: event.data.normalisedNdc,
        validationIssues: [],
      };
    case 'PrescriptionValidationFailed':
      return { ...touched(view, at), validationIssues: event.data.issues };
    case 'PrescriptionCorrected':
      return {
        ...touched(view, at),
        prescription: event.data.prescription,
        contact: {
          address: event.data.prescription.patient.address ?? {},
          phone: event.data.prescription.patient.phone ?? null,
          email: event.data.prescription.patient.email ?? null,
        },
        corrections: [
          ...view.corrections,
          { fields: event.data.correctedFields, reason: event.data.reason, at, by: recorded.metadata.actor },
        ],
      };
    case 'EnrollmentLinkIssued':
      return {
        ...touched(view, at),
        enrollment: {
          ...view.enrollment,
          linkSentTo: event.data.email,
          linkExpiresAt: event.data.expiresAt,
          linksIssued: view.enrollment.linksIssued + 1,
        },
      };
    case 'EnrollmentCompleted':
      return {
        ...touched(view, at),
        enrollment: {
          ...view.enrollment,
          completedAt: at,
          insurance: event.data.insurance,
          cards: { front: event.data.cardFront.key, back: event.data.cardBack.key },
          consentVersion: event.data.consent.version,
        },
      };
    case 'DrugReviewRequired':
      return {
        ...touched(view, at),
        drugReview: {
          ndc11: event.data.ndc11,
          reason: event.data.reason,
          message: event.data.message,
          since: at,
        },
      };
    case 'DrugReviewCleared':
      return { ...touched(view, at), drugReview: null };
    case 'RoutingBlocked':
      return {
        ...view,
        updatedAt: at,
        routingBlock: { reason: event.data.reason, message: event.data.message, since: at },
      };
    case 'PharmaciesRecommended':
      return {
        ...touched(view, at),
        recommendations: event.data.recommendations,
        routingBlock: null,
      };
    case 'PharmacySelected':
      return {
        ...touched(view, at),
        pharmacy: { id: event.data.pharmacyId, name: event.data.pharmacyName, score: event.data.score },
      };
    case 'ClaimAdjudicated':
      return { ...touched(view, at), adjudication: event.data, claimRejects: [] };
    case 'ClaimRejected':
      return { ...touched(view, at), claimRejects: event.data.rejects };
    case 'ClaimResubmitted':
      return touched(view, at);
    case 'PaymentLinkCreated':
      return {
        ...touched(view, at),
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
    case 'PaymentLinkClosed':
      return view.payment.sessionId === event.data.sessionId && view.payment.status === 'link_sent'
        ? { ...view, updatedAt: at, payment: { ...view.payment, status: 'closed', url: null } }
        : { ...view, updatedAt: at };
    case 'PaymentReceived':
      return {
        ...touched(view, at),
        payment: {
          ...view.payment,
          status: 'paid',
          paidAt: at,
          amountMinor: event.data.amountMinor,
          url: null,
        },
        money: withPayment(view.money, event.data, at, 'order'),
      };
    case 'PaymentAmountMismatched':
      return {
        ...touched(view, at),
        payment: {
          ...view.payment,
          status: 'mismatch',
          url: null,
          mismatch: {
            paymentIntentId: event.data.paymentIntentId,
            expectedMinor: event.data.expectedMinor,
            receivedMinor: event.data.amountMinor,
            currency: event.data.currency,
          },
        },
        money: withPayment(view.money, event.data, at, 'mismatch'),
      };
    case 'PaymentMismatchAccepted':
      return {
        ...touched(view, at),
        payment: { ...view.payment, status: 'paid', paidAt: at, mismatch: null },
      };
    case 'PaymentReopened':
      return {
        ...touched(view, at),
        payment: { ...view.payment, status: 'none', url: null, sessionId: null, mismatch: null },
      };
    case 'UnexpectedPaymentReceived':
      return { ...view, updatedAt: at, money: withPayment(view.money, event.data, at, 'unexpected') };
    case 'PaymentWaived':
      return {
        ...touched(view, at),
        payment: { ...view.payment, status: 'waived', amountMinor: 0, paidAt: at },
      };
    case 'RefundRequested':
      return {
        ...view,
        updatedAt: at,
        money: totalled({
          ...view.money,
          refunds: [
            ...view.money.refunds,
            {
              refundId: event.data.refundId,
              paymentIntentId: event.data.paymentIntentId,
              amountMinor: event.data.amountMinor,
              currency: event.data.currency,
              kind: event.data.kind,
              reason: event.data.reason,
              status: 'requested',
              requestedAt: at,
              requestedBy: recorded.metadata.actor,
              settledAt: null,
              failureReason: null,
            },
          ],
        }),
      };
    case 'RefundSettled':
      return {
        ...view,
        updatedAt: at,
        money: withRefund(view.money, event.data.refundId, { status: 'settled', settledAt: at }),
      };
    case 'RefundFailed':
      return {
        ...view,
        updatedAt: at,
        money: withRefund(view.money, event.data.refundId, {
          status: 'failed',
          failureReason: event.data.reason,
        }),
      };
    case 'PriorAuthorizationRecorded':
      return {
        ...view,
        updatedAt: at,
        priorAuthorization: {
          number: event.data.number,
          receivedVia: event.data.receivedVia,
          at,
          by: recorded.metadata.actor,
        },
      };
    case 'SmsNotificationsChosen':
      return { ...view, updatedAt: at, texts: { phone: event.data.phone, chosenAt: at } };
    case 'PatientContactCorrected': {
      const { reason, ...fields } = event.data;
      return {
        ...view,
        updatedAt: at,
        contact: {
          address: fields.address ?? view.contact.address,
          phone: fields.phone ?? view.contact.phone,
          email: fields.email ?? view.contact.email,
        },
        contactCorrections: [
          ...view.contactCorrections,
          { fields: Object.keys(fields), reason, at, by: recorded.metadata.actor },
        ],
      };
    }
    case 'ShippingLabelPurchased':
      return { ...touched(view, at), shipment: { ...event.data, shippedAt: at } };
    case 'DeliveryStatusUpdated':
      return {
        ...touched(view, at),
        tracking: [
          ...view.tracking,
          { status: event.data.status, statusDate: event.data.statusDate, details: event.data.details },
        ],
      };
    case 'DeliveryExceptionRaised':
      return {
        ...touched(view, at),
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
      return {
        ...touched(view, at),
        shipment: null,
        contact: event.data.address ? { ...view.contact, address: event.data.address } : view.contact,
      };
    case 'OrderCompleted':
      return { ...touched(view, at), completedAt: at };
    case 'OrderCancelled':
      return {
        ...touched(view, at),
        // The pay link is gone the moment the order is: the till closes with it.
        payment: { ...view.payment, url: null },
        cancellation: { reason: event.data.reason, at, by: recorded.metadata.actor },
      };
    default:
      return applyIntegrationEvent({ ...view, updatedAt: at }, recorded);
  }
};

const withPayment = (
  money: MoneyLedger,
  payment: { paymentIntentId: string; amountMinor: number; currency: string },
  at: string,
  kind: MoneyLedger['payments'][number]['kind'],
): MoneyLedger =>
  totalled({
    ...money,
    payments: [
      ...money.payments,
      {
        paymentIntentId: payment.paymentIntentId,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        at,
        kind,
      },
    ],
  });

const withRefund = (
  money: MoneyLedger,
  refundId: string,
  change: Partial<MoneyLedger['refunds'][number]>,
): MoneyLedger =>
  totalled({
    ...money,
    refunds: money.refunds.map((r) => (r.refundId === refundId ? { ...r, ...change } : r)),
  });

/** Integration attempts live in the order's stream, so the order view shows them without lagging. */
const applyIntegrationEvent = (view: OrderView, recorded: Recorded): OrderView => {
  const event = { type: recorded.type, data: recorded.data } as IntegrationEvent;
  const sameCall = (incident: Incident) =>
    incident.triggerEventId === event.data.triggerEventId &&
    incident.processManager === event.data.processManager;
  const replace = (incident: Incident): OrderView => ({
    ...view,
    incidents: [...view.incidents.filter((i) => !sameCall(i)), incident],
  });
  switch (event.type) {
    case 'IntegrationCallFailed':
      return replace({
        state: 'pending_api_unavailable',
        integration: event.data.integration,
        processManager: event.data.processManager,
        triggerEventId: event.data.triggerEventId,
        attempts: event.data.attempt,
        nextAttemptAt: event.data.nextAttemptAt,
        lastError: event.data.error,
      });
    case 'IntegrationFlaggedForManualHandling':
      return replace({
        state: 'manual_handling',
        integration: event.data.integration,
        processManager: event.data.processManager,
        triggerEventId: event.data.triggerEventId,
        attempts: event.data.attempts,
        nextAttemptAt: null,
        lastError: event.data.error,
      });
    case 'IntegrationRetryRequested': {
      const incident = view.incidents.find(sameCall);
      return incident
        ? replace({
            ...incident,
            state: 'pending_api_unavailable',
            nextAttemptAt: recorded.metadata.occurredAt,
          })
        : view;
    }
    case 'IntegrationCallRecovered':
      return { ...view, incidents: view.incidents.filter((i) => !sameCall(i)) };
    default:
      return view;
  }
};

/**
 * Views stored by an earlier version lack what was added since (one `incident` instead of the list,
 * no money ledger, no contact): read them with those filled in, so the next event applies cleanly.
 */
export const upgradeOrderView = (stored: OrderView & { incident?: Incident | null }): OrderView => {
  const { incident, ...view } = stored;
  return {
    ...view,
    incidents: view.incidents ?? (incident ? [incident] : []),
    money: view.money ?? emptyLedger(),
    priorAuthorization: view.priorAuthorization ?? null,
    contact: view.contact ?? {
      address: view.prescription.patient.address ?? {},
      phone: view.prescription.patient.phone ?? null,
      email: view.prescription.patient.email ?? null,
    },
    contactCorrections: view.contactCorrections ?? [],
    payment: { ...view.payment, mismatch: view.payment.mismatch ?? null },
  };
};
