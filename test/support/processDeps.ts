import type { Consumer, Consumers } from '../../src/eventstore/consumers.js';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import type { SubscriptionDeps } from '../../src/eventstore/postgres/subscriptionRunner.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { systemClock } from '../../src/platform/clock.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { ProcessDeps } from '../../src/processes/runtime.js';
import { createTimerService, type TimerService } from '../../src/processes/timers.js';
import { readModelBarrier } from '../../src/projections/runtime.js';
import { type ParkedEvents, parkedEventTable } from '../../src/stores/parkedEvents.js';

/**
 * A process runtime's dependencies on PostgreSQL, composed as the platform composes them: its
 * consumers, parked events, timers and read-model barrier all on `deps.pool`.
 */
export const postgresProcessDeps = (
  deps: SubscriptionDeps & {
    store: EventStore;
    /** A projection's runner in this process, by subscription id. */
    localProjection?: (subscriptionId: string) => Consumer | undefined;
  },
): ProcessDeps => ({
  consumers: createPostgresConsumers(deps),
  store: deps.store,
  timers: createTimerService(deps.pool, systemClock, deps.log),
  clock: systemClock,
  log: deps.log,
  parked: parkedEventTable(deps.pool),
  readModelCaughtUp: readModelBarrier(createPostgresConsumers(deps), deps.localProjection),
});

/** Timers for a runtime whose process managers schedule none. */
export const inertTimers: TimerService = {
  schedule: async () => {},
  cancel: async () => {},
  register: () => {},
  tick: async () => 0,
  start: () => {},
  stop: async () => {},
};

/** Parked events for a runtime whose deliveries must never be parked: parking fails the test. */
export const noParking: ParkedEvents = {
  park: async () => {
    throw new Error('nothing should be parked here');
  },
  streamOf: async () => null,
  resolve: async () => {},
};

/**
 * A process runtime's dependencies without PostgreSQL: the given consumers and store, no timers,
 * no parking, and no read models to wait for.
 */
export const portableProcessDeps = (consumers: Consumers, store: EventStore): ProcessDeps => ({
  consumers,
  store,
  timers: inertTimers,
  clock: systemClock,
  log: silentLogger,
  parked: noParking,
  readModelCaughtUp: async () => {},
});
