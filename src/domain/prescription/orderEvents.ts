import type { NewRxMessage } from './types.js';

/** The order's statuses, exactly as ops and the API name them. */
export const ORDER_STATUSES = [
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
  | {
      type: 'PharmaciesRecommended';
      data: { recommendations: Recommendation[]; status: 'awaiting_pharmacy_selection' };
    }
  | { type: 'PharmacySelected'; data: { pharmacyId: string; pharmacyName: string; score: number | null } }
  | { type: 'ClaimAdjudicated'; data: Adjudication }
  | { type: 'ClaimRejected'; data: { claimId: string; rejects: { code: string; message: string }[] } }
  | { type: 'ClaimResubmitted'; data: { reason: string; priorAuthorizationNumber: string | null } }
  | { type: 'PaymentLinkCreated'; data: { sessionId: string; url: string; expiresAt: string } & Money }
  | { type: 'PaymentLinkExpired'; data: { sessionId: string } }
  | {
      type: 'PaymentReceived';
      data: { sessionId: string; paymentIntentId: string; stripeEventId: string } & Money;
    }
  | { type: 'PaymentWaived'; data: { reason: 'zero_patient_amount' } }
  | { type: 'ShippingLabelPurchased'; data: ShippingLabel & { coldChain: boolean } }
  | {
      type: 'DeliveryStatusUpdated';
      data: { status: DeliveryStatus; statusDate: string; details: string | null };
    }
  | {
      type: 'DeliveryExceptionRaised';
      data: { carrierStatus: 'failure' | 'returned'; statusDate: string; details: string | null };
    }
  | { type: 'ReshipmentRequested'; data: { reason: string } }
  | { type: 'OrderCompleted'; data: { completedAt: string } }
  | { type: 'OrderCancelled'; data: { reason: string; fromStatus: OrderStatus } };

export type OrderEventType = OrderEvent['type'];
