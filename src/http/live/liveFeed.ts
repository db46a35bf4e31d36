import { failureDelay } from '../../eventstore/consumers.js';
import { hintMatches, type Notifier } from '../../eventstore/postgres/notifier.js';
import { type Checkpoint, START_CHECKPOINT } from '../../eventstore/postgres/position.js';
import {
  type Batch,
  compareCheckpoints,
  newestCheckpoint,
  readBatch,
} from '../../eventstore/postgres/readBatch.js';
import type { EventStore, SubscriptionFilter } from '../../eventstore/types.js';
import { type Logger, silentLogger } from '../../platform/logger.js';
import type { SqlPool, SqlQueryable } from '../../platform/sql.js';
import { LIVE_EVENTS, toLiveChanges } from './liveChanges.js';
import type { KnownStatuses } from './orderChanges.js';
import type { LiveChange } from './protocol.js';

/** What one read of the feed found: the changes, and how far the read got (past other categories too). */
export type FeedBatch = { changes: LiveChange[]; checkpoint: Checkpoint };

export type FeedMembership = {
  /** The listener receives every order change after this checkpoint, and no earlier one. */
  position: Checkpoint;
  leave(): void;
};

export type LiveFeed = {
  join(listener: (batch: FeedBatch) => void): Promise<FeedMembership>;
  close(): Promise<void>;
};

export type LiveFeedOptions = {
  pool: SqlPool;
  store: EventStore;
  notifier: Notifier;
  /**
   * Where the feed reads the events after a checkpoint: the process's shared tail (one read per
   * wake-up for the subscriptions and the feed together) when given, else the table.
   */
  read?: (request: { filter: SubscriptionFilter; after: Checkpoint; limit: number }) => Promise<Batch>;
  /** Safety net when a notification is missed or an older transaction held the horizon back. */
  pollIntervalMs?: number;
  batchSize?: number;
  log?: Logger;
};

/**
 * Where a reader starting "now" stands: the last event below the snapshot horizon. Everything at or
 * before it is committed for good; anything committed later sorts after it.
 */
export const readHead = async (pool: SqlQueryable): Promise<Checkpoint> =>
  (await newestCheckpoint(pool, { belowHorizon: true })) ?? START_CHECKPOINT;

/**
 * One reader per process for every open console: it reads order and consultation events in commit-safe order as
 * they commit and hands each batch to all listeners, so a thousand sockets cost one query per
 * change, not a thousand, and no socket holds a connection. It runs only while someone listens and
 * starts again from the head when the next listener comes.
 */
export const createLiveFeed = (options: LiveFeedOptions): LiveFeed => {
  const { pool, store, notifier } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const batchSize = options.batchSize ?? 500;
  const log = options.log ?? silentLogger;
  const read = options.read ?? ((request) => readBatch(pool, request));
  // Each order's last status seen, so that a status-neutral event needs no read of its stream.
  const known: KnownStatuses = new Map();
  const listeners = new Set<(batch: FeedBatch) => void>();
  let position: Checkpoint | undefined; // set while running
  let starting: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  let joining = 0; // joins under way: the reader must not stop under them
  let closed = false;
  let woken = false;
  let wake = () => {};

  /** Until an append is announced, the feed closes or `ms` pass. */
  const waitForWake = async (ms: number) => {
    if (woken || closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = () => {};
  };

  const broadcast = (batch: FeedBatch) => {
    for (const listener of listeners) {
      try {
        listener(batch);
      } catch (error) {
        log.warn({ err: error }, 'live listener failed');
      }
    }
  };

  const run = async () => {
    // Appends to other streams (access records, parcels, staff) change nothing the feed carries.
    const unlisten = notifier.onAppend((hint) => {
      if (!hintMatches(LIVE_EVENTS, hint)) return;
      woken = true;
      wake();
    });
    let failures = 0;
    try {
      for (;;) {
        await waitForWake(pollIntervalMs);
        // Checked and cleared in one turn, and never while a join is under way: no listener is lost.
        if (closed || (listeners.size === 0 && joining === 0)) {
          position = undefined;
          return;
        }
        woken = false;
        try {
          const from = position!;
          const batch = await read({ filter: LIVE_EVENTS, after: from, limit: batchSize });
          if (compareCheckpoints(batch.checkpoint, from) > 0) {
            const changes = await toLiveChanges(store, batch, known);
            position = batch.checkpoint;
            broadcast({ changes, checkpoint: batch.checkpoint });
          }
          failures = 0;
          if (batch.events.length === batchSize) woken = true;
        } catch (error) {
          failures += 1;
          log.warn({ err: error }, 'live feed read failed');
          woken = false;
          await waitForWake(failureDelay(failures));
        }
      }
    } finally {
      unlisten();
      running = undefined;
    }
  };

  const start = async () => {
    const head = await readHead(pool);
    position = head;
    running = run();
  };

  return {
    async join(listener) {
      joining += 1;
      try {
        while (position === undefined) {
          if (closed) throw new Error('the live feed is closed');
          starting ??= start().finally(() => {
            starting = undefined;
          });
          await starting;
        }
      } finally {
        joining -= 1;
      }
      listeners.add(listener);
      return {
        position,
        leave: () => {
          listeners.delete(listener);
        },
      };
    },
    async close() {
      closed = true;
      wake();
      await starting?.catch(() => {});
      await running;
    },
  };
};
