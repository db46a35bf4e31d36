import { type Config, ConfigError } from '../platform/config.js';

/**
 * The platform runs on PostgreSQL only, whatever EVENT_STORE says: the KurrentDB adapters implement
 * the EventStore and SubscriptionSource ports, but the live feed and the read side are not on them yet. Refused
 * by `startPlatform` before anything is opened, so an instance never half-starts on the wrong store.
 */
export const assertPlatformRunsOn = (eventStore: Config['eventStore']): void => {
  if (eventStore.kind === 'postgres') return;
  throw new ConfigError(
    [
      'EVENT_STORE=kurrentdb cannot run the platform yet.',
      'The KurrentDB event store and subscription adapters exist (src/eventstore/kurrentdb/), but:',
      '  - the live feed and cli rebuild read events through the PostgreSQL subscription runner and',
      '    LISTEN/NOTIFY, not through the SubscriptionSource port;',
      "  - the process runtime and the projections run on the Consumers port, but only PostgreSQL's is wired to them;",
      '  - recent changes, the compliance report and verify-audit read the PostgreSQL events table in SQL;',
      "  - the composition root (src/app/platform.ts) opens PostgreSQL's event store and consumers only.",
      'Unset EVENT_STORE (or set EVENT_STORE=postgres) to start the platform.',
    ].join('\n'),
  );
};
