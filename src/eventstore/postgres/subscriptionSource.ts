import type { DeliveredBatch, OpaqueCheckpoint, SubscriptionSource } from '../subscriptions.js';
import { type Checkpoint, START_CHECKPOINT } from './position.js';
import { type Batch, compareCheckpoints } from './readBatch.js';
import { type SubscriptionDeps, startSubscription } from './subscriptionRunner.js';

const CHECKPOINT = /^pg:(\d+):(\d+)$/;

/** A commit-safe position as the port passes it around: `pg:<transaction id>:<global position>`. */
export const encodeCheckpoint = (checkpoint: Checkpoint): OpaqueCheckpoint =>
  `pg:${checkpoint.transactionId}:${checkpoint.globalPosition}` as OpaqueCheckpoint;

export const decodeCheckpoint = (checkpoint: OpaqueCheckpoint | undefined): Checkpoint => {
  if (checkpoint === undefined) return START_CHECKPOINT;
  const match = CHECKPOINT.exec(checkpoint);
  if (!match) throw new RangeError(`"${checkpoint}" is not a PostgreSQL event store checkpoint`);
  return { transactionId: match[1]!, globalPosition: Number(match[2]) };
};

/** A batch as the port hands it over: each event's own commit-safe place encoded beside it. */
export const deliveredBatch = (batch: Batch): DeliveredBatch => ({
  events: batch.events,
  eventCheckpoints: batch.events.map((event, i) =>
    encodeCheckpoint({ transactionId: batch.transactionIds[i]!, globalPosition: event.globalPosition }),
  ),
  checkpoint: encodeCheckpoint(batch.checkpoint),
});

/**
 * The subscription port over the PostgreSQL store: the same commit-safe runner the runtimes use,
 * woken by LISTEN/NOTIFY, without a lease or a stored checkpoint — the caller keeps the checkpoint.
 */
export const createPostgresSubscriptionSource = (deps: SubscriptionDeps): SubscriptionSource => ({
  subscribe(options) {
    let handled = decodeCheckpoint(options.from);
    const runner = startSubscription(deps, {
      subscriptionId: options.name,
      filter: options.filter,
      batchSize: options.batchSize,
      lease: false,
      start: async () => handled,
      async handle(batch) {
        await options.handle(deliveredBatch(batch));
        handled = batch.checkpoint;
      },
    });
    return { drain: (timeoutMs) => runner.drain(timeoutMs), stop: () => runner.stop() };
  },
  compareCheckpoints: (a, b) => compareCheckpoints(decodeCheckpoint(a), decodeCheckpoint(b)),
});
