import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { Logger } from '../../platform/logger.js';
import { type CheckpointStore, type Consumers, createConsumers } from '../consumers.js';
import type { Leases } from '../leases.js';
import { createKurrentDBEventStore } from './kurrentdbEventStore.js';
import { createKurrentDBSubscriptionSource } from './kurrentdbSubscriptionSource.js';
import { checkpointOfEvent, positionOfCheckpoint } from './positions.js';

/**
 * Durable consumers of KurrentDB's `$all`: the generic consumer on this adapter's catch-up
 * subscriptions. KurrentDB keeps no leases or checkpoints for them here: the composition gives
 * both (PostgreSQL's leases, and `consumer_checkpoints` beside the read models, so a projection's
 * rows and its checkpoint still commit together).
 */
export const createKurrentDBConsumers = (
  client: KurrentDBClient,
  options: { leases: Leases; checkpoints: CheckpointStore; log: Logger },
): Consumers =>
  createConsumers({
    source: createKurrentDBSubscriptionSource(client, (line) => options.log.warn(line)),
    store: createKurrentDBEventStore(client),
    leases: options.leases,
    checkpoints: options.checkpoints,
    checkpointOf: checkpointOfEvent,
    positionOf: positionOfCheckpoint,
    log: options.log,
  });
