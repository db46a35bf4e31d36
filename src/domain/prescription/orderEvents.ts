import type { StorageClass } from '../catalogue/drug.js';
import type { Address, NewRxMessage } from './types.js';

/** The order's statuses, exactly as ops and the API name them. */
export const ORDER_STATUSES = [
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_drug_review',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'payment_mismatch',
  'paid',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'completed',
  'delivery_exception',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type ValidationIssue = { code: string; field: string; message: string };

export type InsuranceDetails = {
  memberId: string;
  bin: string;
  pcn: string;
  group: string;
  cardholderName: string;
  /** NCPDP patient relationship code: 1 cardholder, 2 spouse, 3 child, 4 other. */
  relationship: '1' | '2' | '3' | '4';
};

export type StoredDocument = { key: string; contentType: string; size: number; sha256: string };

export type Consent = {
  version: string;
  textSha256: string;
  acceptedBy: string;
  acceptedAt: string;
  ipAddress: string;
  userAgent: string;
};

export type Recommendation = { pharmacyId: string; name: string; score: number; reasons: string[] };

export type Money = { amountMinor: number; currency: 'usd' };

/** What the payment provider reported, in whatever currency it was taken. */
export type ReportedMoney = { amountMinor: number; currency: string };

/** Who ships the patient's parcel where: the prescription's details until staff correct them. */
export type PatientContact = {
  address: Address;
  phone: string | null;
  email: string | null;
};

/** Why money goes back: each refund names its cause, so the ledger reads as the order's story. */
export type RefundKind =
  | 'cancellation'
  | 'payment_after_cancellation'
  | 'duplicate_payment'
  | 'amount_mismatch'
  | 'partial';

/** How a prior authorization approval reached the pharmacy. */
export type PriorAuthorizationSource = 'payer' | 'fax' | 'phone' | 'portal';

/** Where a delivery status came from: the carrier's scan or a person who heard from the carrier. */
export type TrackingSource = 'carrier' | 'staff';

export type Adjudication = {
  claimId: string;
  planName: string;
  planType: 'commercial' | 'medicare' | 'medicaid';
  tier: number | null;
  ingredientCostMinor: number;
  planPaysMinor: number;
  patientPaysMinor: number;
  deductibleAppliedMinor: number;
  couponAppliedMinor: number;
  couponProgram: string | null;
  patientPaysAfterCouponMinor: number;
};

export type ShippingLabel = {
  shipmentId: string;
  transactionId: string;
  carrier: string;
  serviceLevel: string;
  trackingNumber: string;
  labelUrl: string;
  trackingUrl: string | null;
  costMinor: number;
};

export type DeliveryStatus = 'in_transit' | 'out_for_delivery' | 'delivered';

export type OrderEvent =
  | {
      type: 'PrescriptionReceived';
      data: {
        orderId: string;
        messageId: string;
        patientKey: string | null;
        prescription: NewRxMessage;
        rawMessage: string;
        receivedAt: string;
      };
    }
  | { type: 'PrescriptionValidated'; data: { normalisedNdc: string; validatedAt: string } }
  | { type: 'PrescriptionValidationFailed'; data: { issues: ValidationIssue[]; validatedAt: string } }
  | {
      type: 'PrescriptionCorrected';
      data: { prescription: NewRxMessage; correctedFields: string[]; reason: string };
    }
  | {
      type: 'EnrollmentLinkIssued';
      /** `linkId` lets the mail process re-derive the token (HMAC with the server's link secret). */
      data: { linkId: string; tokenHash: string; expiresAt: string; email: string; resend: boolean };
    }
  | { type: 'InsuranceCardUploaded'; data: { side: 'front' | 'back'; document: StoredDocument } }
  | {
      type: 'EnrollmentCompleted';
      data: {
        insurance: InsuranceDetails;
        cardFront: StoredDocument;
        cardBack: StoredDocument;
        consent: Consent;
      };
    }
  /** The patient asked to be texted as well as e-mailed (payment link, delivery), on this mobile. */
  | { type: 'SmsNotificationsChosen'; data: { phone: string } }
  | {
      /** The catalogue cannot say how the drug must be kept: a pharmacist decides before it routes. */
      type: 'DrugReviewRequired';
      data: { ndc11: string; reason: 'not_in_catalogue' | 'no_storage_class'; message: string };
    }
  | { type: 'DrugReviewCleared'; data: { ndc11: string; storageClass: StorageClass } }
  | {
      /** No pharmacy can take the order yet; it waits in awaiting_routing and is routed when one can. */
      type: 'RoutingBlocked';
      data: { reason: 'empty_network' | 'no_eligible_pharmacy'; message: string };
    }
  | {
      type: 'PharmaciesRecommended';
      data: { recommendations: Recommendation[]; status: 'awaiting_pharmacy_selection' };
    }
  | { type: 'PharmacySelected'; data: { pharmacyId: string; pharmacyName: string; score: number | null } }
  | { type: 'ClaimAdjudicated'; data: Adjudication }
  | { type: 'ClaimRejected'; data: { claimId: string; rejects: { code: string; message: string }[] } }
  | { type: 'ClaimResubmitted'; data: { reason: string; priorAuthorizationNumber: string | null } }
  | {
      type: 'PriorAuthorizationRecorded';
      data: { number: string; receivedVia: PriorAuthorizationSource; note: string | null };
    }
  | { type: 'PaymentLinkCreated'; data: { sessionId: string; url: string; expiresAt: string } & Money }
  | { type: 'PaymentLinkExpired'; data: { sessionId: string } }
  /** The till closed on a cancelled order: `complete` means the patient paid first (refunded then). */
  | { type: 'PaymentLinkClosed'; data: { sessionId: string; outcome: 'expired' | 'complete' } }
  | {
      type: 'PaymentReceived';
      data: { sessionId: string; paymentIntentId: string; stripeEventId: string } & Money;
    }
  /** Money taken, but not the amount or currency the order asked for: held for ops, nothing ships. */
  | {
      type: 'PaymentAmountMismatched';
      data: {
        sessionId: string;
        paymentIntentId: string;
        stripeEventId: string;
        expectedMinor: number;
        expectedCurrency: 'usd';
      } & ReportedMoney;
    }
  | { type: 'PaymentMismatchAccepted'; data: { paymentIntentId: string; reason: string } }
  /** The order reopens for payment after a mismatched payment was refunded. */
  | { type: 'PaymentReopened'; data: { reason: string } }
  /** Money that arrived when the order no longer wanted it (cancelled, or paid already): refunded. */
  | {
      type: 'UnexpectedPaymentReceived';
      data: {
        sessionId: string;
        paymentIntentId: string;
        stripeEventId: string;
        reason: 'order_cancelled' | 'already_paid' | 'not_awaiting_payment';
      } & ReportedMoney;
    }
  | { type: 'PaymentWaived'; data: { reason: 'zero_patient_amount' } }
  | {
      type: 'RefundRequested';
      data: {
        refundId: string;
        paymentIntentId: string;
        amountMinor: number;
        currency: string;
        kind: RefundKind;
        reason: string;
      };
    }
  | {
      type: 'RefundSettled';
      data: { refundId: string; stripeRefundId: string; amountMinor: number; stripeEventId: string };
    }
  | {
      type: 'RefundFailed';
      data: { refundId: string; stripeRefundId: string; reason: string | null; stripeEventId: string };
    }
  | {
      type: 'PatientContactCorrected';
      data: { address?: Address; phone?: string; email?: string; reason: string };
    }
  /** Recorded before the label is bought, so a retry looks the purchase up instead of buying again. */
  | {
      type: 'ShippingLabelPurchaseStarted';
      data: {
        shipmentId: string;
        rateId: string;
        carrier: string;
        serviceLevel: string;
        amountMinor: number;
        currency: string;
        coldChain: boolean;
      };
    }
  /** The rate could not be bought and no purchase exists under it: the next attempt quotes afresh. */
  | { type: 'ShippingLabelPurchaseAbandoned'; data: { rateId: string; reason: string } }
  | {
      type: 'ShippingLabelPurchased';
      /** `storageClass` is absent on labels bought before the catalogue recorded one. */
      data: ShippingLabel & { coldChain: boolean; storageClass?: StorageClass };
    }
  | {
      type: 'DeliveryStatusUpdated';
      data: {
        status: DeliveryStatus;
        statusDate: string;
        details: string | null;
        source?: TrackingSource;
        sequence?: number;
      };
    }
  | {
      type: 'DeliveryExceptionRaised';
      data: {
        carrierStatus: 'failure' | 'returned';
        statusDate: string;
        details: string | null;
        source?: TrackingSource;
        sequence?: number;
      };
    }
  | { type: 'ReshipmentRequested'; data: { reason: string; address?: Address } }
  | { type: 'OrderCompleted'; data: { completedAt: string } }
  | { type: 'OrderCancelled'; data: { reason: string; fromStatus: OrderStatus } };

export type OrderEventType = OrderEvent['type'];
