import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

/**
 * One vendor call pending or flagged, as stored: the operations page has always been answered with
 * the table's own column names, so the row keeps them.
 */
export type IntegrationIncidentRow = {
  stream_name: string;
  integration: string;
  process_manager: string;
  trigger_event_id: string;
  attempts: number;
  last_error: string;
  next_attempt_at: Date | null;
  state: 'pending_api_unavailable' | 'manual_handling';
  updated_at: Date;
  opened_at: Date | null;
};

/** Every open incident, the most recently opened first. */
export const openIncidents = async (db: Db): Promise<IntegrationIncidentRow[]> =>
  (
    await db.query<IntegrationIncidentRow>(
      'SELECT * FROM integration_incidents ORDER BY coalesce(opened_at, updated_at) DESC',
    )
  ).rows;

export type UnmatchedPayment = {
  stripeEventId: string;
  kind: string;
  flow: string | null;
  reference: string | null;
  paymentIntentId: string | null;
  amountMinor: number | null;
  currency: string | null;
  reason: string;
  receivedAt: Date;
};

/** The newest 500 verified payment events no order or consultation could take. */
export const unmatchedPayments = async (db: Db): Promise<UnmatchedPayment[]> => {
  const { rows } = await db.query<{
    stripe_event_id: string;
    kind: string;
    flow: string | null;
    reference: string | null;
    payment_intent_id: string | null;
    amount_minor: string | null;
    currency: string | null;
    reason: string;
    received_at: Date;
  }>(
    `SELECT stripe_event_id, kind, flow, reference, payment_intent_id, amount_minor, currency, reason, received_at
       FROM unmatched_payment_events ORDER BY received_at DESC LIMIT 500`,
  );
  return rows.map((r) => ({
    stripeEventId: r.stripe_event_id,
    kind: r.kind,
    flow: r.flow,
    reference: r.reference,
    paymentIntentId: r.payment_intent_id,
    // bigint arrives as text.
    amountMinor: r.amount_minor === null ? null : Number(r.amount_minor),
    currency: r.currency,
    reason: r.reason,
    receivedAt: r.received_at,
  }));
};
