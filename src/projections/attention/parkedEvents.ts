import type { SqlQueryable } from '../../platform/sql.js';

export type ParkedEvent = {
  subscriptionId: string;
  eventId: string;
  streamName: string;
  eventType: string;
  /** The error's first line; the stack stays in the table for engineers. */
  error: string;
  attempts: number;
  status: 'parked' | 'resolved';
  parkedAt: Date;
  resolvedAt: Date | null;
};

/**
 * The newest 500 events a process manager parked after repeated failures, resolved ones included.
 * The process runtime writes the table; ops read it here and in the attention list.
 */
export const parkedEvents = async (db: SqlQueryable): Promise<ParkedEvent[]> => {
  const { rows } = await db.query<{
    subscription_id: string;
    event_id: string;
    stream_name: string;
    event_type: string;
    error: string;
    attempts: number;
    status: 'parked' | 'resolved';
    parked_at: Date;
    resolved_at: Date | null;
  }>(
    `SELECT subscription_id, event_id, stream_name, event_type, error, attempts, status, parked_at, resolved_at
     FROM parked_events ORDER BY parked_at DESC LIMIT 500`,
  );
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    eventId: r.event_id,
    streamName: r.stream_name,
    eventType: r.event_type,
    error: String(r.error).split('\n')[0]!,
    attempts: r.attempts,
    status: r.status,
    parkedAt: r.parked_at,
    resolvedAt: r.resolved_at,
  }));
};
