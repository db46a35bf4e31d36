import type { StorageClass } from '../catalogue/drug.js';
import type { DrugReviewCommand } from './drugReview.js';
import type {
  Adjudication,
  Consent,
  DeliveryStatus,
  InsuranceDetails,
  PriorAuthorizationSource,
  Recommendation,
  ShippingLabel,
  StoredDocument,
  TrackingSource,
  ValidationIssue,
} from './orderEvents.js';
import type { Address, NewRxMessage } from './types.js';

/** Everything ops, patients, vendors and process managers may ask of an order. */
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
  | {
      type: 'CorrectPatientContact';
      address?: Address;
      phone?: string;
      email?: string;
      reason: string;
    }
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
      /** The mobile, in E.164, the patient wants texts on; absent for e-mail only. */
      smsPhone?: string;
      now: string;
    }
  | DrugReviewCommand
  | { type: 'RecommendPharmacies'; recommendations: Recommendation[] }
  | { type: 'SelectPharmacy'; pharmacyId: string }
  | {
      type: 'RecordAdjudication';
      result:
        | { paid: true; adjudication: Adjudication }
        | { paid: false; claimId: string; rejects: { code: string; message: string }[] };
    }
  | { type: 'ResubmitClaim'; reason: string; priorAuthorizationNumber: string | null }
  | {
      type: 'RecordPriorAuthorization';
      number: string;
      receivedVia: PriorAuthorizationSource;
      note: string | null;
    }
  | { type: 'RecordPaymentLink'; sessionId: string; url: string; expiresAt: string; amountMinor: number }
  | { type: 'WaivePayment' }
  | { type: 'ExpirePaymentLink'; sessionId: string }
  | { type: 'RecordPaymentLinkClosed'; sessionId: string; outcome: 'expired' | 'complete' }
  | {
      type: 'RecordPayment';
      sessionId: string;
      paymentIntentId: string;
      stripeEventId: string;
      amountMinor: number;
      currency: string;
    }
  | { type: 'AcceptMismatchedPayment'; reason: string }
  | { type: 'RefundMismatchedPayment'; refundId: string; reason: string }
  | { type: 'RequestRefund'; refundId: string; amountMinor: number; reason: string }
  | {
      type: 'RecordRefundSettled';
      refundId: string;
      stripeRefundId: string;
      amountMinor: number;
      stripeEventId: string;
    }
  | {
      type: 'RecordRefundFailed';
      refundId: string;
      stripeRefundId: string;
      reason: string | null;
      stripeEventId: string;
    }
  | {
      type: 'StartLabelPurchase';
      shipmentId: string;
      rateId: string;
      carrier: string;
      serviceLevel: string;
      amountMinor: number;
      currency: string;
      coldChain: boolean;
    }
  | { type: 'AbandonLabelPurchase'; rateId: string; reason: string }
  | { type: 'RecordShippingLabel'; label: ShippingLabel; coldChain: boolean; storageClass?: StorageClass }
  | {
      type: 'RecordTracking';
      status: DeliveryStatus | 'failure' | 'returned';
      statusDate: string;
      details: string | null;
      /** When the update is judged: a scan dated more than a day after this is refused. */
      now: string;
      source: TrackingSource;
      /** The carrier's own order of scans (how many it has reported), where it gives one. */
      sequence?: number;
    }
  | { type: 'RequestReshipment'; reason: string; address?: Address }
  | { type: 'CompleteOrder'; now: string }
  | { type: 'CancelOrder'; reason: string; refundId: string };
