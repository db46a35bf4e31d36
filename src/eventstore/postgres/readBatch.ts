import type { SqlQueryable } from '../../platform/sql.js';
import type { RecordedEvent, SubscriptionFilter } from '../types.js';
import type { Checkpoint } from './position.js';
import { EVENT_COLUMNS, type EventRow, filterClause, toRecordedEvent } from './postgresEventStore.js';

type Queryable = SqlQueryable;

export type Batch = {
  events: RecordedEvent[];
  /** Where the subscription stands once these events are handled (may pass non-matching events). */
  checkpoint: Checkpoint;
  /** Transaction ids parallel to `events`, for checkpoints taken part-way through a batch. */
  transactionIds: string[];
};

/** How many stored events a subscription with this filter has to read from the start. */
export const countEvents = async (db: Queryable, filter: SubscriptionFilter): Promise<number> => {
  const clause = filterClause(filter, 1);
  const { rows } = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM events e WHERE ${clause.sql}`,
    clause.value ? [clause.value] : [],
  );
  return rows[0]!.total;
};

/**
 * Reads the next events after `after`, in commit-safe order. Only transactions below the snapshot's
 * xmin are read: every transaction older than that has finished, so no event can later appear
 * behind the checkpoint. When fewer than `limit` events match, the checkpoint moves to the last
 * event scanned (of any kind), so a filtered subscription does not rescan what it skipped.
 */
export const readBatch = async (
  db: Queryable,
  options: { filter: SubscriptionFilter; after: Checkpoint; limit: number },
): Promise<Batch> => {
  const filter = filterClause(options.filter, 4);
  const params: unknown[] = [options.after.transactionId, options.after.globalPosition, options.limit];
  if (filter.value) params.push(filter.value);
  // The horizon is a scalar (an InitPlan), not a join: only then does the planner walk the
  // (transaction_id, global_position) index in order and stop at the limit, instead of collecting
  // every later event and sorting it on each batch.
  const { rows } = await db.query<EventRow & { scanned_tx: string | null; scanned_pos: number | null }>(
    `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     batch AS (
       SELECT ${EVENT_COLUMNS}
         FROM events e
        WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
          AND e.transaction_id < (SELECT xmin FROM horizon) AND ${filter.sql}
        ORDER BY e.transaction_id, e.global_position
        LIMIT $3),
     scanned AS (
       SELECT e.transaction_id::text AS scanned_tx, e.global_position AS scanned_pos
         FROM events e
        WHERE e.transaction_id < (SELECT xmin FROM horizon)
        ORDER BY e.transaction_id DESC, e.global_position DESC
        LIMIT 1)
     SELECT b.*, s.scanned_tx, s.scanned_pos FROM scanned s LEFT JOIN batch b ON TRUE`,
    params,
  );
  const events: RecordedEvent[] = [];
  const transactionIds: string[] = [];
  for (const row of rows) {
    if (row.event_id === null) continue;
    events.push(toRecordedEvent(row));
    transactionIds.push(row.transaction_id);
  }
  const last = rows[rows.length - 1];
  let checkpoint = options.after;
  if (events.length === options.limit) {
    checkpoint = { transactionId: transactionIds.at(-1)!, globalPosition: events.at(-1)!.globalPosition };
  } else if (last?.scanned_tx != null && last.scanned_pos != null) {
    const scanned = { transactionId: last.scanned_tx, globalPosition: last.scanned_pos };
    if (compareCheckpoints(scanned, options.after) > 0) checkpoint = scanned;
  }
  return { events, checkpoint, transactionIds };
};

/**
 * The newest event in commit-safe order, or undefined when there is none. With `belowHorizon`, only
 * transactions older than every running one count: where a reader starting now stands. Without it,
 * the newest committed event, however young its transaction: what a drain must wait for.
 *
 * The sort names the xid8 column qualified (`e.`): a bare name would resolve to the `::text` output
 * column first, and as text '9999' sorts after '10000'.
 */
export const newestCheckpoint = async (
  db: Queryable,
  options: { belowHorizon: boolean },
): Promise<Checkpoint | undefined> => {
  const { rows } = await db.query<{ tx: string; pos: number }>(
    `SELECT e.transaction_id::text AS tx, e.global_position AS pos FROM events e
      ${options.belowHorizon ? 'WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())' : ''}
      ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { transactionId: row.tx, globalPosition: row.pos } : undefined;
};

export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const tx = BigInt(a.transactionId) - BigInt(b.transactionId);
  if (tx !== 0n) return tx > 0n ? 1 : -1;
  return Math.sign(a.globalPosition - b.globalPosition);
};
