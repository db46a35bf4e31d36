import type { SqlQueryable } from '../../platform/sql.js';

/**
 * Whether an event of one of these types comes after `eventId` in the order subscriptions read
 * (transaction id, then position). A consumer that reacts to a burst of similar events (an import of
 * a thousand pharmacies) can leave the work to the last one, which sees everything the others would.
 */
export const laterEventOfType = async (
  pool: SqlQueryable,
  eventId: string,
  eventTypes: readonly string[],
): Promise<boolean> => {
  const { rows } = await pool.query<{ later: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM events e, events t
        WHERE t.event_id = $1 AND e.event_type = ANY ($2::text[])
          AND (e.transaction_id, e.global_position) > (t.transaction_id, t.global_position)) AS later`,
    [eventId, eventTypes],
  );
  return rows[0]?.later ?? false;
};
