import type { Checkpoint } from '../../eventstore/postgres/position.js';
import { compareCheckpoints, readBatch } from '../../eventstore/postgres/readBatch.js';
import type { EventStore } from '../../eventstore/types.js';
import type { SqlPool } from '../../platform/sql.js';
import { LIVE_EVENTS, toLiveChanges } from './liveChanges.js';
import type { FeedBatch, FeedMembership, LiveFeed } from './liveFeed.js';
import type { LiveChange, ServerMessage } from './protocol.js';

/** Where a subscriber's messages go; `drained` resolves once the peer has taken what was sent. */
export type Outbox = { send(message: ServerMessage): void; drained(): Promise<void> };

export type LiveSubscriber = {
  /** Replaces any earlier subscription of this socket. */
  subscribe(after: Checkpoint | null): Promise<void>;
  close(): void;
};

export type LiveSubscriberDeps = {
  pool: SqlPool;
  store: EventStore;
  feed: LiveFeed;
  outbox: Outbox;
  /** Small replay batches: a socket never holds a connection while its client reads. */
  replayBatchSize?: number;
  /** Whether this socket's user may receive the change now (asked per change: roles can change). */
  mayReceive(change: LiveChange): boolean;
};

/**
 * One socket's subscription. It joins the shared feed first and keeps what the feed sends aside,
 * then replays from the client's checkpoint up to where the feed stood when it joined, then hands
 * over to the feed. Every message passes one gate, "later than the last checkpoint sent", so the
 * seam between replay and feed can neither drop nor repeat an event.
 */
export const createLiveSubscriber = (deps: LiveSubscriberDeps): LiveSubscriber => {
  const { pool, store, feed, outbox } = deps;
  const replayBatchSize = deps.replayBatchSize ?? 200;
  let generation = 0;
  let membership: FeedMembership | undefined;
  let closed = false;

  const subscribe = async (after: Checkpoint | null) => {
    const mine = ++generation;
    membership?.leave();
    membership = undefined;
    const current = () => mine === generation && !closed;

    let live = false;
    let position: Checkpoint = after ?? { transactionId: '0', globalPosition: 0 };
    const held: FeedBatch[] = [];
    const deliver = (changes: readonly LiveChange[], reached: Checkpoint) => {
      for (const change of changes) {
        if (compareCheckpoints(change.checkpoint, position) <= 0) continue;
        if (deps.mayReceive(change)) outbox.send(change);
        position = change.checkpoint;
      }
      if (compareCheckpoints(reached, position) > 0) position = reached;
    };

    const joined = await feed.join((batch) => {
      if (!current()) return;
      if (live) deliver(batch.changes, batch.checkpoint);
      else held.push(batch);
    });
    if (!current()) return joined.leave();
    membership = joined;
    if (after === null) position = joined.position;

    while (compareCheckpoints(position, joined.position) < 0) {
      const batch = await readBatch(pool, { filter: LIVE_EVENTS, after: position, limit: replayBatchSize });
      const changes = await toLiveChanges(store, batch);
      if (!current()) return;
      const before = position;
      deliver(changes, batch.checkpoint);
      // The feed's position was read below an older horizon, so the replay always reaches it.
      if (compareCheckpoints(position, before) <= 0) throw new Error('live replay stopped short of the feed');
      await outbox.drained();
      if (!current()) return;
    }

    // No await from here on: the held batches and the switch to live happen in one turn.
    for (const batch of held.splice(0)) deliver(batch.changes, batch.checkpoint);
    live = true;
    outbox.send({ type: 'caught-up', checkpoint: position });
  };

  return {
    subscribe,
    close() {
      closed = true;
      membership?.leave();
      membership = undefined;
    },
  };
};
