import type { Logger } from '../platform/logger.js';
import type { SqlQueryable } from '../platform/sql.js';
import type { Lease, Leases } from './leases.js';
import type { DeliveredBatch, OpaqueCheckpoint, Subscription, SubscriptionSource } from './subscriptions.js';
import type { EventStore, RecordedEvent, SubscriptionFilter } from './types.js';

/**
 * Where each durable consumer stands, kept apart from the events (a table beside the read models,
 * a collection, a map in tests). Only compare-and-set moves it, so two consumers that briefly
 * overlap while a lease changes hands can never both commit a batch.
 */
export type CheckpointStore = {
  /** The stored checkpoint, or undefined before the first batch (the start). */
  load(subscriptionId: string): Promise<OpaqueCheckpoint | undefined>;
  /**
   * Moves the checkpoint from `from` (undefined: none stored yet) to `to`; throws
   * CheckpointConflictError when it no longer stands at `from`. `relaxed`: the write need not be
   * durable before it returns — only for consumers whose effects are keyed by their trigger, so a
   * lost checkpoint redelivers events whose effects are then answered, not repeated. `within`: a
   * transaction open on the database the checkpoints are kept in, so the checkpoint commits with
   * the caller's writes (a read model's batch); a store kept anywhere else refuses it.
   */
  store(
    subscriptionId: string,
    from: OpaqueCheckpoint | undefined,
    to: OpaqueCheckpoint,
    options?: { relaxed?: boolean; within?: SqlQueryable },
  ): Promise<void>;
  /** Forgets the checkpoint: the consumer starts again from the first event (a rebuild). */
  reset(subscriptionId: string, options?: { within?: SqlQueryable }): Promise<void>;
};

/** How far one subscription is behind the newest event: in events, and in seconds of age. */
export type SubscriptionLag = { subscriptionId: string; events: number; seconds: number };

export type ConsumerOptions = {
  /** The consumer's name: its checkpoint's and its lease's. */
  subscriptionId: string;
  filter: SubscriptionFilter;
  /** Who holds the lease, for people looking on. */
  holder: string;
  batchSize?: number;
  /** A last-resort poll where the adapter needs one (PostgreSQL); others are pushed their events. */
  pollIntervalMs?: number;
  /**
   * Where consuming starts (and starts again after a failure) when the handler keeps its checkpoint
   * elsewhere, e.g. in a read-model sink with its documents; the consumers' `checkpoints` otherwise.
   */
  from?: () => Promise<OpaqueCheckpoint | undefined>;
  /**
   * Handles a batch and stores the checkpoint `from → batch.checkpoint` through the consumers'
   * `checkpoints`, or where `from` reads it (in parts, if it likes, through
   * `batch.eventCheckpoints`). A batch that throws is delivered again from the stored checkpoint
   * after a back-off.
   */
  handle(batch: DeliveredBatch, from: OpaqueCheckpoint | undefined): Promise<void>;
};

export type Consumer = {
  /** Resolves once every event appended before the call has been handled here. */
  drain(timeoutMs?: number): Promise<void>;
  /** Whether this instance consumes now (holds the lease). */
  consuming(): boolean;
  /**
   * Whether this consumer, while it consumes here, has handled everything up to `at` within
   * `timeoutMs`: false at once when it does not consume here (another instance holds the lease).
   */
  reaches(at: OpaqueCheckpoint, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
};

/**
 * The durable consumer port the process managers run on: a subscription from a stored checkpoint,
 * consumed by one lease holder across every process sharing the store, started again from the
 * stored checkpoint after a failure or a lost lease.
 */
export type Consumers = {
  start(options: ConsumerOptions): Consumer;
  checkpoints: CheckpointStore;
  /** Orders two checkpoints of this store (undefined is the start). */
  compareCheckpoints(a: OpaqueCheckpoint | undefined, b: OpaqueCheckpoint | undefined): number;
  /** Whether an event of one of these types comes after `event` in the order consumers read. */
  laterEventOfType(event: RecordedEvent, eventTypes: readonly string[]): Promise<boolean>;
  /**
   * Waits until a consumer (running anywhere) has handled everything up to and including `event`:
   * its stored checkpoint stands at or past it, or nothing the consumer reads lies between them.
   * Rejects after `timeoutMs`.
   */
  caughtUp(
    consumer: { subscriptionId: string; filter: SubscriptionFilter },
    event: Pick<RecordedEvent, 'id' | 'globalPosition'>,
    timeoutMs: number,
  ): Promise<void>;
  /**
   * How far each of these consumers stands behind the newest event, by its stored checkpoint (one
   * with none yet stands at the start), in the order consumers read: /api/ready and /metrics.
   */
  lags(subscriptionIds: readonly string[]): Promise<SubscriptionLag[]>;
  /** The same for consumers whose checkpoints are kept elsewhere (a read-model sink), given where each stands. */
  lagsAt(
    places: readonly { subscriptionId: string; checkpoint: OpaqueCheckpoint | undefined }[],
  ): Promise<SubscriptionLag[]>;
};

export type ConsumerDeps = {
  source: SubscriptionSource;
  leases: Leases;
  checkpoints: CheckpointStore;
  /** For `laterEventOfType`: the store whose global positions are the order its source delivers in. */
  store: Pick<EventStore, 'readAll'>;
  /**
   * For `caughtUp`: the checkpoint just past an event (its source's, from the event's global
   * position). Such a source moves its consumers' checkpoints past the events they skip, so a stored
   * checkpoint reaches every event in the end.
   */
  checkpointOf(event: Pick<RecordedEvent, 'globalPosition'>): OpaqueCheckpoint;
  /** For the lags: the global position a checkpoint stands at (the events after it are unread). */
  positionOf(checkpoint: OpaqueCheckpoint): number;
  log: Logger;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Back-off after a failure: 100 ms doubling to 30 s (every consumer's, and the live feed's). */
export const failureDelay = (failures: number) => Math.min(30_000, 100 * 2 ** Math.max(0, failures - 1));

/**
 * Durable consumers on any adapter's subscription source, leases and checkpoint store. The
 * PostgreSQL adapter has its own (one shared read of the newest events for every consumer); this
 * one serves the in-memory store and KurrentDB, whose global positions are their delivery order.
 */
export const createConsumers = (deps: ConsumerDeps): Consumers => ({
  checkpoints: deps.checkpoints,
  compareCheckpoints: (a, b) => deps.source.compareCheckpoints(a, b),
  async laterEventOfType(event, eventTypes) {
    const later = await deps.store.readAll({
      fromPosition: event.globalPosition + 1,
      filter: { kind: 'eventTypes', eventTypes },
      maxCount: 1,
    });
    return later.length > 0;
  },
  async caughtUp(consumer, event, timeoutMs) {
    const at = deps.checkpointOf(event);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await deps.checkpoints.load(consumer.subscriptionId);
      if (deps.source.compareCheckpoints(stored, at) >= 0) return;
      if (Date.now() > deadline)
        throw new Error(`${consumer.subscriptionId} did not reach event ${event.id} within ${timeoutMs} ms`);
      await sleep(CAUGHT_UP_POLL_MS);
    }
  },
  async lags(subscriptionIds) {
    return lagsAt(
      deps,
      await Promise.all(
        subscriptionIds.map(async (subscriptionId) => ({
          subscriptionId,
          checkpoint: await deps.checkpoints.load(subscriptionId),
        })),
      ),
    );
  },
  lagsAt: (places) => lagsAt(deps, places),
  start: (options) => startConsumer(deps, options),
});

/**
 * The most unread events a lag counts: the store has no count, so the events after a checkpoint are
 * read, and a consumer this far behind is reported at the cap (it is behind, whatever the number).
 */
export const LAG_COUNT_CAP = 10_000;

const lagsAt = (
  deps: ConsumerDeps,
  places: readonly { subscriptionId: string; checkpoint: OpaqueCheckpoint | undefined }[],
): Promise<SubscriptionLag[]> =>
  Promise.all(
    places.map(async ({ subscriptionId, checkpoint }) => {
      const unread = await deps.store.readAll({
        fromPosition: checkpoint === undefined ? 0 : deps.positionOf(checkpoint) + 1,
        maxCount: LAG_COUNT_CAP,
      });
      const oldest = unread[0];
      const seconds = oldest ? (Date.now() - Date.parse(oldest.metadata.occurredAt)) / 1000 : 0;
      return { subscriptionId, events: unread.length, seconds: Math.max(0, seconds) };
    }),
  );

/** How often `caughtUp` reads the stored checkpoint again. */
const CAUGHT_UP_POLL_MS = 20;

const startConsumer = (deps: ConsumerDeps, options: ConsumerOptions): Consumer => {
  const id = options.subscriptionId;
  let stopped = false;
  /** Failures in a row: the back-off grows with them, and a handled batch ends the run. */
  let failures = 0;
  let stopping: () => void = () => {};
  const stoppedSignal = new Promise<void>((resolve) => {
    stopping = resolve;
  });
  /** The subscription consuming here while the lease is held; drains wait for one. */
  let consuming: Subscription | undefined;
  /** Where the handler has got to while consuming here. */
  let handled: OpaqueCheckpoint | undefined;
  const progressListeners = new Set<() => void>();
  const consumingListeners = new Set<() => void>();
  const setConsuming = (subscription: Subscription | undefined) => {
    consuming = subscription;
    for (const listener of [...consumingListeners]) listener();
  };
  /** Resolves when the consuming subscription changes, or after `ms`. */
  const nextChange = (ms: number) => {
    let done: () => void = () => {};
    const happened = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      done = () => {
        clearTimeout(timer);
        consumingListeners.delete(done);
        resolve();
      };
      consumingListeners.add(done);
    });
    return { happened, cancel: () => done() };
  };

  const consumeWhileHeld = async (held: Lease) => {
    let stored = await (options.from ? options.from() : deps.checkpoints.load(id));
    handled = stored;
    let fail: (error: unknown) => void = () => {};
    const failed = new Promise<void>((_, reject) => {
      fail = reject;
    });
    const subscription = deps.source.subscribe({
      name: id,
      filter: options.filter,
      from: stored,
      batchSize: options.batchSize,
      async handle(batch) {
        if (!held.isHeld()) throw new Error(`lease of ${id} lost`);
        try {
          await options.handle(batch, stored);
          stored = batch.checkpoint;
          handled = stored;
          failures = 0;
          for (const listener of [...progressListeners]) listener();
        } catch (error) {
          // Start again from what is stored, after a back-off, rather than let the source retry
          // a batch whose handler may have stored part of it.
          fail(error);
          throw error;
        }
      },
    });
    setConsuming(subscription);
    try {
      await Promise.race([held.lost, stoppedSignal, failed]);
    } finally {
      setConsuming(undefined);
      await subscription.stop();
    }
  };

  const running = (async () => {
    while (!stopped) {
      try {
        const held = deps.leases.acquire(id, options.holder);
        try {
          await Promise.race([held.acquired, stoppedSignal]);
          if (stopped) return;
          await consumeWhileHeld(held);
          failures = 0;
        } finally {
          await held.release();
        }
      } catch (error) {
        if (stopped) return;
        failures += 1;
        deps.log.warn({ subscription: id, err: error }, `consumer ${id} interrupted; starting again`);
        await sleep(failureDelay(failures));
      }
    }
  })();

  const passed = (at: OpaqueCheckpoint) =>
    consuming !== undefined && deps.source.compareCheckpoints(handled, at) >= 0;

  return {
    consuming: () => consuming !== undefined,
    async reaches(at, timeoutMs) {
      if (passed(at)) return true;
      if (!consuming || stopped) return false;
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => settle(false), timeoutMs);
        function settle(reached: boolean) {
          clearTimeout(timer);
          progressListeners.delete(check);
          consumingListeners.delete(check);
          resolve(reached);
        }
        function check() {
          if (passed(at)) settle(true);
          else if (!consuming || stopped) settle(false);
        }
        progressListeners.add(check);
        consumingListeners.add(check);
      });
    },
    async drain(timeoutMs = 30_000) {
      // The subscription consuming here may change while draining (a failed batch starts a new
      // one from the stored checkpoint): drain whichever consumes, until one has drained.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = deadline - Date.now();
        if (stopped || left <= 0) throw new Error(`consumer ${id} did not drain within ${timeoutMs} ms`);
        const subscription = consuming;
        const change = nextChange(left);
        try {
          if (!subscription) {
            await change.happened;
            continue;
          }
          const outcome = await Promise.race([
            subscription.drain(left).then(
              () => 'drained' as const,
              (error: unknown) => error,
            ),
            change.happened.then(() => 'changed' as const),
          ]);
          if (outcome === 'drained') return;
          if (outcome !== 'changed' && consuming === subscription) throw outcome;
        } finally {
          change.cancel();
        }
      }
    },
    async stop() {
      // The batch in hand finishes, then the lease is released: no other holder overlaps it.
      stopped = true;
      stopping();
      await running;
    },
  };
};
