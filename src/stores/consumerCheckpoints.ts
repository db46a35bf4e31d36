import type { CheckpointStore } from '../eventstore/consumers.js';
import { CheckpointConflictError } from '../eventstore/errors.js';
import type { OpaqueCheckpoint } from '../eventstore/subscriptions.js';
import type { SqlQueryable } from '../platform/sql.js';

/**
 * Any event store's checkpoints in PostgreSQL (`consumer_checkpoints`), kept as the store wrote
 * them: the checkpoint store for consumers of another store (KurrentDB) whose read models live
 * here, so a projection commits its rows and its checkpoint in one transaction (`within`).
 * Compare-and-set: the first checkpoint is inserted only where none is, later ones move only from
 * where the consumer read.
 */
export const createSqlCheckpointStore = (pool: SqlQueryable): CheckpointStore => ({
  async load(subscriptionId) {
    const { rows } = await pool.query<{ checkpoint: string }>(
      'SELECT checkpoint FROM consumer_checkpoints WHERE subscription_id = $1',
      [subscriptionId],
    );
    return rows[0]?.checkpoint as OpaqueCheckpoint | undefined;
  },
  async store(subscriptionId, from, to, options = {}) {
    const db = options.within ?? pool;
    // `relaxed`: this transaction's commit does not wait for the WAL flush (see storeCheckpoint).
    const relaxed = options.relaxed ? "AND set_config('synchronous_commit', 'off', true) IS NOT NULL" : '';
    const result =
      from === undefined
        ? await db.query(
            `INSERT INTO consumer_checkpoints (subscription_id, checkpoint)
             SELECT $1, $2 WHERE TRUE ${relaxed}
             ON CONFLICT (subscription_id) DO NOTHING`,
            [subscriptionId, to],
          )
        : await db.query(
            `UPDATE consumer_checkpoints SET checkpoint = $2, updated_at = now()
              WHERE subscription_id = $1 AND checkpoint = $3 ${relaxed}`,
            [subscriptionId, to, from],
          );
    if (result.rowCount !== 1) throw new CheckpointConflictError(subscriptionId);
  },
  async reset(subscriptionId, options = {}) {
    await (options.within ?? pool).query('DELETE FROM consumer_checkpoints WHERE subscription_id = $1', [
      subscriptionId,
    ]);
  },
});
