import { HOUR } from '../../platform/clock.js';
import type { SqlQueryable } from '../../platform/sql.js';

/**
 * What needs a person now, across flows: the console's first section. It reads the read models the
 * other projections keep (orders, consultations, incidents, parked events); it owns no table.
 */
export type AttentionKind =
  | 'sla_breach'
  | 'incident'
  | 'parked_event'
  | 'payment_mismatch'
  | 'drug_review'
  | 'adjudication_rejected';

/** The one next step for an item: a page to open, or a call that moves it on. */
export type AttentionAction =
  | { kind: 'open'; label: string; href: string }
  | { kind: 'retry'; label: string; href: string; path: string; body: Record<string, string> | null };

export type AttentionItem = {
  /** Stable across refreshes, so the page keeps focus and the test can find the row. */
  key: string;
  kind: AttentionKind;
  subject: { kind: 'order' | 'consultation' | 'stream'; id: string };
  patientName: string | null;
  drug: string | null;
  status: string | null;
  summary: string;
  /** Since when it has needed a person: the oldest first. */
  since: string;
  /** For a vendor call on the retry schedule: when it is tried again by itself. */
  nextAttemptAt?: string | null;
  overSla: boolean;
  action: AttentionAction;
};

/** Finished orders wait on nobody. */
const SETTLED_ORDER_STATUSES = ['completed', 'cancelled'];

/** Consultation statuses in which the pharmacy, not the patient, owes the next step. */
export const CONSULTATION_STATUSES_OWED_BY_STAFF = [
  'awaiting_id_verification',
  'id_manual_review',
  'in_clinical_review',
  'approved',
  'prescribed',
  'dispatch_pending',
  'delivery_failed',
];

/** Order statuses that stop until a person acts, whatever the SLA: each with its next step. */
const ORDER_STOPS: Record<string, { kind: AttentionKind; summary: string; action: string }> = {
  awaiting_drug_review: {
    kind: 'drug_review',
    summary: 'Drug not in the catalogue: a pharmacist classifies it',
    action: 'Review the drug',
  },
  adjudication_rejected: {
    kind: 'adjudication_rejected',
    summary: 'Claim rejected by the payer',
    action: 'Resubmit or cancel',
  },
  payment_mismatch: {
    kind: 'payment_mismatch',
    summary: 'Payment differs from the amount asked for',
    action: 'Refund and ask again',
  },
};

const iso = (value: Date | string) => new Date(value).toISOString();

const subjectOf = (stream: string): AttentionItem['subject'] => {
  const order = /^order-(.+)$/.exec(stream)?.[1];
  if (order) return { kind: 'order', id: order };
  const consultation = /^consultation(?:account)?-(.+)$/.exec(stream)?.[1];
  if (consultation) return { kind: 'consultation', id: consultation };
  return { kind: 'stream', id: stream };
};

const pageOf = (subject: AttentionItem['subject']) =>
  subject.kind === 'order'
    ? `/orders/${subject.id}`
    : subject.kind === 'consultation'
      ? `/pharmacy/consultations/${subject.id}`
      : '/operations/incidents';

/** The retry route of the flow the call belongs to; calls of other streams are retried elsewhere. */
const retryPathOf = (subject: AttentionItem['subject']) =>
  subject.kind === 'order'
    ? `/api/orders/${subject.id}/integration/retry`
    : subject.kind === 'consultation'
      ? `/api/pharmacy/consultations/${subject.id}/integration/retry`
      : null;

type Db = SqlQueryable;

const orderItems = async (db: Db, breachedBefore: Date): Promise<AttentionItem[]> => {
  const { rows } = await db.query<{
    order_id: string;
    status: string;
    status_since: Date;
    patient_name: string | null;
    drug_description: string | null;
  }>(
    `SELECT order_id, status, status_since, patient_name, drug_description FROM orders
      WHERE status = ANY ($1::text[]) OR (status <> ALL ($2::text[]) AND status_since < $3)
      ORDER BY status_since LIMIT 500`,
    [Object.keys(ORDER_STOPS), SETTLED_ORDER_STATUSES, breachedBefore],
  );
  return rows.map((r) => {
    const stop = ORDER_STOPS[r.status];
    const overSla = r.status_since < breachedBefore;
    return {
      key: `order:${r.order_id}`,
      kind: stop?.kind ?? 'sla_breach',
      subject: { kind: 'order', id: r.order_id },
      patientName: r.patient_name,
      drug: r.drug_description,
      status: r.status,
      summary: stop?.summary ?? 'Over SLA in its status',
      since: iso(r.status_since),
      overSla,
      action: { kind: 'open', label: stop?.action ?? 'Open the order', href: `/orders/${r.order_id}` },
    };
  });
};

const consultationItems = async (db: Db, breachedBefore: Date): Promise<AttentionItem[]> => {
  const { rows } = await db.query<{
    consultation_id: string;
    status: string;
    status_since: Date;
    patient_name: string | null;
    product_name: string | null;
  }>(
    `SELECT consultation_id, status, status_since, patient_name, product_name FROM consultations
      WHERE status = ANY ($1::text[]) AND status_since < $2 ORDER BY status_since LIMIT 500`,
    [CONSULTATION_STATUSES_OWED_BY_STAFF, breachedBefore],
  );
  return rows.map((r) => ({
    key: `consultation:${r.consultation_id}`,
    kind: 'sla_breach',
    subject: { kind: 'consultation', id: r.consultation_id },
    patientName: r.patient_name,
    drug: r.product_name,
    status: r.status,
    summary: 'Over SLA in its status',
    since: iso(r.status_since),
    overSla: true,
    action: { kind: 'open', label: 'Open the case', href: `/pharmacy/consultations/${r.consultation_id}` },
  }));
};

const incidentItems = async (db: Db): Promise<AttentionItem[]> => {
  const { rows } = await db.query<{
    stream_name: string;
    trigger_event_id: string;
    process_manager: string;
    integration: string;
    attempts: number;
    state: string;
    next_attempt_at: Date | null;
    opened_at: Date | null;
    updated_at: Date;
    patient_name: string | null;
    drug: string | null;
  }>(
    `SELECT i.stream_name, i.trigger_event_id, i.process_manager, i.integration, i.attempts, i.state,
            i.next_attempt_at, i.opened_at, i.updated_at,
            coalesce(o.patient_name, c.patient_name) AS patient_name,
            coalesce(o.drug_description, c.product_name) AS drug
       FROM integration_incidents i
       LEFT JOIN orders o ON i.stream_name = 'order-' || o.order_id
       LEFT JOIN consultations c ON i.stream_name = 'consultation-' || c.consultation_id
      ORDER BY coalesce(i.opened_at, i.updated_at) LIMIT 500`,
  );
  return rows.map((r) => {
    const subject = subjectOf(r.stream_name);
    const path = retryPathOf(subject);
    const manual = r.state === 'manual_handling';
    return {
      key: `incident:${r.stream_name}:${r.trigger_event_id}:${r.process_manager}`,
      kind: 'incident',
      subject,
      patientName: r.patient_name,
      drug: r.drug,
      status: r.state,
      summary: manual
        ? `${r.integration}: manual handling required after ${r.attempts} attempts`
        : `${r.integration}: pending (API unavailable), attempt ${r.attempts}`,
      since: iso(r.opened_at ?? r.updated_at),
      nextAttemptAt: r.next_attempt_at ? iso(r.next_attempt_at) : null,
      overSla: false,
      action: path
        ? {
            kind: 'retry',
            label: `Retry ${r.integration} now`,
            href: pageOf(subject),
            path,
            body: { processManager: r.process_manager, triggerEventId: r.trigger_event_id },
          }
        : { kind: 'open', label: 'Open incidents', href: '/operations/incidents' },
    };
  });
};

const parkedItems = async (db: Db): Promise<AttentionItem[]> => {
  const { rows } = await db.query<{
    subscription_id: string;
    event_id: string;
    stream_name: string;
    event_type: string;
    attempts: number;
    parked_at: Date;
  }>(
    `SELECT subscription_id, event_id, stream_name, event_type, attempts, parked_at FROM parked_events
      WHERE status = 'parked' ORDER BY parked_at LIMIT 500`,
  );
  return rows.map((r) => {
    const subject = subjectOf(r.stream_name);
    return {
      key: `parked:${r.subscription_id}:${r.event_id}`,
      kind: 'parked_event',
      subject,
      patientName: null,
      drug: null,
      status: null,
      summary: `${r.event_type} parked by ${r.subscription_id} after ${r.attempts} attempts`,
      since: iso(r.parked_at),
      overSla: false,
      action: {
        kind: 'retry',
        label: 'Retry the event',
        href: pageOf(subject),
        path: `/api/operations/parked/${encodeURIComponent(r.subscription_id)}/${r.event_id}/retry`,
        body: null,
      },
    };
  });
};

/** Every item that needs a person, the one waiting longest first. */
export const needsAttention = async (
  db: Db,
  options: { now: Date; slaHours: number },
): Promise<AttentionItem[]> => {
  const breachedBefore = new Date(options.now.getTime() - options.slaHours * HOUR);
  const groups = await Promise.all([
    orderItems(db, breachedBefore),
    consultationItems(db, breachedBefore),
    incidentItems(db),
    parkedItems(db),
  ]);
  return groups.flat().sort((a, b) => a.since.localeCompare(b.since) || a.key.localeCompare(b.key));
};
