import type { ProductKind } from './catalogue.js';
import type { Plan, PlanLength, PlanPrice } from './plan.js';
import type { AnswerChange, Answers } from './questionnaire.js';

/**
 * A consultation's statuses. The seed's terminal states map onto them: Auto-Denied, Awaiting
 * Payment, Rejected → Refunded, Awaiting Response, Abandoned (Draft), Cancelled → Refunded,
 * Abandoned → Refunded, Delivery Failed, Instalment Paused, Consultation Required. "Flagged for
 * Review" is a flag on the case and "Pending (API Down)" a platform marker; neither is a status.
 */
export const CONSULTATION_STATUSES = [
  'draft',
  'auto_denied',
  'awaiting_payment',
  'awaiting_id_verification',
  'id_document_requested',
  'id_manual_review',
  'in_clinical_review',
  'awaiting_response',
  'approved',
  'prescribed',
  'rejected',
  'refunded',
  'cancelled',
  'abandoned',
  'dispatch_pending',
  'dispatched',
  'delivered',
  'delivery_failed',
  'instalment_paused',
  'plan_completed',
  'consultation_required',
] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** What the consultation was started against, frozen so later catalogue edits do not rewrite it. */
export type ProductSnapshot = {
  productId: string;
  name: string;
  kind: ProductKind;
  coldChain: boolean;
  pricePence: number;
  planLengthsMonths: readonly PlanLength[];
  allowsOneOff: boolean;
  allowsInstalments: boolean;
  gracePeriodExtraMonths: number;
  questionnaireVersion: string;
};

/** What a renewal or reorder carries over from the consultation it follows. */
export type RenewalBasis = {
  previousConsultationId: string;
  productId: string;
  /** The 12-month limit runs from the first approval of the treatment, across renewals. */
  firstApprovedAt: string;
  identityVerifiedAt: string;
  answers: Answers;
  previousPlanEndsAt: string;
};

export type ReviewQueue = 'prescriber' | 'pharmacist';
export type ClinicianRole = ReviewQueue;

export type RefundReason =
  | 'id_check_failed'
  | 'clinical_denial'
  | 'patient_cancellation'
  | 'consultation_timeout'
  | 'delivery_failed';

export type StoredDocument = { key: string; contentType: string; sha256: string };

/** Phase 7A covers one order; 7B one Rx for every month of the instalment plan. */
export type PrescriptionScope =
  | { phase: '7A'; kind: 'single_order' }
  | { phase: '7B'; kind: 'full_plan'; months: PlanLength };

/** Royal Mail's webhook, or a staff member typing the status in when the webhook is not there. */
export type TrackingSource =
  | { kind: 'royal_mail'; webhookEventId: string }
  | { kind: 'manual'; staffId: string };

export type ConsultationRequiredReason = 'twelve_month_limit' | 'grace_period_expired';

export type PatientNotification =
  | { template: 'treatment_approved' }
  | { template: 'refund_confirmed'; reason: RefundReason };

export type ConsultationEvent =
  // Phase 1–2: product selection and the questionnaire.
  | {
      type: 'ConsultationStarted';
      data: {
        consultationId: string;
        patientRef: string;
        product: ProductSnapshot;
        renewalOf: RenewalBasis | null;
        startedAt: string;
      };
    }
  | { type: 'AnswersSaved'; data: { stepId: string; answers: Answers; savedAt: string } }
  | { type: 'DraftReminderSent'; data: { inactiveSince: string; sentAt: string } }
  | { type: 'DraftFlaggedInactive'; data: { inactiveSince: string; flaggedAt: string } }
  | { type: 'ConsultationAbandoned'; data: { inactiveSince: string; abandonedAt: string } }
  | {
      type: 'ConsultationAutoDenied';
      /** For the clinical record only: the patient sees AUTO_DENY_PATIENT_MESSAGE and nothing else. */
      data: {
        ruleIds: string[];
        reasonsForClinicalRecord: string[];
        answers: Answers;
        questionnaireVersion: string;
        deniedAt: string;
      };
    }
  | {
      type: 'QuestionnaireSubmitted';
      data: { answers: Answers; questionnaireVersion: string; submittedAt: string };
    }
  // Phase 3: plan and payment.
  | { type: 'PlanChosen'; data: { plan: Plan; price: PlanPrice; chosenAt: string } }
  | {
      type: 'CheckoutStarted';
      data: { checkoutSessionId: string; plan: Plan; amountPence: number; startedAt: string };
    }
  | {
      type: 'PaymentCaptured';
      data: {
        checkoutSessionId: string;
        paymentIntentId: string;
        plan: Plan;
        amountPence: number;
        capturedAt: string;
      };
    }
  | { type: 'PaymentFailed'; data: { checkoutSessionId: string; failureCode: string; failedAt: string } }
  // Phase 4: identity.
  | {
      type: 'IdentityVerified';
      data: { method: 'electronic' | 'manual' | 'carried_over'; reference: string; verifiedAt: string };
    }
  | { type: 'IdentityCheckFailed'; data: { reference: string; failedAt: string } }
  | { type: 'IdDocumentRequested'; data: { requestedAt: string } }
  | { type: 'IdDocumentUploaded'; data: { document: StoredDocument; uploadedAt: string } }
  | { type: 'IdentityRejected'; data: { reviewerId: string; reason: string; rejectedAt: string } }
  // Phase 5–6: review queue and the clinician's decision.
  | { type: 'ReviewQueued'; data: { queue: ReviewQueue; queuedAt: string } }
  | {
      type: 'RepeatSubmissionFlagged';
      data: {
        priorConsultationId: string;
        priorSubmittedAt: string;
        diff: AnswerChange[];
        flaggedAt: string;
      };
    }
  | {
      type: 'RenewalOverlapFlagged';
      data: { activeConsultationId: string; activePlanEndsAt: string; flaggedAt: string };
    }
  | { type: 'MoreInformationRequested'; data: { clinicianId: string; question: string; requestedAt: string } }
  | { type: 'PatientReplied'; data: { message: string; repliedAt: string } }
  | {
      type: 'TreatmentApproved';
      data: { prescriberId: string; notes: string; approvedAt: string; firstApprovedAt: string };
    }
  | {
      type: 'PharmacySupplyApproved';
      /** A P medicine: the pharmacist's approval is logged and no prescription is written. */
      data: { pharmacistId: string; notes: string; approvedAt: string; firstApprovedAt: string };
    }
  | {
      type: 'TreatmentDenied';
      data: { clinicianId: string; role: ClinicianRole; reason: string; deniedAt: string };
    }
  // Phase 7: the prescription in SignatureRx.
  | {
      type: 'PrescriptionCreated';
      data: { prescriptionId: string; scope: PrescriptionScope; createdAt: string };
    }
  | {
      type: 'PrescriptionSigned';
      /** Final: a signed prescription is never voided or replaced. */
      data: { prescriptionId: string; webhookEventId: string; signedAt: string };
    }
  | {
      type: 'PlanStarted';
      data: { startsAt: string; endsAt: string; suppliesTotal: number; instalmentChargesDueAt: string[] };
    }
  // Phase 8: three post-approval triggers, each its own event so each process reacts to one.
  | { type: 'GpLetterRequested'; data: { prescriptionId: string | null; requestedAt: string } }
  | { type: 'PatientNotificationRequested'; data: PatientNotification & { requestedAt: string } }
  | {
      type: 'PharmacyQueueEntered';
      data: { supplyNumber: number; renewalOverlap: boolean; coldChain: boolean; enteredAt: string };
    }
  | { type: 'GpLetterSent'; data: { letterId: string; sentAt: string } }
  // Phase 9: PMR and dispensing slip.
  | {
      type: 'PmrSynced';
      data: { pmrPatientId: string; method: 'api' | 'manual_export'; syncedAt: string };
    }
  | { type: 'DispensingSlipPrinted'; data: { supplyNumber: number; slipId: string; printedAt: string } }
  // Phase 11–12: dispatch and delivery.
  | {
      type: 'DispatchBlockedOutOfStock';
      data: { supplyNumber: number; productId: string; stockOnHand: number; blockedAt: string };
    }
  | {
      type: 'SupplyPacked';
      data: { supplyNumber: number; staffId: string; renewalOverlapAcknowledged: boolean; packedAt: string };
    }
  | {
      type: 'OrderDispatched';
      data: {
        supplyNumber: number;
        shipmentId: string;
        trackingNumber: string;
        service: string;
        coldChain: boolean;
        dispatchedAt: string;
      };
    }
  | {
      type: 'TrackingUpdated';
      data: {
        supplyNumber: number;
        status: 'in_transit' | 'out_for_delivery';
        source: TrackingSource;
        details: string | null;
        statusAt: string;
      };
    }
  | {
      type: 'SupplyDelivered';
      data: { supplyNumber: number; source: TrackingSource; deliveredAt: string };
    }
  | {
      type: 'DeliveryFailed';
      data: {
        supplyNumber: number;
        outcome: 'failed' | 'returned';
        source: TrackingSource;
        details: string | null;
        statusAt: string;
      };
    }
  | {
      type: 'RedispatchRequested';
      data: { supplyNumber: number; staffId: string; note: string; requestedAt: string };
    }
  | {
      type: 'PatientContactedAboutDelivery';
      data: { supplyNumber: number; staffId: string; note: string; contactedAt: string };
    }
  // Phase 13: instalments, plan end, renewal.
  | {
      type: 'InstalmentChargeSucceeded';
      data: { chargeNumber: number; paymentIntentId: string; amountPence: number; chargedAt: string };
    }
  | { type: 'InstalmentChargeFailed'; data: { chargeNumber: number; failureCode: string; failedAt: string } }
  | { type: 'InstalmentPaused'; data: { chargeNumber: number; pausedAt: string } }
  | { type: 'InstalmentResumed'; data: { chargeNumber: number; resumedAt: string } }
  | {
      type: 'RemainingInstalmentsCancelled';
      data: { fromCharge: number; staffId: string; reason: string; planEndsAt: string; cancelledAt: string };
    }
  | { type: 'PlanCompleted'; data: { planEndsAt: string; graceEndsAt: string; completedAt: string } }
  | {
      type: 'RenewalRequested';
      data: {
        renewalConsultationId: string;
        kind: 'new_plan' | 'reorder';
        basis: RenewalBasis;
        overlapsActivePlan: boolean;
        requestedAt: string;
      };
    }
  | { type: 'AnswersCleared'; data: { reason: ConsultationRequiredReason; clearedAt: string } }
  | { type: 'ConsultationRequired'; data: { reason: ConsultationRequiredReason; requiredAt: string } }
  // Exceptions and refunds.
  | { type: 'CancellationRequested'; data: { message: string; requestedAt: string } }
  | {
      type: 'ConsultationCancelled';
      data: { staffId: string; reason: string; fromStatus: ConsultationStatus; cancelledAt: string };
    }
  | { type: 'ConsultationTimedOut'; data: { staffId: string; inactiveSince: string; timedOutAt: string } }
  | {
      type: 'RefundRequested';
      data: { reason: RefundReason; amountPence: number; paymentIntentIds: string[]; requestedAt: string };
    }
  | {
      type: 'RefundConfirmed';
      data: { refundId: string; stripeEventId: string; amountPence: number; confirmedAt: string };
    };

export type ConsultationEventType = ConsultationEvent['type'];
