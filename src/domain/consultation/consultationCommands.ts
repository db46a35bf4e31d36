import type { Product } from './catalogue.js';
import type { ClinicianRole, RenewalBasis, StoredDocument, TrackingSource } from './consultationEvents.js';
import type { Plan } from './plan.js';
import type { Answers, Questionnaire } from './questionnaire.js';

/** An earlier submission by the same patient for the same product, found by the caller. */
export type PriorSubmission = { consultationId: string; answers: Answers; submittedAt: string };

/** A plan of the same treatment that is, or was, supplying this patient. */
export type ActivePlan = { consultationId: string; endsAt: string };

/**
 * Everything that can be asked of a consultation. Time (`now`), ids, prices, stock and facts from
 * other streams all arrive here: the decider reads no clock and no database.
 */
export type ConsultationCommand =
  // Phase 1–2.
  | {
      type: 'StartConsultation';
      consultationId: string;
      patientRef: string;
      product: Product;
      renewalOf: RenewalBasis | null;
      now: string;
    }
  | { type: 'SaveAnswers'; stepId: string; answers: Answers; questionnaire: Questionnaire; now: string }
  | { type: 'SendDraftReminder'; now: string }
  | { type: 'FlagInactiveDraft'; now: string }
  | { type: 'AbandonDraft'; now: string }
  | { type: 'SubmitQuestionnaire'; questionnaire: Questionnaire; now: string }
  // Phase 3.
  | { type: 'ChoosePlan'; plan: Plan; product: Product; now: string }
  | { type: 'RecordCheckoutStarted'; checkoutSessionId: string; now: string }
  | {
      type: 'RecordPaymentCaptured';
      checkoutSessionId: string;
      paymentIntentId: string;
      amountPence: number;
      now: string;
    }
  | { type: 'RecordPaymentFailed'; checkoutSessionId: string; failureCode: string; now: string }
  // Phase 4.
  | { type: 'RecordIdVerification'; outcome: 'pass' | 'fail'; reference: string; now: string }
  | { type: 'UploadIdDocument'; document: StoredDocument; now: string }
  | {
      type: 'RecordManualIdReview';
      reviewerId: string;
      outcome: 'pass' | 'fail';
      reason: string;
      now: string;
    }
  // Phase 5–6.
  | {
      type: 'QueueForReview';
      questionnaire: Questionnaire;
      priorSubmission: PriorSubmission | null;
      activePlan: ActivePlan | null;
      now: string;
    }
  | { type: 'ApproveTreatment'; clinicianId: string; role: ClinicianRole; notes: string; now: string }
  | {
      type: 'RequestMoreInformation';
      clinicianId: string;
      role: ClinicianRole;
      question: string;
      now: string;
    }
  | { type: 'RecordPatientReply'; message: string; now: string }
  | { type: 'DenyTreatment'; clinicianId: string; role: ClinicianRole; reason: string; now: string }
  // Phase 7–9.
  | { type: 'RecordPrescriptionCreated'; prescriptionId: string; now: string }
  | { type: 'RecordPrescriptionSigned'; prescriptionId: string; webhookEventId: string; signedAt: string }
  | { type: 'RecordGpLetterSent'; letterId: string; now: string }
  | { type: 'RecordPmrSynced'; pmrPatientId: string; method: 'api' | 'manual_export'; now: string }
  | { type: 'RecordSlipPrinted'; slipId: string; now: string }
  // Phase 11–12.
  | {
      type: 'PackSupply';
      staffId: string;
      /** Read from stock just before packing; zero blocks the dispatch. */
      stockOnHand: number;
      acknowledgeRenewalOverlap: boolean;
      now: string;
    }
  | { type: 'RecordShipment'; shipmentId: string; trackingNumber: string; service: string; now: string }
  | {
      type: 'RecordTracking';
      status: 'in_transit' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';
      source: TrackingSource;
      details: string | null;
      statusAt: string;
    }
  | {
      type: 'ResolveDeliveryFailure';
      action: 'redispatch' | 'contact_patient' | 'refund';
      staffId: string;
      note: string;
      now: string;
    }
  // Phase 13.
  | {
      type: 'RecordInstalmentCharge';
      chargeNumber: number;
      outcome:
        | { ok: true; paymentIntentId: string; amountPence: number }
        | { ok: false; failureCode: string };
      now: string;
    }
  | { type: 'CancelRemainingInstalments'; staffId: string; reason: string; now: string }
  | { type: 'CompletePlan'; now: string }
  | { type: 'RequestRenewal'; renewalConsultationId: string; now: string }
  | { type: 'ExpireAnswers'; now: string }
  // Exceptions and refunds.
  | { type: 'RequestCancellation'; message: string; now: string }
  | { type: 'CancelConsultation'; staffId: string; reason: string; now: string }
  | { type: 'RejectTimedOut'; staffId: string; now: string }
  | {
      type: 'RecordRefundConfirmed';
      refundId: string;
      stripeEventId: string;
      amountPence: number;
      now: string;
    };

export type ConsultationCommandType = ConsultationCommand['type'];
export type CommandOf<T extends ConsultationCommandType> = Extract<ConsultationCommand, { type: T }>;
