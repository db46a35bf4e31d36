import { type Decider, DomainError } from '../decider.js';
import type {
  Adjudication,
  Consent,
  DeliveryStatus,
  InsuranceDetails,
  OrderEvent,
  OrderStatus,
  Recommendation,
  ShippingLabel,
  StoredDocument,
  ValidationIssue,
} from './orderEvents.js';
import type { NewRxMessage } from './types.js';

export type OrderCommand =
  | {
      type: 'ReceivePrescription';
      orderId: string;
      messageId: string;
      patientKey: string | null;
      prescription: NewRxMessage;
      rawMessage: string;
      now: string;
    }
  | {
      type: 'RecordValidation';
      outcome: { ok: true; normalisedNdc: string } | { ok: false; issues: ValidationIssue[] };
      now: string;
    }
  | { type: 'CorrectPrescription'; prescription: NewRxMessage; correctedFields: string[]; reason: string }
  | { type: 'IssueEnrollmentLink'; linkId: string; tokenHash: string; expiresAt: string; email: string }
  | {
      type: 'UploadInsuranceCard';
      tokenHash: string;
      side: 'front' | 'back';
      document: StoredDocument;
      now: string;
    }
  | {
      type: 'CompleteEnrollment';
      tokenHash: string;
      insurance: InsuranceDetails;
      consent: Consent;
      now: string;
    }
  | { type: 'RecommendPharmacies'; recommendations: Recommendation[] }
  | { type: 'SelectPharmacy'; pharmacyId: string }
  | {
      type: 'RecordAdjudication';
      result:
        | { paid: true; adjudication: Adjudication }
        | { paid: false; claimId: string; rejects: { code: string; message: string }[] };
    }
  | { type: 'ResubmitClaim'; reason: string; priorAuthorizationNumber: string | null }
  | { type: 'RecordPaymentLink'; sessionId: string; url: string; expiresAt: string; amountMinor: number }
  | { type: 'WaivePayment' }
  | { type: 'ExpirePaymentLink'; sessionId: string }
  | {
      type: 'RecordPayment';
      sessionId: string;
      paymentIntentId: string;
      stripeEventId: string;
      amountMinor: number;
    }
  | { type: 'RecordShippingLabel'; label: ShippingLabel; coldChain: boolean }
  | {
      type: 'RecordTracking';
      status: DeliveryStatus | 'failure' | 'returned';
      statusDate: string;
      details: string | null;
    }
  | { type: 'RequestReshipment'; reason: string }
  | { type: 'CompleteOrder'; now: string }
  | { type: 'CancelOrder'; reason: string };

export type OrderState = {
  status: OrderStatus | 'none';
  orderId: string | null;
  patientKey: string | null;
  email: string | null;
  prescription: NewRxMessage | null;
  normalisedNdc: string | null;
  issues: ValidationIssue[];
  enrollmentLink: { tokenHash: string; expiresAt: string; used: boolean } | null;
  cards: { front?: StoredDocument; back?: StoredDocument };
  insurance: InsuranceDetails | null;
  recommendations: Recommendation[];
  pharmacyId: string | null;
  adjudication: Adjudication | null;
  paymentSessions: string[];
  patientAmountMinor: number | null;
  paid: boolean;
  label: ShippingLabel | null;
  lastTrackingDate: string | null;
};

const initialState = (): OrderState => ({
  status: 'none',
  orderId: null,
  patientKey: null,
  email: null,
  prescription: null,
  normalisedNdc: null,
  issues: [],
  enrollmentLink: null,
  cards: {},
  insurance: null,
  recommendations: [],
  pharmacyId: null,
  adjudication: null,
  paymentSessions: [],
  patientAmountMinor: null,
  paid: false,
  label: null,
  lastTrackingDate: null,
});

/** Once an order has shipped it can no longer be cancelled here: it is in the carrier's hands. */
const CANCELLABLE: readonly OrderStatus[] = [
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
];

const DELIVERY_ORDER: Record<DeliveryStatus, number> = { in_transit: 1, out_for_delivery: 2, delivered: 3 };

const requireStatus = (state: OrderState, allowed: readonly (OrderStatus | 'none')[], action: string) => {
  if (!allowed.includes(state.status)) {
    throw new DomainError(
      'INVALID_STATUS',
      `cannot ${action} while the order is ${state.status === 'none' ? 'not yet received' : state.status}`,
      { status: state.status, allowed },
    );
  }
};

/** The magic link must be the current one, unused and unexpired; each refusal says which. */
export const requireUsableLink = (state: OrderState, tokenHash: string, now: string) => {
  const link = state.enrollmentLink;
  if (!link || link.tokenHash !== tokenHash) {
    throw new DomainError(
      'LINK_INVALID',
      'this enrollment link is no longer valid; a newer link may have been sent',
    );
  }
  if (link.used || state.status !== 'awaiting_enrollment') {
    throw new DomainError('LINK_USED', 'this enrollment link has already been used');
  }
  if (Date.parse(now) >= Date.parse(link.expiresAt)) {
    throw new DomainError('LINK_EXPIRED', 'this enrollment link has expired; ask the pharmacy for a new one');
  }
};

const decide = (command: OrderCommand, state: OrderState): OrderEvent[] => {
  switch (command.type) {
    case 'ReceivePrescription':
      requireStatus(state, ['none'], 'receive a prescription');
      return [
        {
          type: 'PrescriptionReceived',
          data: {
            orderId: command.orderId,
            messageId: command.messageId,
            patientKey: command.patientKey,
            prescription: command.prescription,
            rawMessage: command.rawMessage,
            receivedAt: command.now,
          },
        },
      ];

    case 'RecordValidation':
      // Validation answers the latest received or corrected prescription; a late answer is dropped.
      if (state.status !== 'received') return [];
      return command.outcome.ok
        ? [
            {
              type: 'PrescriptionValidated',
              data: { normalisedNdc: command.outcome.normalisedNdc, validatedAt: command.now },
            },
          ]
        : [
            {
              type: 'PrescriptionValidationFailed',
              data: { issues: command.outcome.issues, validatedAt: command.now },
            },
          ];

    case 'CorrectPrescription':
      requireStatus(state, ['validation_issue', 'validated'], 'correct the prescription');
      return [
        {
          type: 'PrescriptionCorrected',
          data: {
            prescription: command.prescription,
            correctedFields: command.correctedFields,
            reason: command.reason,
          },
        },
      ];

    case 'IssueEnrollmentLink': {
      requireStatus(state, ['validated', 'awaiting_enrollment'], 'send an enrollment link');
      const resend = state.status === 'awaiting_enrollment';
      return [
        {
          type: 'EnrollmentLinkIssued',
          data: {
            linkId: command.linkId,
            tokenHash: command.tokenHash,
            expiresAt: command.expiresAt,
            email: command.email,
            resend,
          },
        },
      ];
    }

    case 'UploadInsuranceCard':
      requireUsableLink(state, command.tokenHash, command.now);
      return [{ type: 'InsuranceCardUploaded', data: { side: command.side, document: command.document } }];

    case 'CompleteEnrollment': {
      requireUsableLink(state, command.tokenHash, command.now);
      const { front, back } = state.cards;
      if (!front || !back) {
        throw new DomainError(
          'CARDS_MISSING',
          'upload the front and the back of the insurance card before submitting',
          {
            missing: [front ? null : 'front', back ? null : 'back'].filter(Boolean),
          },
        );
      }
      return [
        {
          type: 'EnrollmentCompleted',
          data: { insurance: command.insurance, cardFront: front, cardBack: back, consent: command.consent },
        },
      ];
    }

    case 'RecommendPharmacies':
      if (state.status !== 'awaiting_routing') return [];
      if (command.recommendations.length === 0) {
        throw new DomainError(
          'NO_ELIGIBLE_PHARMACY',
          'no pharmacy in the network can fill this prescription',
        );
      }
      return [
        {
          type: 'PharmaciesRecommended',
          data: { recommendations: command.recommendations, status: 'awaiting_pharmacy_selection' },
        },
      ];

    case 'SelectPharmacy': {
      requireStatus(state, ['awaiting_pharmacy_selection'], 'select a pharmacy');
      const chosen = state.recommendations.find((r) => r.pharmacyId === command.pharmacyId);
      if (!chosen) {
        throw new DomainError(
          'PHARMACY_NOT_RECOMMENDED',
          `pharmacy ${command.pharmacyId} is not among the recommendations`,
        );
      }
      return [
        {
          type: 'PharmacySelected',
          data: { pharmacyId: chosen.pharmacyId, pharmacyName: chosen.name, score: chosen.score },
        },
      ];
    }

    case 'RecordAdjudication':
      if (state.status !== 'pharmacy_selected') return [];
      return command.result.paid
        ? [{ type: 'ClaimAdjudicated', data: command.result.adjudication }]
        : [
            {
              type: 'ClaimRejected',
              data: { claimId: command.result.claimId, rejects: command.result.rejects },
            },
          ];

    case 'ResubmitClaim':
      requireStatus(state, ['adjudication_rejected'], 'resubmit the claim');
      return [
        {
          type: 'ClaimResubmitted',
          data: { reason: command.reason, priorAuthorizationNumber: command.priorAuthorizationNumber },
        },
      ];

    case 'RecordPaymentLink':
      if (state.status !== 'adjudicated' && state.status !== 'awaiting_payment') return [];
      if (state.paymentSessions.includes(command.sessionId)) return [];
      return [
        {
          type: 'PaymentLinkCreated',
          data: {
            sessionId: command.sessionId,
            url: command.url,
            expiresAt: command.expiresAt,
            amountMinor: command.amountMinor,
            currency: 'usd',
          },
        },
      ];

    case 'WaivePayment':
      if (state.status !== 'adjudicated') return [];
      if ((state.adjudication?.patientPaysAfterCouponMinor ?? 1) !== 0) {
        throw new DomainError('PAYMENT_REQUIRED', 'the patient owes an amount; payment cannot be waived');
      }
      return [{ type: 'PaymentWaived', data: { reason: 'zero_patient_amount' } }];

    case 'ExpirePaymentLink':
      // Only the newest link matters: an older session expiring changes nothing.
      if (state.status !== 'awaiting_payment' || state.paymentSessions.at(-1) !== command.sessionId)
        return [];
      return [{ type: 'PaymentLinkExpired', data: { sessionId: command.sessionId } }];

    case 'RecordPayment':
      if (state.paid) return [];
      requireStatus(state, ['awaiting_payment'], 'record a payment');
      if (!state.paymentSessions.includes(command.sessionId)) {
        throw new DomainError(
          'UNKNOWN_PAYMENT_SESSION',
          'the payment does not belong to a link issued for this order',
        );
      }
      return [
        {
          type: 'PaymentReceived',
          data: {
            sessionId: command.sessionId,
            paymentIntentId: command.paymentIntentId,
            stripeEventId: command.stripeEventId,
            amountMinor: command.amountMinor,
            currency: 'usd',
          },
        },
      ];

    case 'RecordShippingLabel':
      if (state.status !== 'paid') return [];
      return [{ type: 'ShippingLabelPurchased', data: { ...command.label, coldChain: command.coldChain } }];

    case 'RecordTracking': {
      if (!['shipped', 'in_transit', 'out_for_delivery'].includes(state.status)) return [];
      // Carriers deliver updates out of order: one older than what we know is ignored.
      if (state.lastTrackingDate && Date.parse(command.statusDate) < Date.parse(state.lastTrackingDate))
        return [];
      if (command.status === 'failure' || command.status === 'returned') {
        return [
          {
            type: 'DeliveryExceptionRaised',
            data: { carrierStatus: command.status, statusDate: command.statusDate, details: command.details },
          },
        ];
      }
      if (
        state.status !== 'shipped' &&
        DELIVERY_ORDER[command.status] <= DELIVERY_ORDER[state.status as DeliveryStatus]
      ) {
        return [];
      }
      return [
        {
          type: 'DeliveryStatusUpdated',
          data: { status: command.status, statusDate: command.statusDate, details: command.details },
        },
      ];
    }

    case 'RequestReshipment':
      requireStatus(state, ['delivery_exception'], 'reship the order');
      return [{ type: 'ReshipmentRequested', data: { reason: command.reason } }];

    case 'CompleteOrder':
      if (state.status !== 'delivered') return [];
      return [{ type: 'OrderCompleted', data: { completedAt: command.now } }];

    case 'CancelOrder':
      requireStatus(state, [...CANCELLABLE, 'delivery_exception'], 'cancel the order');
      return [
        { type: 'OrderCancelled', data: { reason: command.reason, fromStatus: state.status as OrderStatus } },
      ];
  }
};

const evolve = (state: OrderState, event: OrderEvent | { type: string; data: unknown }): OrderState => {
  const e = event as OrderEvent;
  switch (e.type) {
    case 'PrescriptionReceived':
      return {
        ...state,
        status: 'received',
        orderId: e.data.orderId,
        patientKey: e.data.patientKey,
        email: e.data.prescription.patient.email ?? null,
        prescription: e.data.prescription,
      };
    case 'PrescriptionValidated':
      return { ...state, status: 'validated', normalisedNdc: e.data.normalisedNdc, issues: [] };
    case 'PrescriptionValidationFailed':
      return { ...state, status: 'validation_issue', issues: e.data.issues };
    case 'PrescriptionCorrected':
      return { ...state, status: 'received', prescription: e.data.prescription };
    case 'EnrollmentLinkIssued':
      return {
        ...state,
        status: 'awaiting_enrollment',
        email: e.data.email,
        // A new link replaces the old one and the cards uploaded with it.
        enrollmentLink: { tokenHash: e.data.tokenHash, expiresAt: e.data.expiresAt, used: false },
        cards: {},
      };
    case 'InsuranceCardUploaded':
      return { ...state, cards: { ...state.cards, [e.data.side]: e.data.document } };
    case 'EnrollmentCompleted':
      return {
        ...state,
        status: 'awaiting_routing',
        insurance: e.data.insurance,
        enrollmentLink: state.enrollmentLink && { ...state.enrollmentLink, used: true },
      };
    case 'PharmaciesRecommended':
      return { ...state, status: 'awaiting_pharmacy_selection', recommendations: e.data.recommendations };
    case 'PharmacySelected':
      return { ...state, status: 'pharmacy_selected', pharmacyId: e.data.pharmacyId };
    case 'ClaimAdjudicated':
      return {
        ...state,
        status: 'adjudicated',
        adjudication: e.data,
        patientAmountMinor: e.data.patientPaysAfterCouponMinor,
      };
    case 'ClaimRejected':
      return { ...state, status: 'adjudication_rejected' };
    case 'ClaimResubmitted':
      return { ...state, status: 'pharmacy_selected' };
    case 'PaymentLinkCreated':
      return {
        ...state,
        status: 'awaiting_payment',
        paymentSessions: [...state.paymentSessions, e.data.sessionId],
      };
    case 'PaymentReceived':
    case 'PaymentWaived':
      return { ...state, status: 'paid', paid: true };
    case 'ShippingLabelPurchased':
      return { ...state, status: 'shipped', label: e.data, lastTrackingDate: null };
    case 'DeliveryStatusUpdated':
      return { ...state, status: e.data.status, lastTrackingDate: e.data.statusDate };
    case 'DeliveryExceptionRaised':
      return { ...state, status: 'delivery_exception', lastTrackingDate: e.data.statusDate };
    case 'ReshipmentRequested':
      return { ...state, status: 'paid', label: null };
    case 'OrderCompleted':
      return { ...state, status: 'completed' };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled' };
    default:
      // Platform events (integration attempts) and PaymentLinkExpired leave the order's state as it is.
      return state;
  }
};

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = { decide, evolve, initialState };

export const orderStream = (orderId: string) => `order-${orderId}`;
