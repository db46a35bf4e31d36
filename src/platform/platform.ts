import { hostname } from 'node:os';
import { migrate } from '../eventstore/postgres/migrate.js';
import type { Notifier } from '../eventstore/postgres/notifier.js';
import { createNotifier } from '../eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../eventstore/postgres/postgresEventStore.js';
import type { SubscriptionRunner } from '../eventstore/postgres/subscriptionRunner.js';
import type { EventStore } from '../eventstore/types.js';
import { createProcessRuntime, type ProcessManager, type ProcessRuntime } from '../processes/runtime.js';
import { createTimerService, type TimerService } from '../processes/timers.js';
import { auditProjection } from '../projections/audit/auditProjection.js';
import { integrationIncidentsProjection } from '../projections/integrationIncidents.js';
import { type Projection, startProjection } from '../projections/runtime.js';
import { type Clock, systemClock } from './clock.js';
import { type Database, type DatabaseConfig, openDatabase } from './database.js';

/** The projections every deployment runs, whatever pharmacy flows sit on top. */
export const coreProjections: readonly Projection[] = [auditProjection, integrationIncidentsProjection];

export type Platform = {
  db: Database;
  store: EventStore;
  notifier: Notifier;
  timers: TimerService;
  processes: ProcessRuntime;
  clock: Clock;
  holder: string;
  log: (line: string) => void;
  /** Starts the given projections and process managers plus the timer loop. */
  run(parts: { projections?: readonly Projection[]; processes?: readonly ProcessManager[] }): void;
  /** Waits until every running consumer has handled every event committed so far. */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export type PlatformConfig = DatabaseConfig & {
  clock?: Clock;
  log?: (line: string) => void;
  timerIntervalMs?: number;
  pollIntervalMs?: number;
};

export const openPlatform = async (config: PlatformConfig = {}): Promise<Platform> => {
  const log = config.log ?? ((line: string) => console.log(line));
  const clock = config.clock ?? systemClock;
  const db = await openDatabase(config);
  await migrate(db.pool);
  const notifier = createNotifier(db.connectionString, log, db.pool);
  const store = createPostgresEventStore(db.pool, { afterAppend: notifier.announce });
  const timers = createTimerService(db.pool, clock, log);
  const deps = { pool: db.pool, connectionString: db.connectionString, notifier, log };
  const processes = createProcessRuntime({ ...deps, store, timers, clock });
  const holder = `${hostname()}:${process.pid}`;
  const runners: SubscriptionRunner[] = [];

  return {
    db,
    store,
    notifier,
    timers,
    processes,
    clock,
    holder,
    log,
    run({ projections = [], processes: managers = [] }) {
      const options = { holder, pollIntervalMs: config.pollIntervalMs };
      for (const projection of projections) runners.push(startProjection(deps, projection, options));
      for (const pm of managers) runners.push(processes.start(pm, options));
      timers.start(config.timerIntervalMs);
    },
    async drain(timeoutMs) {
      await Promise.all(runners.map((runner) => runner.drain(timeoutMs)));
    },
    async close() {
      await timers.stop();
      await Promise.all(runners.map((runner) => runner.stop()));
      await notifier.close();
      await db.close();
    },
  };
};
