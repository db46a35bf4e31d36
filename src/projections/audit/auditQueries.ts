import type { SqlQueryable } from '../../platform/sql.js';
import type { AuditRow } from './auditRecord.js';

/**
 * Which rows. Every part is optional and they combine with AND: occurred in [from, to); belonging to
 * one case (an order, or a UK consultation: its changes, its account and its reads); to any case of
 * one patient; done by one staff member; of one event type.
 */
export type AuditFilter = {
  from?: Date;
  to?: Date;
  orderId?: string;
  consultationId?: string;
  /** A consultation's patient reference, an order's patient key (e.g. `…EHR:MRN-0042117`) or an e-mail. */
  patient?: string;
  /** A staff member's id or e-mail address. */
  staff?: string;
  eventType?: string;
};

/** One exported row. Every hashed column is included, so an auditor can re-verify the chain offline. */
export type AuditEntry = {
  seq: number;
  eventId: string;
  globalPosition: number;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  /** Who `actor` is, from the staff directory (not part of the hashed row: for people reading it). */
  actorName: string | null;
  eventType: string;
  streamName: string;
  correlationId: string;
  causationId: string | null;
  summary: Record<string, unknown>;
  eventHash: string;
  keyId: string;
  prevHash: string;
  hash: string;
};

export const toAuditEntry = (row: AuditRow & { actor_name?: string | null }): AuditEntry => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  globalPosition: Number(row.global_position),
  occurredAt: row.occurred_at.toISOString(),
  recordedAt: row.recorded_at.toISOString(),
  actor: row.actor,
  actorName: row.actor_name ?? null,
  eventType: row.event_type,
  streamName: row.stream_name,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  summary: row.summary,
  eventHash: row.event_hash,
  keyId: row.key_id,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export const orderStreams = (orderId: string) => [`order-${orderId}`, `access-${orderId}`];

/** A consultation's own stream, its account (payments, refunds) and the reads of it. */
export const consultationStreams = (consultationId: string) => [
  `consultation-${consultationId}`,
  `consultationaccount-${consultationId}`,
  `access-${consultationId}`,
];

/** Every column of the row, and the actor's name from the staff directory beside it. */
const AUDIT_SELECT = `a.seq, a.event_id, a.global_position, a.stream_name, a.event_type, a.actor, a.correlation_id,
  a.causation_id, a.occurred_at, a.recorded_at, a.summary, a.event_hash, a.key_id, a.prev_hash, a.hash,
  s.display_name AS actor_name
  FROM audit_log a LEFT JOIN staff_users s ON a.actor = 'staff:' || s.id`;

/**
 * $1..$6 filter by occurred_at range, case streams, patient, staff member and event type; an unset
 * filter is NULL and matches everything. The patient's cases come from the read models, which know
 * who each order and consultation belongs to; the trail itself holds no patient identifiers.
 */
const FILTER_SQL = `($1::timestamptz IS NULL OR a.occurred_at >= $1)
  AND ($2::timestamptz IS NULL OR a.occurred_at < $2)
  AND ($3::text[] IS NULL OR a.stream_name = ANY ($3))
  AND ($4::text IS NULL OR a.stream_name IN (
    SELECT unnest(ARRAY['consultation-' || c.consultation_id, 'consultationaccount-' || c.consultation_id,
                        'access-' || c.consultation_id])
      FROM consultations c WHERE c.patient_ref = $4 OR lower(c.patient_email) = lower($4)
    UNION ALL
    SELECT unnest(ARRAY['order-' || o.order_id, 'access-' || o.order_id])
      FROM orders o WHERE o.detail->>'patientKey' = $4 OR lower(o.patient_email) = lower($4)))
  AND ($5::text IS NULL OR a.actor IN (
    SELECT 'staff:' || u.id FROM staff_users u WHERE u.id = $5 OR u.email = lower($5)))
  AND ($6::text IS NULL OR a.event_type = $6)`;

const FILTER_PARAMS = 6;

const caseStreams = (filter: AuditFilter) =>
  filter.orderId
    ? orderStreams(filter.orderId)
    : filter.consultationId
      ? consultationStreams(filter.consultationId)
      : null;

const filterParams = (filter: AuditFilter) => [
  filter.from ?? null,
  filter.to ?? null,
  caseStreams(filter),
  filter.patient ?? null,
  filter.staff ?? null,
  filter.eventType ?? null,
];

/**
 * Pages through the matching rows in seq order by keyset (`seq > last`), so each page is an index
 * range however deep the export goes. The export is a snapshot: rows appended after it started
 * (its own access record among them) are left for the next one.
 */
export async function* auditPages(
  db: SqlQueryable,
  filter: AuditFilter,
  pageSize = 1_000,
): AsyncGenerator<AuditEntry[]> {
  const { rows } = await db.query<{ last: number }>(
    'SELECT coalesce(max(seq), 0)::bigint AS last FROM audit_log',
  );
  const upTo = Number(rows[0]!.last);
  let after = 0;
  for (;;) {
    const page = await db.query<AuditRow>(
      `SELECT ${AUDIT_SELECT}
        WHERE a.seq > $${FILTER_PARAMS + 1} AND a.seq <= $${FILTER_PARAMS + 2} AND ${FILTER_SQL}
        ORDER BY a.seq LIMIT $${FILTER_PARAMS + 3}`,
      [...filterParams(filter), after, upTo, pageSize],
    );
    if (page.rows.length === 0) return;
    const entries = page.rows.map(toAuditEntry);
    yield entries;
    if (entries.length < pageSize) return;
    after = entries.at(-1)!.seq;
  }
}

/** The newest rows first, for the auditor's screen; `before` pages further back. */
export const recentEntries = async (
  db: SqlQueryable,
  filter: AuditFilter & { before?: number; limit: number },
): Promise<AuditEntry[]> => {
  const { rows } = await db.query<AuditRow>(
    `SELECT ${AUDIT_SELECT}
      WHERE ($${FILTER_PARAMS + 1}::bigint IS NULL OR a.seq < $${FILTER_PARAMS + 1}) AND ${FILTER_SQL}
      ORDER BY a.seq DESC LIMIT $${FILTER_PARAMS + 2}`,
    [...filterParams(filter), filter.before ?? null, filter.limit],
  );
  return rows.map(toAuditEntry);
};
