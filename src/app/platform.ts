import { hostname } from 'node:os';
import { EVENT_UPCASTERS } from '../domain/eventVersions.js';
import type { Consumer, Consumers } from '../eventstore/consumers.js';
import { type AppDatabase, type AppDatabaseConfig, openAppDatabase } from '../eventstore/postgres/appRole.js';
import { createPostgresConsumers } from '../eventstore/postgres/consumers.js';
import { createPool } from '../eventstore/postgres/database.js';
import { createPostgresLeases } from '../eventstore/postgres/lease.js';
import type { Notifier } from '../eventstore/postgres/notifier.js';
import { createNotifier } from '../eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../eventstore/postgres/postgresEventStore.js';
import { compareCheckpoints, newestCheckpoint } from '../eventstore/postgres/readBatch.js';
import { createSharedTail, type SharedTail } from '../eventstore/postgres/sharedTail.js';
import { tracedAppends } from '../eventstore/tracedAppends.js';
import type { EventStore } from '../eventstore/types.js';
import { useUpcasters } from '../eventstore/upcasting.js';
import { type Clock, systemClock } from '../platform/clock.js';
import { createLogger, type Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { SqlPool } from '../platform/sql.js';
import { observedProcess } from '../processes/observed.js';
import {
  createProcessRuntime,
  type ProcessManager,
  type ProcessRuntime,
  processSubscriptionId,
} from '../processes/runtime.js';
import { createTimerService, type TimerService } from '../processes/timers.js';
import { backlogCounts, type SubscriptionLag } from '../projections/health/platformHealth.js';
import {
  type Projection,
  projectionSubscriptionId,
  readModelBarrier,
  startProjection,
} from '../projections/runtime.js';
import {
  type DocumentProjection,
  documentSubscriptionId,
  type ReadModelSink,
  startDocumentProjection,
} from '../projections/viewDocuments.js';
import { parkedEventTable } from '../stores/parkedEvents.js';

export type Platform = {
  /** Connected as the least-privilege app role; migrations ran as the owner. */
  db: AppDatabase;
  /** The consumers' store, on `db.pool`. */
  store: EventStore;
  /**
   * A pool of its own for requests, and the store on it: a request never queues behind the
   * subscriptions' batches, nor a batch behind a burst of requests.
   */
  http: { pool: SqlPool; store: EventStore; catchUp: Pick<Consumers, 'caughtUp'> };
  notifier: Notifier;
  /** The newest events, read once per wake-up for every subscription and the live feed. */
  tail: SharedTail;
  timers: TimerService;
  processes: ProcessRuntime;
  clock: Clock;
  holder: string;
  /** The process's logger; consumers log under children of it. */
  log: Logger;
  /** Starts the given projections, process managers and workers, plus the timer loop. */
  run(parts: {
    projections?: readonly Projection[];
    processes?: readonly ProcessManager[];
    workers?: readonly Worker[];
    /** Document read models (READ_MODELS=mongodb): each projection commits into the sink with its checkpoint. */
    documents?: {
      sink: ReadModelSink & { name: string };
      projections: readonly DocumentProjection<unknown>[];
    };
  }): void;
  /** Waits until every running consumer has handled every event committed so far, and workers are idle. */
  drain(timeoutMs?: number): Promise<void>;
  /**
   * How far behind each subscription this platform runs is, the document read models'
   * (READ_MODELS=mongodb) included; one without a checkpoint yet from the first event. /metrics
   * and /api/ready.
   */
  subscriptionLags(): Promise<SubscriptionLag[]>;
  close(): Promise<void>;
};

/** A loop beside the consumers that works off a queue of its own, e.g. the e-mail outbox. */
export type Worker = { start(): void; drain(): Promise<unknown>; close(): Promise<void> };

export type PlatformConfig = AppDatabaseConfig & {
  clock?: Clock;
  /** JSON lines to stdout at info unless given (tests pass `silentLogger` or a captured one). */
  log?: Logger;
  timerIntervalMs?: number;
  /**
   * Each subscription's own poll (default 30 s: LISTEN/NOTIFY wakes them). The process's one
   * horizon poll runs at this interval too, or every second by default.
   */
  pollIntervalMs?: number;
  /** The process's one horizon poll, when it should differ from the above (tests: quick). */
  horizonPollMs?: number;
  /** Streams each process manager handles side by side (each stream in order); default 4. */
  deliveryWidth?: number;
  /** Connections for requests (default 10); `poolSize` sizes the consumers' pool. */
  httpPoolSize?: number;
  /** Counts appends and process deliveries, and reads its gauges from this platform's database. */
  metrics?: Metrics;
};

/** How often the process looks for events that no NOTIFY announced (one query for all consumers). */
export const HORIZON_POLL_MS = 1_000;

export const openPlatform = async (config: PlatformConfig = {}): Promise<Platform> => {
  const log = config.log ?? createLogger();
  const clock = config.clock ?? systemClock;
  const db = await openAppDatabase(config);
  const notifier = createNotifier(db.connectionString, log, db.pool, {
    horizonPollMs:
      config.horizonPollMs ?? Math.min(config.pollIntervalMs ?? HORIZON_POLL_MS, HORIZON_POLL_MS),
  });
  useUpcasters(EVENT_UPCASTERS);
  const { metrics } = config;
  const afterAppend = (hint: Parameters<Notifier['announce']>[0]) => {
    notifier.announce(hint);
    for (const category of hint?.categories ?? []) metrics?.appends.inc({ category });
  };
  const store = tracedAppends(createPostgresEventStore(db.pool, { afterAppend }));
  // Document read-model sinks started by `run`: their checkpoints live in the sink, not in the table.
  // The subscriptions this platform runs, for their lags: one that has stored no checkpoint yet
  // stands at the start, and rows no subscription here owns any more are nobody's lag.
  const running = new Set<string>();
  const documentSinks = new Map<ReadModelSink, Set<string>>();
  const lags = async () => {
    const places = (
      await Promise.all(
        [...documentSinks].map(async ([sink, ids]) => {
          const held = new Map((await sink.checkpoints()).map((p) => [p.subscriptionId, p.checkpoint]));
          return [...ids].map((id) => ({ subscriptionId: id, checkpoint: held.get(id) }));
        }),
      )
    ).flat();
    return [...(await consumers.lags([...running])), ...(await consumers.lagsAt(places))];
  };
  metrics?.readFrom({
    subscriptionLags: lags,
    backlog: () => backlogCounts(db.pool, clock.now()),
  });
  const httpPool = createPool(db.connectionString, {
    poolSize: config.httpPoolSize ?? 10,
    applicationName: 'pharmacy-http',
    log,
  });
  const http = {
    pool: httpPool,
    store: tracedAppends(createPostgresEventStore(httpPool, { afterAppend })),
    // A request waiting for a read model asks on its own pool, never behind the consumers' batches.
    catchUp: createPostgresConsumers({
      pool: httpPool,
      connectionString: db.connectionString,
      notifier,
      log,
    }),
  };
  const timers = createTimerService(db.pool, clock, log);
  // Every lease this process holds or waits for, on one connection.
  const leases = createPostgresLeases({ connectionString: db.connectionString, log });
  // One read of the newest events per wake-up, shared by every subscription this process runs.
  const tail = createSharedTail(db.pool, { announced: notifier.announced });
  const deps = { pool: db.pool, connectionString: db.connectionString, notifier, log, leases, tail };
  const consumers = createPostgresConsumers(deps);
  // A delivery waiting for a read model asks the projection's runner here before the database.
  const localProjections = new Map<string, Consumer>();
  const processes = createProcessRuntime({
    consumers,
    store,
    timers,
    clock,
    log,
    parked: parkedEventTable(db.pool),
    readModelCaughtUp: readModelBarrier(consumers, (subscriptionId) => localProjections.get(subscriptionId)),
  });
  const holder = `${hostname()}:${process.pid}`;
  // Kept apart so a shutdown can stop the process managers first: one may be waiting for a read
  // model to catch up, and must be able to finish while the projections still run.
  const projectionRunners: Consumer[] = [];
  const processRunners: Consumer[] = [];
  const workers: Worker[] = [];

  return {
    db,
    store,
    http,
    notifier,
    tail,
    timers,
    processes,
    clock,
    holder,
    log,
    subscriptionLags: lags,
    run({ projections = [], processes: managers = [], workers: started = [], documents }) {
      const options = { holder, pollIntervalMs: config.pollIntervalMs };
      for (const projection of projections) {
        const id = projectionSubscriptionId(projection);
        running.add(id);
        const runner = startProjection(consumers, db.pool, projection, options);
        projectionRunners.push(runner);
        localProjections.set(id, runner);
      }
      if (documents) {
        const { sink } = documents;
        const ids = documentSinks.get(sink) ?? new Set<string>();
        documentSinks.set(sink, ids);
        for (const projection of documents.projections) {
          ids.add(documentSubscriptionId(sink.name, projection));
          projectionRunners.push(startDocumentProjection(consumers, sink, projection, options));
        }
      }
      for (const pm of managers) {
        running.add(processSubscriptionId(pm));
        processRunners.push(
          processes.start(metrics ? observedProcess(pm, metrics) : pm, {
            ...options,
            width: config.deliveryWidth,
          }),
        );
      }
      for (const worker of started) {
        workers.push(worker);
        worker.start();
      }
      timers.start(config.timerIntervalMs);
    },
    async drain(timeoutMs = 30_000) {
      // A process manager or an outbox may append after another subscription has already drained:
      // drain again until a whole round leaves the newest event where it was.
      const deadline = Date.now() + timeoutMs;
      let before = await newestCheckpoint(db.pool, { belowHorizon: false });
      for (;;) {
        const left = Math.max(1, deadline - Date.now());
        await Promise.all([...projectionRunners, ...processRunners].map((runner) => runner.drain(left)));
        await Promise.all(workers.map((worker) => worker.drain()));
        const after = await newestCheckpoint(db.pool, { belowHorizon: false });
        if (!after || (before && compareCheckpoints(before, after) === 0)) return;
        if (Date.now() >= deadline) throw new Error(`platform did not settle within ${timeoutMs} ms`);
        before = after;
      }
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await timers.stop();
      await Promise.all(processRunners.map((runner) => runner.stop()));
      await Promise.all(projectionRunners.map((runner) => runner.stop()));
      await leases.close();
      await notifier.close();
      await httpPool.end();
      await db.close();
    },
  };
};
