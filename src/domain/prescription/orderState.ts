import { DomainError } from '../decider.js';
import type {
  Adjudication,
  InsuranceDetails,
  OrderEvent,
  OrderStatus,
  PatientContact,
  PriorAuthorizationSource,
  Recommendation,
  RefundKind,
  ShippingLabel,
  StoredDocument,
  ValidationIssue,
} from './orderEvents.js';
import type { NewRxMessage } from './types.js';

/** Money the patient paid, one entry per payment, whatever the order made of it. */
export type PaymentEntry = {
  paymentIntentId: string;
  sessionId: string;
  amountMinor: number;
  currency: string;
};

export type RefundEntry = {
  refundId: string;
  paymentIntentId: string;
  amountMinor: number;
  currency: string;
  kind: RefundKind;
  status: 'requested' | 'settled' | 'failed';
};

export type LabelPurchase = {
  shipmentId: string;
  rateId: string;
  carrier: string;
  serviceLevel: string;
  amountMinor: number;
  currency: string;
  coldChain: boolean;
};

export type OrderState = {
  status: OrderStatus | 'none';
  orderId: string | null;
  patientKey: string | null;
  email: string | null;
  prescription: NewRxMessage | null;
  /** Where and how to reach the patient: the prescription's details, as staff corrected them. */
  contact: PatientContact | null;
  normalisedNdc: string | null;
  issues: ValidationIssue[];
  enrollmentLink: { tokenHash: string; expiresAt: string; used: boolean } | null;
  cards: { front?: StoredDocument; back?: StoredDocument };
  insurance: InsuranceDetails | null;
  recommendations: Recommendation[];
  pharmacyId: string | null;
  adjudication: Adjudication | null;
  priorAuthorization: { number: string; receivedVia: PriorAuthorizationSource } | null;
  paymentSessions: string[];
  closedSessions: string[];
  patientAmountMinor: number | null;
  /** The order's own payment was taken (or waived, or a mismatch accepted): it may ship. */
  paid: boolean;
  payments: PaymentEntry[];
  refunds: RefundEntry[];
  /** The payment held for ops because it was not the amount asked for. */
  mismatchedPaymentIntentId: string | null;
  labelPurchase: LabelPurchase | null;
  label: ShippingLabel | null;
  lastTrackingDate: string | null;
  lastTrackingSequence: number | null;
  /** The mobile (E.164) the patient asked at enrollment to be texted on; null for e-mail only. */
  smsPhone: string | null;
};

export const initialOrderState = (): OrderState => ({
  status: 'none',
  orderId: null,
  patientKey: null,
  email: null,
  prescription: null,
  contact: null,
  normalisedNdc: null,
  issues: [],
  enrollmentLink: null,
  cards: {},
  insurance: null,
  recommendations: [],
  pharmacyId: null,
  adjudication: null,
  priorAuthorization: null,
  paymentSessions: [],
  closedSessions: [],
  patientAmountMinor: null,
  paid: false,
  payments: [],
  refunds: [],
  mismatchedPaymentIntentId: null,
  labelPurchase: null,
  label: null,
  smsPhone: null,
  lastTrackingDate: null,
  lastTrackingSequence: null,
});

export const requireStatus = (
  state: OrderState,
  allowed: readonly (OrderStatus | 'none')[],
  action: string,
) => {
  if (!allowed.includes(state.status)) {
    throw new DomainError(
      'conflict',
      'INVALID_STATUS',
      `cannot ${action} while the order is ${state.status === 'none' ? 'not yet received' : state.status}`,
      { status: state.status, allowed },
    );
  }
};

/** What is still refundable of one payment: paid, less every refund not known to have failed. */
export const refundableOf = (state: OrderState, paymentIntentId: string): number => {
  const payment = state.payments.find((p) => p.paymentIntentId === paymentIntentId);
  if (!payment) return 0;
  const refunded = state.refunds
    .filter((r) => r.paymentIntentId === paymentIntentId && r.status !== 'failed')
    .reduce((sum, r) => sum + r.amountMinor, 0);
  return payment.amountMinor - refunded;
};

export const refundableTotal = (state: OrderState) =>
  state.payments.reduce((sum, p) => sum + refundableOf(state, p.paymentIntentId), 0);

const contactFrom = (prescription: NewRxMessage): PatientContact => ({
  address: prescription.patient.address ?? {},
  phone: prescription.patient.phone ?? null,
  email: prescription.patient.email ?? null,
});

const withRefund = (state: OrderState, refundId: string, status: RefundEntry['status']): OrderState => ({
  ...state,
  refunds: state.refunds.map((r) => (r.refundId === refundId ? { ...r, status } : r)),
});

/**
 * The status an event puts the order in, or null for an event that leaves it where it was (an
 * upload, a refund, an integration attempt). The one place that says so: the decider, the views
 * and the live feed all ask here.
 */
export const statusAfter = (event: { type: string; data: unknown }): OrderStatus | null => {
  const e = event as OrderEvent;
  switch (e.type) {
    case 'PrescriptionReceived':
    case 'PrescriptionCorrected':
      return 'received';
    case 'PrescriptionValidated':
      return 'validated';
    case 'PrescriptionValidationFailed':
      return 'validation_issue';
    case 'EnrollmentLinkIssued':
      return 'awaiting_enrollment';
    case 'EnrollmentCompleted':
    case 'DrugReviewCleared':
      return 'awaiting_routing';
    case 'DrugReviewRequired':
      return 'awaiting_drug_review';
    case 'PharmaciesRecommended':
      return 'awaiting_pharmacy_selection';
    case 'PharmacySelected':
    case 'ClaimResubmitted':
      return 'pharmacy_selected';
    case 'ClaimAdjudicated':
    case 'PaymentReopened':
      return 'adjudicated';
    case 'ClaimRejected':
      return 'adjudication_rejected';
    case 'PaymentLinkCreated':
      return 'awaiting_payment';
    case 'PaymentAmountMismatched':
      return 'payment_mismatch';
    case 'PaymentReceived':
    case 'PaymentWaived':
    case 'PaymentMismatchAccepted':
    case 'ReshipmentRequested':
      return 'paid';
    case 'ShippingLabelPurchased':
      return 'shipped';
    case 'DeliveryStatusUpdated':
      return e.data?.status ?? null;
    case 'DeliveryExceptionRaised':
      return 'delivery_exception';
    case 'OrderCompleted':
      return 'completed';
    case 'OrderCancelled':
      return 'cancelled';
    default:
      return null;
  }
};

export const evolveOrder = (
  state: OrderState,
  event: OrderEvent | { type: string; data: unknown },
): OrderState => {
  const status = statusAfter(event);
  const next = evolveFacts(state, event as OrderEvent);
  return status ? { ...next, status } : next;
};

/** Everything an event changes besides the status. */
const evolveFacts = (state: OrderState, e: OrderEvent): OrderState => {
  switch (e.type) {
    case 'PrescriptionReceived':
      return {
        ...state,
        orderId: e.data.orderId,
        patientKey: e.data.patientKey,
        email: e.data.prescription.patient.email ?? null,
        prescription: e.data.prescription,
        contact: contactFrom(e.data.prescription),
      };
    case 'PrescriptionValidated':
      return { ...state, normalisedNdc: e.data.normalisedNdc, issues: [] };
    case 'PrescriptionValidationFailed':
      return { ...state, issues: e.data.issues };
    case 'PrescriptionCorrected':
      return {
        ...state,
        prescription: e.data.prescription,
        contact: contactFrom(e.data.prescription),
      };
    case 'PatientContactCorrected': {
      const contact = state.contact ?? { address: {}, phone: null, email: null };
      return {
        ...state,
        email: e.data.email ?? state.email,
        contact: {
          address: e.data.address ?? contact.address,
          phone: e.data.phone ?? contact.phone,
          email: e.data.email ?? contact.email,
        },
      };
    }
    case 'EnrollmentLinkIssued':
      return {
        ...state,
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
        insurance: e.data.insurance,
        enrollmentLink: state.enrollmentLink && { ...state.enrollmentLink, used: true },
      };
    case 'SmsNotificationsChosen':
      return { ...state, smsPhone: e.data.phone };
    case 'PharmaciesRecommended':
      return { ...state, recommendations: e.data.recommendations };
    case 'PharmacySelected':
      return { ...state, pharmacyId: e.data.pharmacyId };
    case 'ClaimAdjudicated':
      return {
        ...state,
        adjudication: e.data,
        patientAmountMinor: e.data.patientPaysAfterCouponMinor,
      };
    case 'PriorAuthorizationRecorded':
      return {
        ...state,
        priorAuthorization: { number: e.data.number, receivedVia: e.data.receivedVia },
      };
    case 'ClaimResubmitted':
      return {
        ...state,
        priorAuthorization: e.data.priorAuthorizationNumber
          ? {
              number: e.data.priorAuthorizationNumber,
              receivedVia: state.priorAuthorization?.receivedVia ?? 'payer',
            }
          : state.priorAuthorization,
      };
    case 'PaymentLinkCreated':
      return {
        ...state,
        paymentSessions: [...state.paymentSessions, e.data.sessionId],
      };
    case 'PaymentLinkClosed':
      return { ...state, closedSessions: [...state.closedSessions, e.data.sessionId] };
    case 'PaymentReceived':
      return {
        ...state,
        paid: true,
        payments: [...state.payments, paymentEntry(e.data)],
      };
    case 'PaymentAmountMismatched':
      return {
        ...state,
        payments: [...state.payments, paymentEntry(e.data)],
        mismatchedPaymentIntentId: e.data.paymentIntentId,
      };
    case 'UnexpectedPaymentReceived':
      return { ...state, payments: [...state.payments, paymentEntry(e.data)] };
    case 'PaymentMismatchAccepted':
      return { ...state, paid: true, mismatchedPaymentIntentId: null };
    case 'PaymentReopened':
      return { ...state, mismatchedPaymentIntentId: null };
    case 'PaymentWaived':
      return { ...state, paid: true };
    case 'RefundRequested':
      return {
        ...state,
        refunds: [
          ...state.refunds,
          {
            refundId: e.data.refundId,
            paymentIntentId: e.data.paymentIntentId,
            amountMinor: e.data.amountMinor,
            currency: e.data.currency,
            kind: e.data.kind,
            status: 'requested',
          },
        ],
      };
    case 'RefundSettled':
      return withRefund(state, e.data.refundId, 'settled');
    case 'RefundFailed':
      return withRefund(state, e.data.refundId, 'failed');
    case 'ShippingLabelPurchaseStarted':
      return { ...state, labelPurchase: e.data };
    case 'ShippingLabelPurchaseAbandoned':
      return { ...state, labelPurchase: null };
    case 'ShippingLabelPurchased':
      return {
        ...state,
        label: e.data,
        labelPurchase: null,
        lastTrackingDate: null,
        lastTrackingSequence: null,
      };
    case 'DeliveryStatusUpdated':
      return {
        ...state,
        lastTrackingDate: e.data.statusDate,
        lastTrackingSequence: e.data.sequence ?? state.lastTrackingSequence,
      };
    case 'DeliveryExceptionRaised':
      return {
        ...state,
        lastTrackingDate: e.data.statusDate,
        lastTrackingSequence: e.data.sequence ?? state.lastTrackingSequence,
      };
    case 'ReshipmentRequested':
      return {
        ...state,
        label: null,
        labelPurchase: null,
        contact:
          e.data.address && state.contact ? { ...state.contact, address: e.data.address } : state.contact,
      };
    default:
      // Platform events (integration attempts), PaymentLinkExpired and status-only events change no fact.
      return state;
  }
};

const paymentEntry = (data: {
  paymentIntentId: string;
  sessionId: string;
  amountMinor: number;
  currency: string;
}): PaymentEntry => ({
  paymentIntentId: data.paymentIntentId,
  sessionId: data.sessionId,
  amountMinor: data.amountMinor,
  currency: data.currency,
});
