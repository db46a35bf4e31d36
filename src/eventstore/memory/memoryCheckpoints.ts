import type { CheckpointStore } from '../consumers.js';
import { CheckpointConflictError } from '../errors.js';
import type { OpaqueCheckpoint } from '../subscriptions.js';

/** A checkpoint kept in memory cannot commit with a database's writes. */
const refuseTransaction = (options?: { within?: unknown }) => {
  if (options?.within) throw new Error('the in-memory checkpoint store cannot join a database transaction');
};

/** The checkpoint store in memory, for tests and single-process tools: compare-and-set on a map. */
export const createMemoryCheckpoints = (): CheckpointStore & {
  /** Every stored checkpoint, by subscription id (for tests looking on). */
  all(): ReadonlyMap<string, OpaqueCheckpoint>;
} => {
  const stored = new Map<string, OpaqueCheckpoint>();
  return {
    async load(subscriptionId) {
      return stored.get(subscriptionId);
    },
    async store(subscriptionId, from, to, options) {
      refuseTransaction(options);
      if (stored.get(subscriptionId) !== from) throw new CheckpointConflictError(subscriptionId);
      stored.set(subscriptionId, to);
    },
    async reset(subscriptionId, options) {
      refuseTransaction(options);
      stored.delete(subscriptionId);
    },
    all: () => stored,
  };
};
