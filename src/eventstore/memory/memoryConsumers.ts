import { silentLogger } from '../../platform/logger.js';
import { type CheckpointStore, type Consumers, createConsumers } from '../consumers.js';
import type { Leases } from '../leases.js';
import { createMemoryCheckpoints } from './memoryCheckpoints.js';
import { type MemoryEventStore, memoryCheckpointOf, memoryPositionOf } from './memoryEventStore.js';
import { createMemoryLeases } from './memoryLeases.js';

/**
 * Durable consumers of the in-memory store (the generic consumer on its subscriptions): leases and
 * checkpoints in memory unless given, e.g. PostgreSQL's checkpoint store beside PostgreSQL read models.
 */
export const createMemoryConsumers = (
  store: MemoryEventStore,
  options: { leases?: Leases; checkpoints?: CheckpointStore } = {},
): Consumers =>
  createConsumers({
    source: store,
    store,
    leases: options.leases ?? createMemoryLeases(),
    checkpoints: options.checkpoints ?? createMemoryCheckpoints(),
    checkpointOf: memoryCheckpointOf,
    positionOf: memoryPositionOf,
    log: silentLogger,
  });
