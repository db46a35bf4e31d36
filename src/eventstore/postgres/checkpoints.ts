import type { SqlQueryable } from '../../platform/sql.js';
import { CheckpointConflictError } from '../errors.js';
import { type Checkpoint, START_CHECKPOINT } from './position.js';

type Queryable = SqlQueryable;

export const loadCheckpoint = async (db: Queryable, subscriptionId: string): Promise<Checkpoint> => {
  const { rows } = await db.query<{ transaction_id: string; global_position: number }>(
    'SELECT transaction_id::text, global_position FROM subscription_checkpoints WHERE subscription_id = $1',
    [subscriptionId],
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, globalPosition: row.global_position } : START_CHECKPOINT;
};

/**
 * Compare-and-set: moves the checkpoint only if it still stands where this consumer read from, so two
 * consumers that briefly overlap (a lease handed over mid-batch) can never both commit a batch.
 */
export const storeCheckpoint = async (
  db: Queryable,
  subscriptionId: string,
  from: Checkpoint,
  to: Checkpoint,
  options: { relaxed?: boolean } = {},
): Promise<void> => {
  // `relaxed`: the commit does not wait for the WAL flush (synchronous_commit off for this one
  // transaction). Only for consumers whose effects are keyed by their trigger: a checkpoint lost
  // in a server crash redelivers events whose effects are then answered, not repeated.
  const source = options.relaxed
    ? "SELECT $1, $2::xid8, $3 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed"
    : 'VALUES ($1, $2::xid8, $3)';
  const result = await db.query(
    `INSERT INTO subscription_checkpoints AS c (subscription_id, transaction_id, global_position)
     ${source}
     ON CONFLICT (subscription_id) DO UPDATE
        SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()
      WHERE c.transaction_id = $4::xid8 AND c.global_position = $5`,
    [subscriptionId, to.transactionId, to.globalPosition, from.transactionId, from.globalPosition],
  );
  if (result.rowCount !== 1) throw new CheckpointConflictError(subscriptionId);
};

export const resetCheckpoint = async (db: Queryable, subscriptionId: string): Promise<void> => {
  await db.query('DELETE FROM subscription_checkpoints WHERE subscription_id = $1', [subscriptionId]);
};
