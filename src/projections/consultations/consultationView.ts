import { type Account, emptyAccount, evolveAccount } from '../../domain/consultation/account.js';
import type { ConsultationEvent } from '../../domain/consultation/consultationEvents.js';
import {
  type ConsultationState,
  evolve as evolveConsultation,
  initialState,
} from '../../domain/consultation/consultationState.js';
import type { Answers } from '../../domain/consultation/questionnaire.js';

type Recorded = {
  type: string;
  data: unknown;
  streamName: string;
  metadata: { occurredAt: string; actor: string };
};

/**
 * What the patient page, the review queues and the pharmacy queue read of a consultation: the
 * decider's own state (folded with the same `evolve`, so the two never disagree), its account
 * facts, and the history people need to see, in order.
 */
export type ConsultationView = {
  consultationId: string;
  state: ConsultationState;
  account: Account;
  startedAt: string | null;
  statusSince: string;
  updatedAt: string;
  /** The answers last judged, submitted or auto-denied: what a repeat submission is compared with. */
  lastSubmission: { answers: Answers; at: string; outcome: 'submitted' | 'auto_denied' } | null;
  /** For the clinical record only, never shown to the patient. */
  autoDenial: { ruleIds: string[]; reasons: string[]; at: string } | null;
  messages: { from: 'clinician' | 'patient'; text: string; at: string; by: string }[];
  decision: { outcome: 'approved' | 'denied'; by: string; role: string; note: string; at: string } | null;
  identity: {
    electronic: { outcome: 'pass' | 'fail'; reference: string; at: string }[];
    document: { key: string; contentType: string; uploadedAt: string } | null;
    manualReview: { outcome: 'pass' | 'fail'; reviewerId: string; reason: string; at: string } | null;
  };
  paymentFailures: { checkoutSessionId: string; failureCode: string; at: string }[];
  instalmentCharges: { chargeNumber: number; ok: boolean; failureCode: string | null; at: string }[];
  shipments: {
    supplyNumber: number;
    shipmentId: string;
    trackingNumber: string;
    service: string;
    at: string;
  }[];
  tracking: { supplyNumber: number; status: string; details: string | null; source: string; at: string }[];
  deliveryActions: { supplyNumber: number; action: string; note: string; by: string; at: string }[];
  stockBlockedAt: string | null;
  refundsFailed: { refundId: string; reason: string | null }[];
  plan: { endsAt: string | null; graceEndsAt: string | null; completedAt: string | null };
  consultationRequired: { reason: string; at: string } | null;
  cancellation: { reason: string; by: string; at: string } | null;
  gpLetter: { letterId: string; sentAt: string } | null;
  pmr: { pmrPatientId: string; method: string; at: string } | null;
};

export const emptyView = (consultationId: string, at: string): ConsultationView => ({
  consultationId,
  state: initialState(),
  account: emptyAccount(),
  startedAt: null,
  statusSince: at,
  updatedAt: at,
  lastSubmission: null,
  autoDenial: null,
  messages: [],
  decision: null,
  identity: { electronic: [], document: null, manualReview: null },
  paymentFailures: [],
  instalmentCharges: [],
  shipments: [],
  tracking: [],
  deliveryActions: [],
  stockBlockedAt: null,
  refundsFailed: [],
  plan: { endsAt: null, graceEndsAt: null, completedAt: null },
  consultationRequired: null,
  cancellation: null,
  gpLetter: null,
  pmr: null,
});

const sourceOf = (source: { kind: string; staffId?: string }) =>
  source.kind === 'manual' ? `staff:${source.staffId}` : source.kind;

/** The parts of the view beyond the decider's state, per event. */
const applyHistory = (view: ConsultationView, event: ConsultationEvent): ConsultationView => {
  switch (event.type) {
    case 'ConsultationStarted':
      return { ...view, startedAt: event.data.startedAt };
    case 'ConsultationAutoDenied':
      return {
        ...view,
        lastSubmission: { answers: event.data.answers, at: event.data.deniedAt, outcome: 'auto_denied' },
        autoDenial: {
          ruleIds: event.data.ruleIds,
          reasons: event.data.reasonsForClinicalRecord,
          at: event.data.deniedAt,
        },
      };
    case 'QuestionnaireSubmitted':
      return {
        ...view,
        lastSubmission: { answers: event.data.answers, at: event.data.submittedAt, outcome: 'submitted' },
      };
    case 'PaymentFailed':
      return {
        ...view,
        paymentFailures: [
          ...view.paymentFailures,
          {
            checkoutSessionId: event.data.checkoutSessionId,
            failureCode: event.data.failureCode,
            at: event.data.failedAt,
          },
        ],
      };
    case 'IdentityVerified':
    case 'IdentityCheckFailed': {
      const passed = event.type === 'IdentityVerified';
      if (passed && event.data.method !== 'electronic') return view;
      return {
        ...view,
        identity: {
          ...view.identity,
          electronic: [
            ...view.identity.electronic,
            {
              outcome: passed ? 'pass' : 'fail',
              reference: event.data.reference,
              at: passed ? event.data.verifiedAt : event.data.failedAt,
            },
          ],
        },
      };
    }
    case 'IdDocumentUploaded':
      return {
        ...view,
        identity: {
          ...view.identity,
          document: {
            key: event.data.document.key,
            contentType: event.data.document.contentType,
            uploadedAt: event.data.uploadedAt,
          },
        },
      };
    case 'IdentityRejected':
      return {
        ...view,
        identity: {
          ...view.identity,
          manualReview: {
            outcome: 'fail',
            reviewerId: event.data.reviewerId,
            reason: event.data.reason,
            at: event.data.rejectedAt,
          },
        },
      };
    case 'MoreInformationRequested':
      return {
        ...view,
        messages: [
          ...view.messages,
          {
            from: 'clinician',
            text: event.data.question,
            at: event.data.requestedAt,
            by: event.data.clinicianId,
          },
        ],
      };
    case 'PatientReplied':
      return {
        ...view,
        messages: [
          ...view.messages,
          { from: 'patient', text: event.data.message, at: event.data.repliedAt, by: 'patient' },
        ],
      };
    case 'TreatmentApproved':
      return {
        ...view,
        decision: {
          outcome: 'approved',
          by: event.data.prescriberId,
          role: 'prescriber',
          note: event.data.notes,
          at: event.data.approvedAt,
        },
      };
    case 'PharmacySupplyApproved':
      return {
        ...view,
        decision: {
          outcome: 'approved',
          by: event.data.pharmacistId,
          role: 'pharmacist',
          note: event.data.notes,
          at: event.data.approvedAt,
        },
      };
    case 'TreatmentDenied':
      return {
        ...view,
        decision: {
          outcome: 'denied',
          by: event.data.clinicianId,
          role: event.data.role,
          note: event.data.reason,
          at: event.data.deniedAt,
        },
      };
    case 'PlanStarted':
      return { ...view, plan: { ...view.plan, endsAt: event.data.endsAt } };
    case 'RemainingInstalmentsCancelled':
      return { ...view, plan: { ...view.plan, endsAt: event.data.planEndsAt } };
    case 'PlanCompleted':
      return {
        ...view,
        plan: {
          endsAt: event.data.planEndsAt,
          graceEndsAt: event.data.graceEndsAt,
          completedAt: event.data.completedAt,
        },
      };
    case 'GpLetterSent':
      return { ...view, gpLetter: { letterId: event.data.letterId, sentAt: event.data.sentAt } };
    case 'PmrSynced':
      return {
        ...view,
        pmr: { pmrPatientId: event.data.pmrPatientId, method: event.data.method, at: event.data.syncedAt },
      };
    case 'DispatchBlockedOutOfStock':
      return { ...view, stockBlockedAt: event.data.blockedAt };
    case 'SupplyPacked':
    case 'PharmacyQueueEntered':
      return { ...view, stockBlockedAt: null };
    case 'OrderDispatched':
      return {
        ...view,
        shipments: [
          ...view.shipments,
          {
            supplyNumber: event.data.supplyNumber,
            shipmentId: event.data.shipmentId,
            trackingNumber: event.data.trackingNumber,
            service: event.data.service,
            at: event.data.dispatchedAt,
          },
        ],
      };
    case 'TrackingUpdated':
    case 'SupplyDelivered':
    case 'DeliveryFailed': {
      const entry =
        event.type === 'TrackingUpdated'
          ? { status: event.data.status, details: event.data.details, at: event.data.statusAt }
          : event.type === 'SupplyDelivered'
            ? { status: 'delivered', details: null, at: event.data.deliveredAt }
            : { status: event.data.outcome, details: event.data.details, at: event.data.statusAt };
      return {
        ...view,
        tracking: [
          ...view.tracking,
          { supplyNumber: event.data.supplyNumber, source: sourceOf(event.data.source), ...entry },
        ],
      };
    }
    case 'RedispatchRequested':
    case 'PatientContactedAboutDelivery':
      return {
        ...view,
        deliveryActions: [
          ...view.deliveryActions,
          {
            supplyNumber: event.data.supplyNumber,
            action: event.type === 'RedispatchRequested' ? 'redispatch' : 'contact_patient',
            note: event.data.note,
            by: event.data.staffId,
            at: event.type === 'RedispatchRequested' ? event.data.requestedAt : event.data.contactedAt,
          },
        ],
      };
    case 'InstalmentChargeSucceeded':
      return {
        ...view,
        instalmentCharges: [
          ...view.instalmentCharges,
          { chargeNumber: event.data.chargeNumber, ok: true, failureCode: null, at: event.data.chargedAt },
        ],
      };
    case 'InstalmentChargeFailed':
      return {
        ...view,
        instalmentCharges: [
          ...view.instalmentCharges,
          {
            chargeNumber: event.data.chargeNumber,
            ok: false,
            failureCode: event.data.failureCode,
            at: event.data.failedAt,
          },
        ],
      };
    case 'ConsultationRequired':
      return { ...view, consultationRequired: { reason: event.data.reason, at: event.data.requiredAt } };
    case 'ConsultationCancelled':
      return {
        ...view,
        cancellation: { reason: event.data.reason, by: event.data.staffId, at: event.data.cancelledAt },
      };
    case 'ConsultationTimedOut':
      return {
        ...view,
        cancellation: {
          reason: 'timed out after 30 days',
          by: event.data.staffId,
          at: event.data.timedOutAt,
        },
      };
    default:
      return view;
  }
};

/** Applies one event of the consultation or its account stream. */
export const applyToConsultationView = (
  current: ConsultationView | null,
  consultationId: string,
  recorded: Recorded,
): ConsultationView => {
  const at = recorded.metadata.occurredAt;
  const view = current ?? emptyView(consultationId, at);
  if (recorded.streamName.startsWith('consultationaccount-')) {
    const account = evolveAccount(view.account, recorded);
    const refundsFailed =
      recorded.type === 'RefundFailedAtStripe'
        ? [...view.refundsFailed, recorded.data as { refundId: string; reason: string | null }]
        : view.refundsFailed;
    return { ...view, account, refundsFailed, updatedAt: at };
  }
  const event = { type: recorded.type, data: recorded.data } as ConsultationEvent;
  const state = evolveConsultation(view.state, event);
  const moved = state.status !== view.state.status;
  return {
    ...applyHistory(view, event),
    state,
    statusSince: moved ? at : view.statusSince,
    updatedAt: at,
  };
};
