import { deepFreeze } from '../../platform/deepFreeze.js';
import type { SqlQueryable } from '../../platform/sql.js';
import { filterMatches } from '../subscriptions.js';
import { type RecordedEvent, type SubscriptionFilter, streamCategory } from '../types.js';
import type { Checkpoint } from './position.js';
import { type Batch, compareCheckpoints, newestCheckpoint, readBatch } from './readBatch.js';

type Queryable = SqlQueryable;

/**
 * The newest events of the store, read once per wake-up for every subscription in the process.
 * Live subscriptions all read the same few events after each append; each reading them itself costs
 * a query per subscription per wake-up (most of a busy platform's statements). The tail reads every
 * event after its own place (below the horizon, as `readBatch` does) and serves each subscription
 * whose checkpoint lies inside what it holds; one behind it reads the table as before.
 */
export type SharedTail = {
  /** `readBatch` for a subscription: the same events and checkpoint, from memory where it can. */
  read(options: { filter: SubscriptionFilter; after: Checkpoint; limit: number }): Promise<Batch>;
};

/** Events kept in memory: a subscription further behind than this reads the table. */
export const TAIL_CAPACITY = 5_000;
const REFRESH_LIMIT = 1_000;

type Held = { event: RecordedEvent; transactionId: string; category: string };

export type SharedTailOptions = {
  capacity?: number;
  /**
   * How many wake-ups the process's notifier has given so far (see Notifier.announced). With it, a
   * caller joins a refresh already running when no wake-up came since that refresh began: the
   * subscriptions one append wakes then share one read instead of two (the first, and the one
   * everybody who asked while it ran used to wait for).
   */
  announced?: () => number;
};

export const createSharedTail = (db: Queryable, options: SharedTailOptions = {}): SharedTail => {
  const capacity = options.capacity ?? TAIL_CAPACITY;
  /** Every event after `start` up to and including `end`, in commit-safe order. */
  let start: Checkpoint | undefined;
  let end: Checkpoint | undefined;
  const held: Held[] = [];
  /** The last refresh stopped at its cap with more to read: `end` is not where the store stands. */
  let behind = false;

  // Refreshes coalesce: a caller is served by a refresh that began after it asked, so an event
  // announced before the call is read if it is below the horizon, and concurrent callers share it.
  let asked = 0;
  let covered = 0;
  let running: Promise<void> | undefined;
  /** The notifier's count when the running refresh began. */
  let runningSince = -1;

  const refreshOnce = async () => {
    if (!end) {
      // The tail begins where the store stands below the horizon; older events are read from the
      // table. With no event there yet (an empty store, or the horizon held back), it waits.
      const newest = await newestCheckpoint(db, { belowHorizon: true });
      if (!newest) return;
      start = end = newest;
    }
    // A backlog larger than the tail holds is read a capacity at a time, over several refreshes.
    for (let read = 0; read < capacity; read += REFRESH_LIMIT) {
      const batch = await readBatch(db, { filter: { kind: 'all' }, after: end, limit: REFRESH_LIMIT });
      batch.events.forEach((event, index) => {
        held.push({
          event: deepFreeze(event), // every subscription gets the same object
          transactionId: batch.transactionIds[index]!,
          category: streamCategory(event.streamName),
        });
      });
      end = batch.checkpoint;
      behind = batch.events.length === REFRESH_LIMIT;
      if (!behind) break;
    }
    if (held.length > capacity) {
      const dropped = held.splice(0, held.length - capacity);
      const last = dropped.at(-1)!;
      start = { transactionId: last.transactionId, globalPosition: last.event.globalPosition };
    }
  };

  const refresh = async () => {
    // Whatever woke the caller was announced after its commit: a refresh begun since then reads it.
    if (running && options.announced && runningSince >= options.announced()) {
      await running;
      return;
    }
    const mine = ++asked;
    while (covered < mine) {
      if (running) {
        await running.catch(() => {});
        continue;
      }
      const upTo = asked;
      runningSince = options.announced?.() ?? -1;
      // Failed or not, this refresh answers who asked before it began: they see its failure, and a
      // later call tries again.
      running = refreshOnce().finally(() => {
        covered = Math.max(covered, upTo);
      });
      try {
        await running;
      } finally {
        running = undefined;
      }
    }
  };

  /** The index of the first held event after `after`. */
  const firstAfter = (after: Checkpoint) => {
    let low = 0;
    let high = held.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const at = held[middle]!;
      const position = { transactionId: at.transactionId, globalPosition: at.event.globalPosition };
      if (compareCheckpoints(position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  return {
    async read(request) {
      if (start && compareCheckpoints(request.after, start) < 0) return readBatch(db, request);
      await refresh();
      if (!start || !end || compareCheckpoints(request.after, start) < 0) return readBatch(db, request);
      // A place past what the tail holds was read from the table, where the tail has yet to go.
      const reached = compareCheckpoints(request.after, end);
      if (reached > 0 || (reached === 0 && behind)) return readBatch(db, request);
      if (reached === 0) return { events: [], checkpoint: end, transactionIds: [] };
      const events: RecordedEvent[] = [];
      const transactionIds: string[] = [];
      for (let index = firstAfter(request.after); index < held.length; index++) {
        const { event, transactionId, category } = held[index]!;
        if (!filterMatches(request.filter, { categories: [category], eventTypes: [event.type] })) continue;
        events.push(event);
        transactionIds.push(transactionId);
        if (events.length === request.limit) {
          return {
            events,
            transactionIds,
            checkpoint: { transactionId, globalPosition: event.globalPosition },
          };
        }
      }
      return { events, transactionIds, checkpoint: end };
    },
  };
};
