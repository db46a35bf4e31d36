import type { Consumers } from '../consumers.js';
import type { OpaqueCheckpoint } from '../subscriptions.js';
import { waitUntilHandled } from './caughtUp.js';
import { loadCheckpoint, resetCheckpoint, storeCheckpoint } from './checkpoints.js';
import { lagsBehind, subscriptionLags } from './lags.js';
import { laterEventOfType } from './laterEvents.js';
import { type Checkpoint, START_CHECKPOINT } from './position.js';
import { compareCheckpoints } from './readBatch.js';
import { type SubscriptionDeps, startSubscription } from './subscriptionRunner.js';
import { decodeCheckpoint, deliveredBatch, encodeCheckpoint } from './subscriptionSource.js';

/**
 * The durable consumer port over PostgreSQL: the commit-safe runner (LISTEN/NOTIFY, the process's
 * shared read of the newest events and its one lease connection), with the checkpoints in
 * `subscription_checkpoints`.
 */
export const createPostgresConsumers = (deps: SubscriptionDeps): Consumers => {
  const place = (checkpoint: OpaqueCheckpoint | undefined) => decodeCheckpoint(checkpoint);
  /** The runner's place as the port hands it out: the start as none, as every adapter does. */
  const opaque = (checkpoint: Checkpoint) =>
    compareCheckpoints(checkpoint, START_CHECKPOINT) === 0 ? undefined : encodeCheckpoint(checkpoint);
  return {
    checkpoints: {
      load: async (subscriptionId) => opaque(await loadCheckpoint(deps.pool, subscriptionId)),
      store: (subscriptionId, from, to, options) =>
        storeCheckpoint(options?.within ?? deps.pool, subscriptionId, place(from), place(to), options),
      reset: (subscriptionId, options) => resetCheckpoint(options?.within ?? deps.pool, subscriptionId),
    },
    compareCheckpoints: (a, b) => compareCheckpoints(place(a), place(b)),
    laterEventOfType: (event, eventTypes) => laterEventOfType(deps.pool, event.id, eventTypes),
    caughtUp: (consumer, event, timeoutMs) => waitUntilHandled(deps.pool, consumer, event.id, timeoutMs),
    lags: (subscriptionIds) => subscriptionLags(deps.pool, subscriptionIds),
    lagsAt: (places) =>
      lagsBehind(
        deps.pool,
        places.map(({ subscriptionId, checkpoint }) => ({ subscriptionId, checkpoint: place(checkpoint) })),
      ),
    start(options) {
      const runner = startSubscription(deps, {
        subscriptionId: options.subscriptionId,
        filter: options.filter,
        batchSize: options.batchSize,
        pollIntervalMs: options.pollIntervalMs,
        lease: { holder: options.holder },
        ...(options.from ? { start: async () => place(await options.from!()) } : {}),
        handle: (batch, from) => options.handle(deliveredBatch(batch), opaque(from)),
      });
      return {
        drain: (timeoutMs) => runner.drain(timeoutMs),
        consuming: () => runner.consuming(),
        reaches: (at, timeoutMs) => runner.reaches(place(at), timeoutMs),
        stop: () => runner.stop(),
      };
    },
  };
};
