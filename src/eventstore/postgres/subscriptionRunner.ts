import type { Logger } from '../../platform/logger.js';
import type { SqlPool } from '../../platform/sql.js';
import { failureDelay } from '../consumers.js';
import type { Leases } from '../leases.js';
import type { SubscriptionFilter } from '../types.js';
import { loadCheckpoint } from './checkpoints.js';
import { createPostgresLeases, type Lease, type PostgresLeases } from './lease.js';
import { hintMatches, type Notifier } from './notifier.js';
import type { Checkpoint } from './position.js';
import { type Batch, compareCheckpoints, newestCheckpoint, readBatch } from './readBatch.js';
import type { SharedTail } from './sharedTail.js';

export type SubscriptionDeps = {
  pool: SqlPool;
  connectionString: string;
  notifier: Notifier;
  log: Logger;
  /**
   * The process's leases (one connection for all of them); when absent, a subscription that holds
   * a lease opens leases of its own and closes them when it stops.
   */
  leases?: Leases;
  /** The process's shared read of the newest events; without it each subscription reads the table. */
  tail?: SharedTail;
};

export type SubscriptionOptions = {
  subscriptionId: string;
  filter: SubscriptionFilter;
  /**
   * Handles a batch and stores the checkpoint `from → batch.checkpoint` (see storeCheckpoint), in
   * the same transaction as its writes when it wants exactly-once effects.
   */
  handle(batch: Batch, from: Checkpoint): Promise<void>;
  batchSize?: number;
  /**
   * Where consuming starts, and starts again after a failure: the stored checkpoint of
   * `subscriptionId` by default; a caller keeping its own checkpoint says where it stands.
   */
  start?: () => Promise<Checkpoint>;
  /**
   * This subscription's own safety-net poll. LISTEN/NOTIFY wakes it, and the notifier's process-wide
   * horizon poll (when the notifier has one) covers what a NOTIFY cannot, so by default it is slow.
   */
  pollIntervalMs?: number;
  /** Hold the group's lease while consuming (default); `false` for single-process tools. */
  lease?: false | { holder: string };
  /**
   * How long a place reached past events this subscription does not read may stay unstored
   * (default IDLE_CHECKPOINT_MS): such a batch is handed to `handle` at most this often, and at
   * once while a drain waits. Losing it costs a rescan of events nobody here reads, never a repeat.
   */
  idleCheckpointMs?: number;
};

export type SubscriptionRunner = {
  /** Resolves once every event committed before the call has been handled. */
  drain(timeoutMs?: number): Promise<void>;
  position(): Checkpoint | undefined;
  /** Whether this runner consumes now (holds its lease, or runs without one). */
  consuming(): boolean;
  /**
   * Whether this runner, while it holds its lease here, has handled everything up to `at` within
   * `timeoutMs`: false at once when it does not consume here (another instance holds the lease).
   */
  reaches(at: Checkpoint, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Default own poll: a last resort behind NOTIFY and the process's horizon poll. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

/**
 * A wake-up whose read finds nothing new usually means the appended event is not yet below the
 * horizon (an older transaction is still open): look again in 5, 10 … 160 ms rather than at the next
 * poll. Six tries, then the horizon poll takes over.
 */
export const QUICK_RETRIES = 6;
export const quickRetryDelay = (retry: number) => 5 * 2 ** retry;

/**
 * A read that finds none of the subscription's events still moves its place past the others; that
 * place is stored at most this often (each store is a commit), so a busy platform's many empty
 * wake-ups cost a read each, not a read and a write.
 */
export const IDLE_CHECKPOINT_MS = 2_000;

export const startSubscription = (
  deps: SubscriptionDeps,
  options: SubscriptionOptions,
): SubscriptionRunner => {
  const batchSize = options.batchSize ?? 1_000;
  const idleCheckpointMs = options.idleCheckpointMs ?? IDLE_CHECKPOINT_MS;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  let stopped = false;
  let woken = false;
  let wake: () => void = () => {};
  /** Where the subscription has read to; `stored` lags it while only others' events were passed. */
  let current: Checkpoint | undefined;
  let stored: Checkpoint | undefined;
  /** Drains waiting: each waits for the stored place, so readers of the checkpoint table agree. */
  let draining = 0;
  let lease: Lease | undefined;
  /** Consuming here: holding the lease (or running without one). */
  let consuming = false;
  const progressListeners = new Set<() => void>();

  const unlistenAppends = deps.notifier.onAppend((hint) => {
    if (!hintMatches(options.filter, hint)) return;
    woken = true;
    wake();
  });
  const unlistenHorizon = deps.notifier.onHorizon((newest) => {
    if (current !== undefined && compareCheckpoints(newest, current) <= 0) return;
    woken = true;
    wake();
  });
  const unlisten = () => {
    unlistenAppends();
    unlistenHorizon();
  };

  const waitForWake = async (ms = pollIntervalMs) => {
    if (woken || stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = () => {};
  };

  const start = options.start ?? (() => loadCheckpoint(deps.pool, options.subscriptionId));

  const consume = async (isHeld: () => boolean) => {
    try {
      consuming = true;
      await consumeHeld(isHeld);
    } finally {
      consuming = false;
    }
  };

  const consumeHeld = async (isHeld: () => boolean) => {
    let from = await start();
    current = from;
    stored = from;
    let storedAt = Date.now();
    const store = async (batch: Batch) => {
      await options.handle(batch, stored!);
      stored = batch.checkpoint;
      storedAt = Date.now();
    };
    let failures = 0;
    // Quick retries owed: none until a wake-up finds nothing; wake-ups during a sequence (a busy
    // platform announces constantly) continue it rather than restart it at its shortest delay.
    let quickRetries: number | null = null;
    while (!stopped && isHeld()) {
      const wasWoken = woken;
      woken = false;
      try {
        const request = { filter: options.filter, after: from, limit: batchSize };
        const batch = await (deps.tail ? deps.tail.read(request) : readBatch(deps.pool, request));
        if (batch.events.length > 0) quickRetries = null;
        else if (wasWoken && quickRetries === null) quickRetries = 0;
        // The batch's checkpoint never stands behind `from`; past `stored` with no events of ours, it
        // is stored when a drain waits or the idle interval has passed.
        if (
          batch.events.length > 0 ||
          (compareCheckpoints(batch.checkpoint, stored!) > 0 &&
            (draining > 0 || Date.now() - storedAt >= idleCheckpointMs))
        )
          await store(batch);
        from = batch.checkpoint;
        current = from;
        for (const listener of progressListeners) listener();
        failures = 0;
        if (batch.events.length < batchSize) {
          if (batch.events.length === 0 && quickRetries !== null && quickRetries < QUICK_RETRIES) {
            const delay = quickRetryDelay(quickRetries);
            quickRetries += 1;
            await waitForWake(delay);
          } else {
            quickRetries = null;
            await waitForWake();
          }
        }
      } catch (error) {
        failures += 1;
        deps.log.error(
          { subscription: options.subscriptionId, err: error },
          `subscription ${options.subscriptionId} failed`,
        );
        await sleep(failureDelay(failures));
        from = await start().catch(() => stored ?? from);
        current = from;
        stored = from;
      }
    }
  };

  // Whatever interrupts the subscription (no lease to be had, no checkpoint to read, a connection
  // refused while the database is busy or restarting) is logged and tried again after a back-off:
  // it only ends when stopped, never silently.
  let ownLeases: PostgresLeases | undefined;
  const leases = () => {
    if (deps.leases) return deps.leases;
    ownLeases ??= createPostgresLeases({ connectionString: deps.connectionString, log: deps.log });
    return ownLeases;
  };
  const running = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (options.lease === false) {
          await consume(() => true);
          return;
        }
        const held = leases().acquire(options.subscriptionId, options.lease?.holder ?? `pid-${process.pid}`);
        lease = held;
        try {
          await held.acquired;
          // Lost, or asked back for another instance: stop after the batch in hand, then release.
          void held.lost.then(() => {
            woken = true;
            wake();
          });
          failures = 0;
          await consume(() => held.isHeld());
        } finally {
          await held.release();
        }
      } catch (error) {
        if (stopped) return;
        failures += 1;
        deps.log.warn(
          { subscription: options.subscriptionId, err: error },
          `subscription ${options.subscriptionId} interrupted; starting again`,
        );
        await sleep(failureDelay(failures));
      }
    }
  })();

  const passed = (at: Checkpoint) => current !== undefined && compareCheckpoints(current, at) >= 0;

  return {
    position: () => current,
    consuming: () => consuming,
    async reaches(at, timeoutMs) {
      if (passed(at)) return true;
      if (!consuming || stopped) return false;
      // Asleep, it would only pass `at` at its next wake-up: a projection of other events (the
      // pharmacy network, asked about an order's event) is woken by none of the appends before
      // `at`, and waited for the horizon poll. Reading now moves it past what it does not read.
      woken = true;
      wake();
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => settle(false), timeoutMs);
        function settle(reached: boolean) {
          clearTimeout(timer);
          progressListeners.delete(check);
          resolve(reached);
        }
        function check() {
          if (passed(at)) settle(true);
          else if (!consuming || stopped) settle(false);
        }
        progressListeners.add(check);
      });
    },
    async drain(timeoutMs = 30_000) {
      const target = await newestCheckpoint(deps.pool, { belowHorizon: false });
      if (!target) return;
      const reached = () => stored !== undefined && compareCheckpoints(stored, target) >= 0;
      if (reached()) return;
      draining += 1;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          progressListeners.delete(check);
          reject(new Error(`subscription ${options.subscriptionId} did not reach ${target.globalPosition}`));
        }, timeoutMs);
        function check() {
          if (!reached()) return;
          clearTimeout(timer);
          progressListeners.delete(check);
          resolve();
        }
        progressListeners.add(check);
        woken = true;
        wake();
      }).finally(() => {
        draining -= 1;
      });
    },
    async stop() {
      stopped = true;
      unlisten();
      wake();
      await lease?.release();
      await running;
      await ownLeases?.close();
    },
  };
};
