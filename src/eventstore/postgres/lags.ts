import type { SqlPool } from '../../platform/sql.js';
import type { SubscriptionLag } from '../consumers.js';
import type { Checkpoint } from './position.js';

/**
 * Each subscription's distance from the head, in the order subscriptions read: (transaction id,
 * position), so an event committed late by a slow transaction counts as unread. The process's
 * horizon poll moves every checkpoint past events its subscription does not care about within a
 * second, so a subscription that keeps a lag is really behind.
 */
export const subscriptionLags = async (
  pool: SqlPool,
  /**
   * The subscriptions to report, those without a checkpoint yet as standing at the start; every
   * row of the checkpoint table when absent. A platform names those it runs: a subscription that
   * has not stored its first checkpoint is behind all the same, and a row left by one no longer
   * run (a renamed projection) is nobody's lag.
   */
  subscriptionIds?: readonly string[],
): Promise<SubscriptionLag[]> => {
  const subscriptions =
    subscriptionIds === undefined
      ? 'subscription_checkpoints c'
      : `unnest($1::text[]) AS s(subscription_id) LEFT JOIN subscription_checkpoints c USING (subscription_id)`;
  const { rows } = await pool.query<{ subscription_id: string; events: string; seconds: number | null }>(
    `SELECT subscription_id,
            count(e.global_position) AS events,
            extract(epoch FROM now() - min(e.recorded_at))::float8 AS seconds
       FROM ${subscriptions}
       LEFT JOIN events e ON (e.transaction_id, e.global_position) >
                             (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))
      GROUP BY subscription_id
      ORDER BY subscription_id`,
    subscriptionIds === undefined ? [] : [subscriptionIds],
  );
  return rows.map((row) => ({
    subscriptionId: row.subscription_id,
    events: Number(row.events),
    seconds: Math.max(0, row.seconds ?? 0),
  }));
};

/**
 * The same distance for subscriptions whose checkpoints live elsewhere (a MongoDB read-model sink
 * keeps its own beside its documents), given where each stands.
 */
export const lagsBehind = async (
  pool: SqlPool,
  places: readonly { subscriptionId: string; checkpoint: Checkpoint }[],
): Promise<SubscriptionLag[]> => {
  if (places.length === 0) return [];
  const { rows } = await pool.query<{ subscription_id: string; events: string; seconds: number | null }>(
    `SELECT c.subscription_id,
            count(e.global_position) AS events,
            extract(epoch FROM now() - min(e.recorded_at))::float8 AS seconds
       FROM unnest($1::text[], $2::xid8[], $3::bigint[]) AS c(subscription_id, transaction_id, global_position)
       LEFT JOIN events e ON (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
      GROUP BY c.subscription_id
      ORDER BY c.subscription_id`,
    [
      places.map((p) => p.subscriptionId),
      places.map((p) => p.checkpoint.transactionId),
      places.map((p) => p.checkpoint.globalPosition),
    ],
  );
  return rows.map((row) => ({
    subscriptionId: row.subscription_id,
    events: Number(row.events),
    seconds: Math.max(0, row.seconds ?? 0),
  }));
};
