import type { CheckpointStore, Consumer, Consumers } from '../eventstore/consumers.js';
import type { OpaqueCheckpoint, SubscriptionSource } from '../eventstore/subscriptions.js';
import type { RecordedEvent, SubscriptionFilter } from '../eventstore/types.js';
import type { SqlClient, SqlPool } from '../platform/sql.js';

/** A read model: its writes and its checkpoint commit in one transaction, so each event counts once. */
export type Projection = {
  name: string;
  filter: SubscriptionFilter;
  /** Emptied by `rebuild`, children first. */
  tables: readonly string[];
  applyBatch(client: SqlClient, events: readonly RecordedEvent[]): Promise<void>;
  /** Runs inside the rebuild transaction before the tables are emptied (e.g. to allow TRUNCATE). */
  beforeTruncate?(client: SqlClient): Promise<void>;
};

export const projectionSubscriptionId = (projection: Pick<Projection, 'name'>) =>
  `projection:${projection.name}`;

/**
 * Applies a batch and moves the checkpoint in one transaction, so each event counts once: `move`
 * stores the checkpoint through the transaction's client.
 */
const applyAndCheckpoint = async (
  pool: SqlPool,
  projection: Projection,
  events: readonly RecordedEvent[],
  move: (client: SqlClient) => Promise<void>,
) => {
  const client = await pool.connect();
  try {
    // A read model and its checkpoint can always be derived again from the events, so their commit
    // need not wait for the WAL flush (most of PostgreSQL's time under load). A server crash may
    // lose the last few batches, rows and checkpoint together, and they are projected again.
    await client.query('BEGIN; SET LOCAL synchronous_commit = off');
    if (events.length > 0) await projection.applyBatch(client, events);
    await move(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
};

/**
 * Runs a projection into its PostgreSQL tables on the event store's consumers: each batch's rows
 * and its checkpoint commit together, so the consumers' checkpoints must be kept in the read
 * models' database (`within` the batch's transaction).
 */
export const startProjection = (
  consumers: Consumers,
  pool: SqlPool,
  projection: Projection,
  options: { holder?: string; batchSize?: number; pollIntervalMs?: number } = {},
): Consumer => {
  const subscriptionId = projectionSubscriptionId(projection);
  return consumers.start({
    subscriptionId,
    filter: projection.filter,
    batchSize: options.batchSize ?? 1_000,
    pollIntervalMs: options.pollIntervalMs,
    holder: options.holder ?? `pid-${process.pid}`,
    handle: (batch, from) =>
      applyAndCheckpoint(pool, projection, batch.events, (client) =>
        consumers.checkpoints.store(subscriptionId, from, batch.checkpoint, { within: client }),
      ),
  });
};

/** How long a reader waits for a projection before treating it as stuck (an ordinary failure). */
const CATCH_UP_TIMEOUT_MS = 30_000;

/**
 * Waits until the projection has handled every event up to and including `event`, so what the read
 * model shows includes everything that preceded it (the consumers' `caughtUp`). Projections commit
 * rows and checkpoint together, so a reached checkpoint means visible rows.
 */
export const waitForProjection = (
  consumers: Pick<Consumers, 'caughtUp'>,
  projection: Pick<Projection, 'name' | 'filter'>,
  event: Pick<RecordedEvent, 'id' | 'globalPosition'>,
  timeoutMs = CATCH_UP_TIMEOUT_MS,
): Promise<void> =>
  consumers.caughtUp(
    { subscriptionId: projectionSubscriptionId(projection), filter: projection.filter },
    event,
    timeoutMs,
  );

/**
 * How long a delivery waits for a projection that runs in this process to pass its event before it
 * asks the database instead (the projection is then behind, or has just lost its lease).
 */
export const LOCAL_CATCH_UP_MS = 2_000;

/**
 * The read-model barrier process deliveries wait at (`ProcessDeps.readModelCaughtUp`): a delivery
 * whose event came from a batch compares its place with the projection's runner when that
 * projection runs in this process (no query, no 20 ms polls), and asks the database otherwise.
 */
export const readModelBarrier =
  (
    consumers: Pick<Consumers, 'caughtUp'>,
    local: (subscriptionId: string) => Consumer | undefined = () => undefined,
  ) =>
  async (
    projection: Pick<Projection, 'name' | 'filter'>,
    event: RecordedEvent,
    at: OpaqueCheckpoint | undefined,
  ): Promise<void> => {
    const runner = at && local(projectionSubscriptionId(projection));
    if (runner && (await runner.reaches(at, LOCAL_CATCH_UP_MS))) return;
    await waitForProjection(consumers, projection, event);
  };

export type RebuildReport = { events: number; seconds: number; eventsPerSecond: number };

/** Told how many events the rebuild will process (those its filter matches), then how many are done. */
export type RebuildProgress = { start(total: number): void; update(done: number): void; stop(): void };

/**
 * Where a rebuild reads every event again: the event store's subscription source, and, for the
 * progress bar, how many events a filter matches (when the store can count them).
 */
export type ReplaySource = {
  source: SubscriptionSource;
  count?(filter: SubscriptionFilter): Promise<number>;
};

/**
 * Empties the projection's tables and replays every event from the start, committing each batch
 * with the projection's checkpoint in `checkpoints` (the live consumers'), so the platform goes on
 * from where the rebuild ended. Callers must make sure no live consumer of the projection runs
 * meanwhile (the CLI takes the projection's lease first).
 */
export const rebuildProjection = async (
  pool: SqlPool,
  replay: ReplaySource,
  checkpoints: CheckpointStore,
  projection: Projection,
  options: { progress?: RebuildProgress; batchSize?: number } = {},
): Promise<RebuildReport> => {
  const subscriptionId = projectionSubscriptionId(projection);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await projection.beforeTruncate?.(client);
    await client.query(`TRUNCATE ${projection.tables.join(', ')}`);
    await checkpoints.reset(subscriptionId, { within: client });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }

  return replayAll(
    replay,
    projection.filter,
    (events, from, to) =>
      applyAndCheckpoint(pool, projection, events, (client) =>
        checkpoints.store(subscriptionId, from, to, { within: client }),
      ),
    options,
  );
};

/** A replay that handles no batch for this long while events remain has stalled, and fails. */
export const REPLAY_STALL_MS = 60_000;

/**
 * Replays every event the filter matches, from the first, batch by batch, through the store's
 * subscription source, handing each batch with the checkpoint it moves from and to; reports
 * progress and the rate. Ends once it has passed every event committed when it started (or by the
 * end of its last wait), and at the first batch its handler fails.
 */
export const replayAll = async (
  replay: ReplaySource,
  filter: SubscriptionFilter,
  handle: (
    events: readonly RecordedEvent[],
    from: OpaqueCheckpoint | undefined,
    to: OpaqueCheckpoint,
  ) => Promise<void>,
  options: { progress?: RebuildProgress; batchSize?: number } = {},
): Promise<RebuildReport> => {
  const { source } = replay;
  const progress = options.progress;
  progress?.start(replay.count ? await replay.count(filter) : 0);

  const started = performance.now();
  let from: OpaqueCheckpoint | undefined;
  let handled = 0;
  let failure: { error: unknown } | undefined;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const subscription = source.subscribe({
    name: 'replay',
    filter,
    batchSize: options.batchSize ?? 2_000,
    async handle(batch) {
      // After a failure the source would offer the batch again: refuse it until stopped.
      if (failure) throw failure.error;
      if (source.compareCheckpoints(batch.checkpoint, from) <= 0) return;
      try {
        await handle(batch.events, from, batch.checkpoint);
      } catch (error) {
        failure = { error };
        fail(error);
        throw error;
      }
      handled += batch.events.length;
      from = batch.checkpoint;
      progress?.update(handled);
    },
  });
  try {
    // Everything committed when the replay starts is in it, even an event whose transaction is
    // still above the commit-safe horizon: a drain waits for it. A long replay is waited for as
    // long as it makes progress.
    for (;;) {
      const before = handled;
      try {
        await Promise.race([subscription.drain(REPLAY_STALL_MS), failed]);
        break;
      } catch (error) {
        if (failure || handled === before) throw failure ? failure.error : error;
      }
    }
  } finally {
    await subscription.stop();
  }
  progress?.stop();
  const seconds = (performance.now() - started) / 1000;
  return { events: handled, seconds, eventsPerSecond: seconds > 0 ? handled / seconds : handled };
};
