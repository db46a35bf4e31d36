import { accountStream } from '../../domain/consultation/account.js';
import {
  type ActivePlan,
  consultationStream,
  type PriorSubmission,
} from '../../domain/consultation/consultation.js';
import type { ConsultationStatus } from '../../domain/consultation/consultationEvents.js';
import type { ConsultationState } from '../../domain/consultation/consultationState.js';
import type { Answers } from '../../domain/consultation/questionnaire.js';
import type { SqlQueryable } from '../../platform/sql.js';

type Db = SqlQueryable;

/** SQL for a list row's incident states (comma-separated) across both of its streams. */
const INCIDENT_JOIN = `LEFT JOIN LATERAL (
    SELECT string_agg(i.state, ',') AS incident_states FROM integration_incidents i
     WHERE i.stream_name IN ('consultation-' || c.consultation_id, 'consultationaccount-' || c.consultation_id)
  ) inc ON TRUE`;

const incidentStatesOf = (joined: string | null) => (joined ? joined.split(',') : []);

/** A queue item's renewal-overlap flag, with the banner the team sees. */
export const overlapFlag = <O extends { activePlanEndsAt: unknown }>(overlap: O | null | undefined) =>
  overlap
    ? {
        ...overlap,
        banner: `RENEWAL OVERLAP: an earlier plan runs until ${String(overlap.activePlanEndsAt).slice(0, 10)}`,
      }
    : null;

/** The pharmacy team's views of the queue. `$1` is the instant before which a paid case has stalled. */
const PHARMACY_VIEWS = {
  /** Authorised supplies to print, pack and dispatch (Phases 9–11). */
  dispensing: `c.status IN ('prescribed', 'dispatch_pending')`,
  /** Everything a person must act on. */
  exceptions: `(c.status IN ('delivery_failed', 'instalment_paused')
      OR (c.cancellation_requested_at IS NOT NULL AND c.status NOT IN ('cancelled', 'refunded'))
      OR c.stock_blocked OR inc.incident_states IS NOT NULL
      OR jsonb_array_length(c.detail->'refundsFailed') > 0)`,
  identity: `c.status = 'id_manual_review'`,
  /** Drafts flagged after 7 days without a save. */
  drafts: `c.status = 'draft' AND c.draft_inactive_since IS NOT NULL`,
  /** Paid cases untouched for 30 days: the team may close and refund them. */
  stalled: `c.status IN ('awaiting_id_verification', 'id_document_requested', 'id_manual_review', 'in_clinical_review', 'awaiting_response')
      AND c.last_activity_at <= $1`,
  all: 'TRUE',
} as const;

export type PharmacyView = keyof typeof PHARMACY_VIEWS;
export const PHARMACY_VIEW_NAMES = Object.keys(PHARMACY_VIEWS) as [PharmacyView, ...PharmacyView[]];

/**
 * One page of a pharmacy queue view, renewal overlaps first. Each item carries the states of its
 * vendor incidents for the caller to mark as pending.
 */
export const pharmacyQueue = async (
  db: Db,
  page: { view: PharmacyView; page: number; pageSize: number; stalledBefore: Date },
) => {
  const { rows } = await db.query(
    `SELECT c.consultation_id, c.status, c.status_since, c.patient_name, c.product_id, c.product_name, c.product_kind,
            c.supply_number, c.stock_blocked, c.overlap_flagged, c.repeat_flagged, c.tracking_number,
            c.cancellation_requested_at, c.draft_inactive_since, c.last_activity_at, c.plan_ends_at,
            c.detail->'state'->'plan' AS plan, c.detail->'state'->'flags'->'renewalOverlap' AS overlap,
            c.detail->'refundsFailed' AS refunds_failed, inc.incident_states, count(*) OVER () AS total
       FROM consultations c ${INCIDENT_JOIN}
      WHERE c.status <> 'none' AND $1::timestamptz IS NOT NULL AND (${PHARMACY_VIEWS[page.view]})
      ORDER BY c.overlap_flagged DESC, c.status_since LIMIT $2 OFFSET $3`,
    [page.stalledBefore, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => ({
      consultationId: r.consultation_id,
      status: r.status,
      statusSince: r.status_since,
      patientName: r.patient_name,
      product: { id: r.product_id, name: r.product_name, kind: r.product_kind },
      plan: r.plan,
      supplyNumber: r.supply_number,
      trackingNumber: r.tracking_number,
      planEndsAt: r.plan_ends_at,
      lastActivityAt: r.last_activity_at,
      flags: {
        renewalOverlap: overlapFlag(r.overlap),
        repeatSubmission: r.repeat_flagged,
        outOfStock: r.stock_blocked,
        cancellationRequestedAt: r.cancellation_requested_at,
        draftInactiveSince: r.draft_inactive_since,
        refundFailed: (r.refunds_failed ?? []).length > 0,
      },
      incidentStates: incidentStatesOf(r.incident_states),
    })),
  };
};

/** Cases a clinician still has in hand: to decide, waiting on the patient, or (POM) awaiting the signature. */
export const OPEN_REVIEW_STATUSES = ['in_clinical_review', 'awaiting_response', 'approved'];

/** A review queue's open cases, renewal overlaps first, then in the order they were queued. */
export const openReviewCases = async (db: Db, queue: 'prescriber' | 'pharmacist') => {
  const { rows } = await db.query<{
    consultation_id: string;
    status: ConsultationStatus;
    status_since: Date;
    queued_at: Date | null;
    product_name: string | null;
    patient_name: string | null;
    renewal_of: string | null;
    flags: ConsultationState['flags'];
    incident_states: string | null;
  }>(
    `SELECT c.consultation_id, c.status, c.status_since, c.queued_at, c.product_name, c.patient_name,
            c.repeat_flagged, c.overlap_flagged, c.renewal_of, c.detail->'state'->'flags' AS flags, inc.incident_states
       FROM consultations c ${INCIDENT_JOIN}
      WHERE c.review_queue = $1 AND c.status = ANY ($2::text[])
      ORDER BY c.overlap_flagged DESC, c.queued_at`,
    [queue, OPEN_REVIEW_STATUSES],
  );
  return rows.map((r) => ({
    consultationId: r.consultation_id,
    status: r.status,
    statusSince: r.status_since,
    queuedAt: r.queued_at,
    product: r.product_name,
    patientName: r.patient_name,
    renewalOf: r.renewal_of,
    flags: r.flags,
    incidentStates: incidentStatesOf(r.incident_states),
  }));
};

/** Cases of a queue still waiting for a clinician, for the notification digest. */
export const casesAwaitingReview = async (db: Db, queue: 'prescriber' | 'pharmacist') => {
  const { rows } = await db.query<{
    consultation_id: string;
    product_name: string;
    repeat_flagged: boolean;
    overlap_flagged: boolean;
  }>(
    `SELECT consultation_id, product_name, repeat_flagged, overlap_flagged FROM consultations
      WHERE review_queue = $1 AND status = 'in_clinical_review' ORDER BY queued_at`,
    [queue],
  );
  return rows.map((r) => ({
    consultationId: r.consultation_id,
    productName: r.product_name,
    renewalOverlap: r.overlap_flagged,
    repeatSubmission: r.repeat_flagged,
  }));
};

/** Other consultations of the same patient and product; without a patient yet, there are none. */
type SamePatientAndProduct = {
  patientRef: string | null;
  productId: string;
  excludingConsultationId: string;
};

/** The patient's latest earlier submission for this product: the answers a repeat is compared with. */
export const latestOtherSubmission = async (
  db: Db,
  asked: SamePatientAndProduct,
): Promise<PriorSubmission | null> => {
  const { rows } = await db.query<{ consultation_id: string; submitted_at: Date; answers: Answers }>(
    `SELECT consultation_id, submitted_at, detail->'lastSubmission'->'answers' AS answers FROM consultations
      WHERE patient_ref = $1 AND product_id = $2 AND consultation_id <> $3 AND submitted_at IS NOT NULL
      ORDER BY submitted_at DESC LIMIT 1`,
    [asked.patientRef, asked.productId, asked.excludingConsultationId],
  );
  const row = rows[0];
  return row
    ? {
        consultationId: row.consultation_id,
        answers: row.answers,
        submittedAt: row.submitted_at.toISOString(),
      }
    : null;
};

/** Statuses in which a plan is still supplying the patient. */
const SUPPLYING = [
  'prescribed',
  'dispatch_pending',
  'dispatched',
  'delivered',
  'delivery_failed',
  'instalment_paused',
];

/** Another plan of the same treatment still supplying the patient at `now`, the longest-running first. */
export const otherActivePlan = async (
  db: Db,
  asked: SamePatientAndProduct & { now: Date },
): Promise<ActivePlan | null> => {
  const { rows } = await db.query<{ consultation_id: string; plan_ends_at: Date }>(
    `SELECT consultation_id, plan_ends_at FROM consultations
      WHERE patient_ref = $1 AND product_id = $2 AND consultation_id <> $3 AND plan_ends_at > $4
        AND status = ANY ($5::text[])
      ORDER BY plan_ends_at DESC LIMIT 1`,
    [asked.patientRef, asked.productId, asked.excludingConsultationId, asked.now, SUPPLYING],
  );
  const row = rows[0];
  return row ? { consultationId: row.consultation_id, endsAt: row.plan_ends_at.toISOString() } : null;
};

export type ConsultationIncident = {
  state: 'pending_api_unavailable' | 'manual_handling';
  integration: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string;
  processManager: string;
  triggerEventId: string;
};

/** Vendor calls of this consultation waiting on the retry schedule or flagged for a person, latest first. */
export const consultationIncidents = async (
  db: Db,
  consultationId: string,
): Promise<ConsultationIncident[]> => {
  const { rows } = await db.query(
    `SELECT state, integration, attempts, next_attempt_at, last_error, process_manager, trigger_event_id
       FROM integration_incidents WHERE stream_name = ANY ($1::text[]) ORDER BY updated_at DESC`,
    [[consultationStream(consultationId), accountStream(consultationId)]],
  );
  return rows.map((r) => ({
    state: r.state,
    integration: r.integration,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    lastError: r.last_error,
    processManager: r.process_manager,
    triggerEventId: r.trigger_event_id,
  }));
};
