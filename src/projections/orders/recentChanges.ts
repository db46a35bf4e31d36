import type { RecordedEvent } from '../../eventstore/types.js';
import { statusSetBy } from '../../http/live/orderChanges.js';
import type { SqlQueryable } from '../../platform/sql.js';

/**
 * The newest order changes as the live feed announces them (same checkpoints), each with the
 * patient and drug it concerns, so a console that was just opened or reloaded shows what happened
 * before it connected, and names who and what rather than ids.
 */
export type RecentOrderChange = {
  checkpoint: { transactionId: string; globalPosition: number };
  orderId: string;
  eventType: string;
  /** The status this event set; null for an event that sets none. */
  status: string | null;
  occurredAt: string;
  patientName: string | null;
  drug: string | null;
};

export const recentOrderChanges = async (db: SqlQueryable, limit: number): Promise<RecentOrderChange[]> => {
  // Newest by (transaction, position), the live feed's own order; the index on both serves it.
  const { rows } = await db.query<{
    transaction_id: string;
    global_position: string;
    stream_name: string;
    event_type: string;
    data: unknown;
    metadata: RecordedEvent['metadata'];
    patient_name: string | null;
    drug_description: string | null;
  }>(
    `SELECT e.transaction_id::text AS transaction_id, e.global_position, e.stream_name, e.event_type, e.data,
            e.metadata, o.patient_name, o.drug_description
       FROM events e LEFT JOIN orders o ON o.order_id = substr(e.stream_name, 7)
      WHERE e.category = 'order'
      ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    checkpoint: { transactionId: r.transaction_id, globalPosition: Number(r.global_position) },
    orderId: r.stream_name.slice('order-'.length),
    eventType: r.event_type,
    status: statusSetBy({ type: r.event_type, data: r.data, metadata: r.metadata }),
    occurredAt: r.metadata.occurredAt,
    patientName: r.patient_name,
    drug: r.drug_description,
  }));
};
