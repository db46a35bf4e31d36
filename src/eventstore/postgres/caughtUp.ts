import type { SqlQueryable } from '../../platform/sql.js';
import type { SubscriptionFilter } from '../types.js';
import { filterClause } from './postgresEventStore.js';

/** How often the wait asks again. */
const POLL_MS = 20;

/**
 * Waits until the consumer `subscriptionId` has handled every event up to and including `eventId`:
 * its checkpoint stands at or past the event, or none of the events between the two is one it reads
 * — once the event is below the horizon (every earlier transaction finished), so none can still
 * appear between them. A consumer of other events (the pharmacy network, for an order's event) has
 * nothing to wait for, even while its checkpoint only moves at the next horizon poll.
 */
export const waitUntilHandled = async (
  pool: SqlQueryable,
  consumer: { subscriptionId: string; filter: SubscriptionFilter },
  eventId: string,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  const reads = filterClause(consumer.filter, 3, 'm');
  const params: unknown[] = [consumer.subscriptionId, eventId];
  if (reads.value) params.push(reads.value);
  for (;;) {
    const { rows } = await pool.query<{ reached: boolean | null }>(
      `SELECT (c.transaction_id, c.global_position) >= (e.transaction_id, e.global_position)
              OR (e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                  AND NOT EXISTS (
                    SELECT 1 FROM events m
                     WHERE (m.transaction_id, m.global_position)
                             > (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))
                       AND (m.transaction_id, m.global_position) <= (e.transaction_id, e.global_position)
                       AND ${reads.sql})) AS reached
         FROM events e LEFT JOIN subscription_checkpoints c ON c.subscription_id = $1
        WHERE e.event_id = $2`,
      params,
    );
    if (rows.length === 0) throw new Error(`event ${eventId} is not in the store`);
    if (rows[0]!.reached) return;
    if (Date.now() > deadline)
      throw new Error(`${consumer.subscriptionId} did not reach event ${eventId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
};
