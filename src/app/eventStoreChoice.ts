import { type Config, ConfigError } from '../platform/config.js';

/**
 * The platform runs on PostgreSQL only, whatever EVENT_STORE says: the KurrentDB adapters implement
 * the EventStore and SubscriptionSource ports, but the runtimes are not on those ports yet. Refused
 * by `startPlatform` before anything is opened, so an instance never half-starts on the wrong store.
 */
export const assertPlatformRunsOn = (eventStore: Config['eventStore']): void => {
  if (eventStore.kind === 'postgres') return;
  throw new ConfigError(
    [
      'EVENT_STORE=kurrentdb cannot run the platform yet.',
      'The KurrentDB event store and subscription adapters exist (src/eventstore/kurrentdb/), but:',
      '  - the process runtime, the projections and the live feed read events through the PostgreSQL',
      '    subscription runner, its checkpoints, leases and LISTEN/NOTIFY, not through the SubscriptionSource port;',
      '  - retry timers and the retry routes read events by id, which KurrentDB cannot (no index by event id);',
      '  - the parcel lookup queries event contents inside PostgreSQL.',
      'Unset EVENT_STORE (or set EVENT_STORE=postgres) to start the platform.',
    ].join('\n'),
  );
};
