import type pg from 'pg';
import type { Checkpoint, SubscriptionFilter } from '../types.js';
import { loadCheckpoint } from './checkpoints.js';
import { acquireLease, type Lease } from './lease.js';
import { hintMatches, type Notifier } from './notifier.js';
import { type Batch, compareCheckpoints, newestCheckpoint, readBatch } from './readBatch.js';

export type SubscriptionDeps = {
  pool: pg.Pool;
  connectionString: string;
  notifier: Notifier;
  log: (line: string) => void;
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
  /** Safety-net poll; LISTEN/NOTIFY wakes the subscription sooner. */
  pollIntervalMs?: number;
  /** Hold the group's lease while consuming (default); `false` for single-process tools. */
  lease?: false | { holder: string; heartbeatMs?: number; staleAfterMs?: number };
};

export type SubscriptionRunner = {
  /** Resolves once every event committed before the call has been handled. */
  drain(timeoutMs?: number): Promise<void>;
  position(): Checkpoint | undefined;
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Back-off after an infrastructure failure: 100 ms doubling to 30 s. */
export const failureDelay = (failures: number) => Math.min(30_000, 100 * 2 ** Math.max(0, failures - 1));

export const startSubscription = (
  deps: SubscriptionDeps,
  options: SubscriptionOptions,
): SubscriptionRunner => {
  const batchSize = options.batchSize ?? 1_000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  let stopped = false;
  let woken = false;
  let wake: () => void = () => {};
  let current: Checkpoint | undefined;
  let lease: Lease | undefined;
  const progressListeners = new Set<() => void>();

  const unlisten = deps.notifier.onAppend((hint) => {
    if (!hintMatches(options.filter, hint)) return;
    woken = true;
    wake();
  });

  const waitForWake = async () => {
    if (woken || stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollIntervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = () => {};
  };

  const consume = async (isHeld: () => boolean) => {
    let from = await loadCheckpoint(deps.pool, options.subscriptionId);
    current = from;
    let failures = 0;
    while (!stopped && isHeld()) {
      woken = false;
      try {
        const batch = await readBatch(deps.pool, { filter: options.filter, after: from, limit: batchSize });
        if (compareCheckpoints(batch.checkpoint, from) > 0) {
          await options.handle(batch, from);
          from = batch.checkpoint;
          current = from;
          for (const listener of progressListeners) listener();
        }
        failures = 0;
        if (batch.events.length < batchSize) await waitForWake();
      } catch (error) {
        failures += 1;
        deps.log(`subscription ${options.subscriptionId} failed: ${(error as Error).message}`);
        await sleep(failureDelay(failures));
        from = await loadCheckpoint(deps.pool, options.subscriptionId).catch(() => from);
        current = from;
      }
    }
  };

  const running = (async () => {
    while (!stopped) {
      if (options.lease === false) {
        await consume(() => true);
        return;
      }
      lease = acquireLease({
        connectionString: deps.connectionString,
        subscriptionId: options.subscriptionId,
        ...options.lease,
        holder: options.lease?.holder ?? `pid-${process.pid}`,
        log: deps.log,
      });
      try {
        await lease.acquired;
      } catch {
        return;
      }
      const held = lease;
      await consume(() => held.isHeld());
      await held.release();
    }
  })().catch((error) =>
    deps.log(`subscription ${options.subscriptionId} stopped: ${(error as Error).message}`),
  );

  return {
    position: () => current,
    async drain(timeoutMs = 30_000) {
      const target = await newestCheckpoint(deps.pool, { belowHorizon: false });
      if (!target) return;
      const reached = () => current !== undefined && compareCheckpoints(current, target) >= 0;
      if (reached()) return;
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
      });
    },
    async stop() {
      stopped = true;
      unlisten();
      wake();
      await lease?.release();
      await running;
    },
  };
};
