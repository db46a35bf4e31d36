import type {
  ConsultationEvent,
  ConsultationStatus,
  PrescriptionScope,
  ProductSnapshot,
  RefundReason,
  RenewalBasis,
  ReviewQueue,
} from './consultationEvents.js';
import type { Plan, PlanPrice } from './plan.js';
import type { AnswerChange, Answers } from './questionnaire.js';

export type CheckoutSession = { id: string; plan: Plan; price: PlanPrice; amountPence: number };
/** Money actually taken: charge 1 at checkout, charges 2..N monthly. */
export type Charge = { number: number; paymentIntentId: string; amountPence: number };

/** The supply (month) the pharmacy is working on now. */
export type Supply = {
  number: number;
  slipId: string | null;
  packed: boolean;
  blockedOutOfStockAt: string | null;
  shipmentId: string | null;
  lastTrackingAt: string | null;
};

/** "Flagged for Review" and its kin: marks on the case, never statuses of their own. */
export type Flags = {
  repeatSubmission: { priorConsultationId: string; diff: AnswerChange[] } | null;
  renewalOverlap: { activeConsultationId: string; activePlanEndsAt: string } | null;
  draftInactiveSince: string | null;
  cancellationRequestedAt: string | null;
};

export type Refund = {
  reason: RefundReason;
  amountPence: number;
  requestedAt: string;
  /** The status the refund closes (rejected, cancelled, abandoned, delivery_failed). */
  closes: ConsultationStatus | 'none';
  confirmed: { refundId: string; confirmedAt: string } | null;
};

export type ConsultationState = {
  status: ConsultationStatus | 'none';
  consultationId: string | null;
  patientRef: string | null;
  product: ProductSnapshot | null;
  renewalOf: RenewalBasis | null;
  /** The draft as saved step by step; the submitted set is kept apart below. */
  answers: Answers;
  submitted: { answers: Answers; at: string } | null;
  /** The last move by the patient or the clinic; drives draft reminders and the 30-day timeout. */
  lastActivityAt: string | null;
  remindedAt: string | null;
  plan: Plan | null;
  price: PlanPrice | null;
  checkoutSessions: CheckoutSession[];
  charges: Charge[];
  idCheckReferences: string[];
  identityVerifiedAt: string | null;
  review: { queue: ReviewQueue; queuedAt: string } | null;
  flags: Flags;
  firstApprovedAt: string | null;
  prescription: { id: string; scope: PrescriptionScope; signedAt: string | null } | null;
  period: { startsAt: string; endsAt: string; suppliesTotal: number } | null;
  gpLetter: 'not_requested' | 'requested' | 'sent';
  pmrSynced: boolean;
  supply: Supply | null;
  suppliesDispatched: number;
  refund: Refund | null;
  renewalConsultationId: string | null;
  answersCleared: boolean;
};

export const initialState = (): ConsultationState => ({
  status: 'none',
  consultationId: null,
  patientRef: null,
  product: null,
  renewalOf: null,
  answers: {},
  submitted: null,
  lastActivityAt: null,
  remindedAt: null,
  plan: null,
  price: null,
  checkoutSessions: [],
  charges: [],
  idCheckReferences: [],
  identityVerifiedAt: null,
  review: null,
  flags: {
    repeatSubmission: null,
    renewalOverlap: null,
    draftInactiveSince: null,
    cancellationRequestedAt: null,
  },
  firstApprovedAt: null,
  prescription: null,
  period: null,
  gpLetter: 'not_requested',
  pmrSynced: false,
  supply: null,
  suppliesDispatched: 0,
  refund: null,
  renewalConsultationId: null,
  answersCleared: false,
});

const newSupply = (number: number): Supply => ({
  number,
  slipId: null,
  packed: false,
  blockedOutOfStockAt: null,
  shipmentId: null,
  lastTrackingAt: null,
});

const withSupply = (state: ConsultationState, change: Partial<Supply>): ConsultationState =>
  state.supply ? { ...state, supply: { ...state.supply, ...change } } : state;

export const evolve = (
  state: ConsultationState,
  event: ConsultationEvent | { type: string; data: unknown },
): ConsultationState => {
  const e = event as ConsultationEvent;
  switch (e.type) {
    case 'ConsultationStarted':
      return {
        ...state,
        status: 'draft',
        consultationId: e.data.consultationId,
        patientRef: e.data.patientRef,
        product: e.data.product,
        renewalOf: e.data.renewalOf,
        // A renewal starts from the answers on record; the patient re-confirms them by submitting.
        answers: e.data.renewalOf?.answers ?? {},
        firstApprovedAt: e.data.renewalOf?.firstApprovedAt ?? null,
        lastActivityAt: e.data.startedAt,
      };
    case 'AnswersSaved':
      return {
        ...state,
        answers: { ...state.answers, ...e.data.answers },
        lastActivityAt: e.data.savedAt,
        remindedAt: null,
        flags: { ...state.flags, draftInactiveSince: null },
      };
    case 'DraftReminderSent':
      return { ...state, remindedAt: e.data.sentAt };
    case 'DraftFlaggedInactive':
      return { ...state, flags: { ...state.flags, draftInactiveSince: e.data.inactiveSince } };
    case 'ConsultationAbandoned':
      return { ...state, status: 'abandoned' };
    case 'ConsultationAutoDenied':
      return { ...state, status: 'auto_denied' };
    case 'QuestionnaireSubmitted':
      return {
        ...state,
        status: 'awaiting_payment',
        answers: e.data.answers,
        submitted: { answers: e.data.answers, at: e.data.submittedAt },
        lastActivityAt: e.data.submittedAt,
      };
    case 'PlanChosen':
      return { ...state, plan: e.data.plan, price: e.data.price };
    case 'CheckoutStarted':
      return state.price
        ? {
            ...state,
            checkoutSessions: [
              ...state.checkoutSessions,
              {
                id: e.data.checkoutSessionId,
                plan: e.data.plan,
                price: state.price,
                amountPence: e.data.amountPence,
              },
            ],
          }
        : state;
    case 'PaymentCaptured': {
      // The plan in force is the one the paid session was opened for, even if the patient changed it since.
      const session = state.checkoutSessions.find((s) => s.id === e.data.checkoutSessionId);
      return {
        ...state,
        status: 'awaiting_id_verification',
        plan: e.data.plan,
        price: session?.price ?? state.price,
        charges: [
          ...state.charges,
          { number: 1, paymentIntentId: e.data.paymentIntentId, amountPence: e.data.amountPence },
        ],
        lastActivityAt: e.data.capturedAt,
      };
    }
    case 'IdentityVerified':
      return {
        ...state,
        status: 'in_clinical_review',
        identityVerifiedAt: e.data.verifiedAt,
        idCheckReferences:
          e.data.method === 'electronic'
            ? [...state.idCheckReferences, e.data.reference]
            : state.idCheckReferences,
        lastActivityAt: e.data.verifiedAt,
      };
    case 'IdentityCheckFailed':
      return { ...state, idCheckReferences: [...state.idCheckReferences, e.data.reference] };
    case 'IdDocumentRequested':
      return { ...state, status: 'id_document_requested', lastActivityAt: e.data.requestedAt };
    case 'IdDocumentUploaded':
      return { ...state, status: 'id_manual_review', lastActivityAt: e.data.uploadedAt };
    case 'IdentityRejected':
      return { ...state, status: 'rejected' };
    case 'ReviewQueued':
      return { ...state, review: e.data, lastActivityAt: e.data.queuedAt };
    case 'RepeatSubmissionFlagged':
      return {
        ...state,
        flags: {
          ...state.flags,
          repeatSubmission: { priorConsultationId: e.data.priorConsultationId, diff: e.data.diff },
        },
      };
    case 'RenewalOverlapFlagged':
      return {
        ...state,
        flags: {
          ...state.flags,
          renewalOverlap: {
            activeConsultationId: e.data.activeConsultationId,
            activePlanEndsAt: e.data.activePlanEndsAt,
          },
        },
      };
    case 'MoreInformationRequested':
      return { ...state, status: 'awaiting_response', lastActivityAt: e.data.requestedAt };
    case 'PatientReplied':
      return { ...state, status: 'in_clinical_review', lastActivityAt: e.data.repliedAt };
    case 'TreatmentApproved':
      return { ...state, status: 'approved', firstApprovedAt: e.data.firstApprovedAt };
    case 'PharmacySupplyApproved':
      return { ...state, status: 'prescribed', firstApprovedAt: e.data.firstApprovedAt };
    case 'TreatmentDenied':
      return { ...state, status: 'rejected' };
    case 'PrescriptionCreated':
      return { ...state, prescription: { id: e.data.prescriptionId, scope: e.data.scope, signedAt: null } };
    case 'PrescriptionSigned':
      return {
        ...state,
        status: 'prescribed',
        prescription: state.prescription && { ...state.prescription, signedAt: e.data.signedAt },
      };
    case 'PlanStarted':
      return {
        ...state,
        period: { startsAt: e.data.startsAt, endsAt: e.data.endsAt, suppliesTotal: e.data.suppliesTotal },
      };
    case 'GpLetterRequested':
      return { ...state, gpLetter: state.gpLetter === 'sent' ? 'sent' : 'requested' };
    case 'PharmacyQueueEntered':
      return { ...state, supply: newSupply(e.data.supplyNumber) };
    case 'GpLetterSent':
      return { ...state, gpLetter: 'sent' };
    case 'PmrSynced':
      return { ...state, status: 'dispatch_pending', pmrSynced: true };
    case 'DispensingSlipPrinted':
      return withSupply(state, { slipId: e.data.slipId });
    case 'DispatchBlockedOutOfStock':
      return withSupply(state, { blockedOutOfStockAt: e.data.blockedAt });
    case 'SupplyPacked':
      return withSupply(state, { packed: true, blockedOutOfStockAt: null });
    case 'OrderDispatched':
      return {
        ...withSupply(state, { shipmentId: e.data.shipmentId, lastTrackingAt: e.data.dispatchedAt }),
        status: 'dispatched',
        suppliesDispatched: state.suppliesDispatched + 1,
      };
    case 'TrackingUpdated':
      return withSupply(state, { lastTrackingAt: e.data.statusAt });
    case 'SupplyDelivered':
      return { ...withSupply(state, { lastTrackingAt: e.data.deliveredAt }), status: 'delivered' };
    case 'DeliveryFailed':
      return { ...withSupply(state, { lastTrackingAt: e.data.statusAt }), status: 'delivery_failed' };
    case 'RedispatchRequested':
      // The returned parcel goes back through packing, and the stock check, before it ships again.
      return {
        ...withSupply(state, { packed: false, shipmentId: null, lastTrackingAt: null }),
        status: 'dispatch_pending',
      };
    case 'InstalmentChargeSucceeded':
      return {
        ...state,
        status: 'dispatch_pending',
        charges: [
          ...state.charges,
          {
            number: e.data.chargeNumber,
            paymentIntentId: e.data.paymentIntentId,
            amountPence: e.data.amountPence,
          },
        ],
      };
    case 'InstalmentPaused':
      return { ...state, status: 'instalment_paused' };
    case 'RemainingInstalmentsCancelled':
      return {
        ...state,
        status: 'plan_completed',
        period: state.period && {
          ...state.period,
          endsAt: e.data.planEndsAt,
          suppliesTotal: e.data.fromCharge - 1,
        },
      };
    case 'PlanCompleted':
      return { ...state, status: 'plan_completed' };
    case 'RenewalRequested':
      return { ...state, renewalConsultationId: e.data.renewalConsultationId };
    case 'AnswersCleared':
      return { ...state, answers: {}, submitted: null, answersCleared: true };
    case 'ConsultationRequired':
      return { ...state, status: 'consultation_required' };
    case 'CancellationRequested':
      return { ...state, flags: { ...state.flags, cancellationRequestedAt: e.data.requestedAt } };
    case 'ConsultationCancelled':
      return { ...state, status: 'cancelled' };
    case 'ConsultationTimedOut':
      return { ...state, status: 'abandoned' };
    case 'RefundRequested':
      return {
        ...state,
        refund: {
          reason: e.data.reason,
          amountPence: e.data.amountPence,
          requestedAt: e.data.requestedAt,
          closes: state.status,
          confirmed: null,
        },
      };
    case 'RefundConfirmed':
      return {
        ...state,
        status: 'refunded',
        refund: state.refund && {
          ...state.refund,
          confirmed: { refundId: e.data.refundId, confirmedAt: e.data.confirmedAt },
        },
      };
    default:
      // Messages, payment failures, notifications and platform events (a vendor call waiting on
      // its retry schedule, shown as "Pending (API Down)") leave the consultation where it is.
      return state;
  }
};
