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
      '  - the projections and the live feed read events through the PostgreSQL subscription runner,',
      '    its checkpoints, leases and LISTEN/NOTIFY, not through the SubscriptionSource port;',
      '  - the process runtime runs on the Consumers port, but no KurrentDB checkpoint store or leases are wired to it;',
      '  - the projection catch-up wait, recent changes, the compliance report, verify-audit and the',
      '    subscription lag read the PostgreSQL events table in SQL.',
      'Unset EVENT_STORE (or set EVENT_STORE=postgres) to start the platform.',
    ].join('\n'),
  );
};
