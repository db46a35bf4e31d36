import type { RecordedEvent } from '../eventstore/types.js';
import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

/**
 * Events a consumer gave up on after its immediate retries, kept for a person to look at and retry
 * (the attention queue and the parked-events page read them through `projections/attention`).
 */
export type ParkedEvents = ReturnType<typeof parkedEventTable>;

export const parkedEventTable = (db: Db) => ({
  async park(subscriptionId: string, event: RecordedEvent, error: string, attempts: number): Promise<void> {
    await db.query(
      `INSERT INTO parked_events (subscription_id, event_id, global_position, stream_name, event_type, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (subscription_id, event_id) DO UPDATE
          SET error = EXCLUDED.error, attempts = parked_events.attempts + EXCLUDED.attempts,
              status = 'parked', parked_at = now(), resolved_at = NULL`,
      [subscriptionId, event.id, event.globalPosition, event.streamName, event.type, error, attempts],
    );
  },

  /** The stream of a parked event, or null when this consumer never parked it. */
  async streamOf(subscriptionId: string, eventId: string): Promise<string | null> {
    const { rows } = await db.query<{ stream_name: string }>(
      'SELECT stream_name FROM parked_events WHERE subscription_id = $1 AND event_id = $2',
      [subscriptionId, eventId],
    );
    return rows[0]?.stream_name ?? null;
  },

  async resolve(subscriptionId: string, eventId: string): Promise<void> {
    await db.query(
      "UPDATE parked_events SET status = 'resolved', resolved_at = now() WHERE subscription_id = $1 AND event_id = $2",
      [subscriptionId, eventId],
    );
  },
});
