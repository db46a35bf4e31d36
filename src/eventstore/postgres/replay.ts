import type { CheckpointStore } from '../consumers.js';
import type { SubscriptionFilter } from '../types.js';
import { createPostgresConsumers } from './consumers.js';
import { createNotifier } from './notifier.js';
import { countEvents } from './readBatch.js';
import type { SubscriptionDeps } from './subscriptionRunner.js';
import { createPostgresSubscriptionSource } from './subscriptionSource.js';

/** How often a replay looks whether the commit-safe horizon has moved (a transaction it waits for ended). */
const REPLAY_HORIZON_POLL_MS = 200;

/**
 * What a rebuild needs of the PostgreSQL store, on its own connections: its subscription source
 * (woken by NOTIFY and by a quick horizon poll), a count of the events a filter matches for the
 * progress bar, and the consumers' checkpoints the rebuilt projection hands back to the platform.
 */
export const openPostgresReplay = (deps: Pick<SubscriptionDeps, 'pool' | 'connectionString' | 'log'>) => {
  const notifier = createNotifier(deps.connectionString, deps.log, deps.pool, {
    horizonPollMs: REPLAY_HORIZON_POLL_MS,
  });
  const subscriptions = { ...deps, notifier };
  const checkpoints: CheckpointStore = createPostgresConsumers(subscriptions).checkpoints;
  return {
    replay: {
      source: createPostgresSubscriptionSource(subscriptions),
      count: (filter: SubscriptionFilter) => countEvents(deps.pool, filter),
    },
    checkpoints,
    close: () => notifier.close(),
  };
};
