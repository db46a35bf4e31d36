import type { SqlQueryable } from '../../platform/sql.js';

/**
 * The compliance report for a period [from, to): what happened to the orders and consultations
 * that arrived in it, every refusal with its reason and who made it, every refund asked for, and
 * how often each staff member read patient data. Outcomes come from the read models; refusals,
 * refunds and reads from the events themselves, by the time they happened.
 */
export type ComplianceReport = {
  period: { from: string; to: string };
  orders: { status: string; count: number }[];
  consultations: { status: string; count: number }[];
  refusals: {
    at: string;
    caseId: string;
    kind: string;
    reason: string;
    actor: string;
    actorName: string | null;
  }[];
  refunds: {
    at: string;
    caseId: string;
    amountMinor: number;
    currency: string;
    reason: string;
    actor: string;
  }[];
  phiReads: { actor: string; actorName: string | null; reads: number; subjects: number }[];
};

/** Events that refuse or end a case, with where each keeps its reason. */
const REFUSALS = {
  OrderCancelled: 'Order cancelled',
  TreatmentDenied: 'Treatment denied by clinician',
  ConsultationAutoDenied: 'Questionnaire auto-denied',
  IdentityRejected: 'Identity rejected',
  ConsultationCancelled: 'Consultation cancelled',
} as const;

const EVENT_TIME = `(e.metadata->>'occurredAt')::timestamptz`;
const IN_PERIOD = `${EVENT_TIME} >= $1 AND ${EVENT_TIME} < $2`;
const ACTOR_NAME = `LEFT JOIN staff_users s ON e.metadata->>'actor' = 'staff:' || s.id`;
/** `order-01J…` → `01J…`: the case a stream belongs to. */
const CASE_ID = `substr(e.stream_name, strpos(e.stream_name, '-') + 1)`;

export const complianceReport = async (
  pool: SqlQueryable,
  period: { from: Date; to: Date },
): Promise<ComplianceReport> => {
  const range = [period.from, period.to];
  const [orders, consultations, refusals, refunds, reads] = await Promise.all([
    pool.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM orders
        WHERE received_at >= $1 AND received_at < $2 GROUP BY status ORDER BY count DESC, status`,
      range,
    ),
    pool.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM consultations
        WHERE coalesce(started_at, status_since) >= $1 AND coalesce(started_at, status_since) < $2
        GROUP BY status ORDER BY count DESC, status`,
      range,
    ),
    pool.query<{
      at: Date;
      case_id: string;
      type: keyof typeof REFUSALS;
      reason: string | null;
      actor: string;
      actor_name: string | null;
    }>(
      `SELECT ${EVENT_TIME} AS at, ${CASE_ID} AS case_id, e.event_type AS type, e.metadata->>'actor' AS actor,
              s.display_name AS actor_name,
              coalesce(e.data->>'reason', array_to_string(ARRAY(
                SELECT jsonb_array_elements_text(e.data->'reasonsForClinicalRecord')), '; ')) AS reason
         FROM events e ${ACTOR_NAME}
        WHERE e.event_type = ANY ($3) AND ${IN_PERIOD}
        ORDER BY at, e.global_position`,
      [...range, Object.keys(REFUSALS)],
    ),
    pool.query<{
      at: Date;
      case_id: string;
      amount_minor: number;
      currency: string;
      reason: string;
      actor: string;
    }>(
      `SELECT ${EVENT_TIME} AS at, ${CASE_ID} AS case_id, e.metadata->>'actor' AS actor,
              coalesce(e.data->>'amountMinor', e.data->>'amountPence')::int AS amount_minor,
              upper(coalesce(e.data->>'currency', CASE WHEN e.stream_name LIKE 'consultation-%' THEN 'gbp' END, '')) AS currency,
              coalesce(e.data->>'reason', '') AS reason
         FROM events e
        WHERE e.event_type = 'RefundRequested' AND ${IN_PERIOD}
        ORDER BY at, e.global_position`,
      range,
    ),
    pool.query<{ actor: string; actor_name: string | null; reads: number; subjects: number }>(
      `SELECT e.metadata->>'actor' AS actor, min(s.display_name) AS actor_name, count(*)::int AS reads,
              count(DISTINCT e.stream_name)::int AS subjects
         FROM events e ${ACTOR_NAME}
        WHERE e.event_type = 'PatientDataAccessed' AND ${IN_PERIOD}
        GROUP BY e.metadata->>'actor' ORDER BY reads DESC, actor`,
      range,
    ),
  ]);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    orders: orders.rows,
    consultations: consultations.rows,
    refusals: refusals.rows.map((r) => ({
      at: r.at.toISOString(),
      caseId: r.case_id,
      kind: REFUSALS[r.type] ?? r.type,
      reason: r.reason ?? '',
      actor: r.actor,
      actorName: r.actor_name,
    })),
    refunds: refunds.rows.map((r) => ({
      at: r.at.toISOString(),
      caseId: r.case_id,
      amountMinor: r.amount_minor,
      currency: r.currency,
      reason: r.reason,
      actor: r.actor,
    })),
    phiReads: reads.rows.map((r) => ({
      actor: r.actor,
      actorName: r.actor_name,
      reads: r.reads,
      subjects: r.subjects,
    })),
  };
};
