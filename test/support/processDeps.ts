import type { Consumer } from '../../src/eventstore/consumers.js';
import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import type { SubscriptionDeps } from '../../src/eventstore/postgres/subscriptionRunner.js';
import type { EventStore } from '../../src/eventstore/types.js';
import { systemClock } from '../../src/platform/clock.js';
import type { ProcessDeps } from '../../src/processes/runtime.js';
import { createTimerService } from '../../src/processes/timers.js';
import { readModelBarrier } from '../../src/projections/runtime.js';
import { parkedEventTable } from '../../src/stores/parkedEvents.js';

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
