import type { IntegrationEvent } from '../domain/integrationEvents.js';
import type { Consumer, Consumers } from '../eventstore/consumers.js';
import type { DeliveredBatch, OpaqueCheckpoint } from '../eventstore/subscriptions.js';
import {
  type EventStore,
  type EventToAppend,
  findEvent,
  type RecordedEvent,
  type SubscriptionFilter,
} from '../eventstore/types.js';
import { VendorUnavailableError } from '../integrations/errors.js';
import type { Clock } from '../platform/clock.js';
import { deterministicId } from '../platform/ids.js';
import { type Logger, withLogger } from '../platform/logger.js';
import { contextOf, inSpan } from '../platform/tracing.js';
import type { Projection } from '../projections/runtime.js';
import type { ParkedEvents } from '../stores/parkedEvents.js';
import { IMMEDIATE_ATTEMPTS, immediateRetryDelayMs, nextVendorAttemptAt } from './retryPolicy.js';
import { deliverByStream } from './streamDelivery.js';
import type { TimerService } from './timers.js';

export type ProcessContext = {
  clock: Clock;
  /**
   * This delivery's logger: its lines carry the process manager, the event (`eventId`, `eventType`,
   * `stream`), the event's `correlationId` and, as `causationId`, the event's id, which is what the
   * commands this delivery issues carry as their causation. Log ids, never the event's data.
   */
  log: Logger;
  /** 1 on first delivery; the attempt number on scheduled retries after a vendor outage. */
  attempt: number;
  /** A key for an external effect of this event: the same on every redelivery and retry. */
  idempotencyKey(purpose: string): string;
  /** A command id for a command this event causes: repeats are answered, not re-applied. */
  commandId(purpose: string): string;
  /** Schedules one of this process manager's own timers (see `timers`). */
  schedule(timer: { name: string; key: string; dueAt: Date; payload?: unknown }): Promise<void>;
  /**
   * Waits until a projection has handled everything up to this event: a process manager that
   * decides from a read model must not read it behind the event it is handling.
   */
  readModelCaughtUp(projection: Pick<Projection, 'name' | 'filter'>): Promise<void>;
  /**
   * Whether an event of one of these types comes after this one in the order deliveries follow. A
   * process manager reacting to a burst of like events (an import of a thousand pharmacies) can
   * leave the work to the last one, which sees everything the others would.
   */
  laterEventOfType(eventTypes: readonly string[]): Promise<boolean>;
};

/** What a timer handler gets: no triggering event, so no attempt count, read-model barrier or order. */
export type TimerContext = Omit<ProcessContext, 'attempt' | 'readModelCaughtUp' | 'laterEventOfType'>;

/** Reacts to events by calling integrations and issuing commands. Effects must be idempotent. */
export type ProcessManager = {
  name: string;
  filter: SubscriptionFilter;
  handle(event: RecordedEvent, context: ProcessContext): Promise<void>;
  /** Durable timers this process manager owns, by name. */
  timers?: Record<string, (payload: unknown, context: TimerContext) => Promise<void>>;
};

export type ProcessDeps = {
  /** The durable consumers of the chosen event store: subscription, lease and checkpoint. */
  consumers: Consumers;
  store: EventStore;
  timers: TimerService;
  clock: Clock;
  log: Logger;
  /** Where deliveries that failed every immediate retry wait for a person. */
  parked: ParkedEvents;
  /**
   * Waits until a projection has handled everything up to `event`, delivered from `at` (absent for
   * events delivered otherwise: retries, parked ones). The composition root knows where the
   * projection runs and where its checkpoint is kept.
   */
  readModelCaughtUp(
    projection: Pick<Projection, 'name' | 'filter'>,
    event: RecordedEvent,
    at: OpaqueCheckpoint | undefined,
  ): Promise<void>;
};

/**
 * Where each event delivered from a batch was committed, so a delivery that waits for a read model
 * can compare it with the projection's place. Events delivered otherwise have none.
 */
const committedAt = new WeakMap<RecordedEvent, OpaqueCheckpoint>();

export type DeliveryOutcome = 'handled' | 'vendor_unavailable' | 'parked';

/** The subscription a process manager consumes through: its checkpoint and lease name. */
export const processSubscriptionId = (pm: Pick<ProcessManager, 'name'>) => `process:${pm.name}`;
const RETRY_TIMER = 'process-retry';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type RetryPayload = { processManager: string; eventId: string; attempt: number; cycle: string };

/**
 * How often a batch still being delivered stores how far it got: a slow batch (a vendor timing out)
 * or one a crash keeps interrupting must not have to start over from its beginning every time.
 */
export const PROGRESS_CHECKPOINT_MS = 1_000;

/**
 * Tracks the longest run of handled events from the start of a batch (delivery finishes out of
 * order across streams) and, every PROGRESS_CHECKPOINT_MS, stores the checkpoint up to it; `finish`
 * stores the batch's own checkpoint. One checkpoint per batch when batches are quick.
 */
const batchProgress = (
  batch: DeliveredBatch,
  from: OpaqueCheckpoint | undefined,
  consumers: Pick<Consumers, 'compareCheckpoints'>,
  store: (at: OpaqueCheckpoint | undefined, to: OpaqueCheckpoint) => Promise<void>,
) => {
  const index = new Map(batch.events.map((event, i) => [event.id, i]));
  const handled = batch.events.map(() => false);
  let prefix = 0;
  let stored = from;
  let saving: Promise<void> = Promise.resolve();
  const save = (to: OpaqueCheckpoint) => {
    saving = saving.then(async () => {
      if (consumers.compareCheckpoints(to, stored) <= 0) return;
      await store(stored, to);
      stored = to;
    });
    return saving;
  };
  const timer = setInterval(() => {
    if (prefix === 0) return;
    save(batch.eventCheckpoints[prefix - 1]!).catch(
      () => {}, // the batch's final store reports a lost lease
    );
  }, PROGRESS_CHECKPOINT_MS);
  return {
    done(event: RecordedEvent) {
      handled[index.get(event.id)!] = true;
      while (prefix < handled.length && handled[prefix]) prefix += 1;
    },
    async stop() {
      clearInterval(timer);
      await saving.catch(() => {});
    },
    async finish() {
      saving = Promise.resolve();
      await save(batch.checkpoint);
    },
  };
};

/** The fields every line of one delivery carries (docs/ARCHITECTURE.md, "Logs"). */
const deliveryLogger = (log: Logger, pm: ProcessManager, event: RecordedEvent, attempt: number) =>
  log.child({
    processManager: pm.name,
    eventId: event.id,
    eventType: event.type,
    stream: event.streamName,
    correlationId: event.metadata.correlationId,
    // What the commands this delivery issues carry as their causation: the event itself.
    causationId: event.id,
    attempt,
  });

/** Streams a process manager handles side by side by default (each stream still in order). */
export const DEFAULT_DELIVERY_WIDTH = 4;

export type ProcessRuntime = {
  start(
    pm: ProcessManager,
    options?: { holder?: string; batchSize?: number; pollIntervalMs?: number; width?: number },
  ): Consumer;
  /** Delivers one event now (used by retries and by people retrying a parked event). */
  deliver(
    pm: ProcessManager,
    event: RecordedEvent,
    attempt?: number,
    cycle?: string,
  ): Promise<DeliveryOutcome>;
  retryParked(processManager: string, eventId: string): Promise<DeliveryOutcome>;
  /** Hands an event (as read) to a running process manager again, as a redelivery after a crash does. */
  redeliver(processManager: string, event: RecordedEvent): Promise<DeliveryOutcome>;
  /** Starts a new retry cycle for a call flagged for manual handling (its trigger, as read). */
  retryIntegration(processManager: string, trigger: RecordedEvent, actor: string): Promise<void>;
};

export const createProcessRuntime = (deps: ProcessDeps): ProcessRuntime => {
  const managers = new Map<string, ProcessManager>();
  const { parked } = deps;

  const context = (
    pm: ProcessManager,
    event: RecordedEvent,
    attempt: number,
    log: Logger,
  ): ProcessContext => ({
    clock: deps.clock,
    log,
    attempt,
    idempotencyKey: (purpose) => deterministicId(pm.name, event.id, purpose),
    commandId: (purpose) => deterministicId(pm.name, event.id, 'command', purpose),
    schedule: (timer) =>
      deps.timers.schedule({
        id: deterministicId(pm.name, timer.name, timer.key),
        kind: `${pm.name}:${timer.name}`,
        dueAt: timer.dueAt,
        payload: timer.payload,
        streamName: event.streamName,
      }),
    readModelCaughtUp: (projection) => deps.readModelCaughtUp(projection, event, committedAt.get(event)),
    laterEventOfType: (eventTypes) => deps.consumers.laterEventOfType(event, eventTypes),
  });

  const appendIntegrationEvent = async (
    trigger: RecordedEvent,
    event: IntegrationEvent,
    idParts: string[],
  ) => {
    const toAppend: EventToAppend = {
      id: deterministicId('integration', ...idParts),
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: trigger.metadata.correlationId,
        causationId: trigger.id,
        actor: 'system:platform',
        occurredAt: deps.clock.now().toISOString(),
      },
    };
    await deps.store.appendToStream(trigger.streamName, [toAppend]);
  };

  const recordVendorFailure = async (
    pm: ProcessManager,
    event: RecordedEvent,
    attempt: number,
    cycle: string,
    error: VendorUnavailableError,
    log: Logger,
  ) => {
    const now = deps.clock.now();
    const nextAttemptAt = nextVendorAttemptAt(attempt, now);
    const base = { integration: error.vendor, processManager: pm.name, triggerEventId: event.id, cycle };
    await appendIntegrationEvent(
      event,
      {
        type: 'IntegrationCallFailed',
        data: { ...base, attempt, error: error.message, nextAttemptAt: nextAttemptAt?.toISOString() ?? null },
      },
      [pm.name, event.id, cycle, 'failed', String(attempt)],
    );
    log.warn(
      { vendor: error.vendor, err: error, nextAttemptAt: nextAttemptAt?.toISOString() ?? null },
      `process ${pm.name}: ${error.vendor} unavailable for ${event.type} (attempt ${attempt})`,
    );
    if (nextAttemptAt) {
      const payload: RetryPayload = {
        processManager: pm.name,
        eventId: event.id,
        attempt: attempt + 1,
        cycle,
      };
      await deps.timers.schedule({
        id: deterministicId(RETRY_TIMER, pm.name, event.id, cycle, attempt + 1),
        kind: RETRY_TIMER,
        dueAt: nextAttemptAt,
        payload,
        streamName: event.streamName,
      });
      log.info({ nextAttemptAt: nextAttemptAt.toISOString() }, `process ${pm.name}: retry scheduled`);
    } else {
      log.error(`process ${pm.name}: ${event.type} flagged for manual handling after ${attempt} attempts`);
      await appendIntegrationEvent(
        event,
        {
          type: 'IntegrationFlaggedForManualHandling',
          data: { ...base, attempts: attempt, error: error.message },
        },
        [pm.name, event.id, cycle, 'flagged'],
      );
    }
  };

  const park = async (
    pm: ProcessManager,
    event: RecordedEvent,
    error: unknown,
    attempts: number,
    log: Logger,
  ) => {
    log.error({ err: error, attempts }, `process ${pm.name} parked ${event.type}`);
    await parked.park(processSubscriptionId(pm), event, String((error as Error).stack ?? error), attempts);
  };

  const deliver = async (
    pm: ProcessManager,
    event: RecordedEvent,
    attempt = 1,
    cycle = '0',
  ): Promise<DeliveryOutcome> => {
    const log = deliveryLogger(deps.log, pm, event, attempt);
    for (let tries = 1; ; tries++) {
      try {
        await inSpan(
          `process ${pm.name} ${event.type}`,
          {
            // The delivery continues the trace of the append that wrote the event.
            parent: contextOf(event.metadata.traceparent),
            attributes: { 'pharmacy.event_id': event.id, 'pharmacy.attempt': attempt },
          },
          // Vendor calls made while handling log under this delivery (see app/vendors.ts).
          () => withLogger(log, () => pm.handle(event, context(pm, event, attempt, log))),
        );
        // A retry that succeeds (scheduled, or a new cycle someone started) clears the incident.
        if (attempt > 1 || cycle !== '0') {
          await appendIntegrationEvent(
            event,
            {
              type: 'IntegrationCallRecovered',
              data: { integration: null, processManager: pm.name, triggerEventId: event.id, cycle, attempt },
            },
            [pm.name, event.id, cycle, 'recovered'],
          );
        }
        log.info(`process ${pm.name} handled ${event.type}`);
        return 'handled';
      } catch (error) {
        if (error instanceof VendorUnavailableError) {
          await recordVendorFailure(pm, event, attempt, cycle, error, log);
          return 'vendor_unavailable';
        }
        if (tries >= IMMEDIATE_ATTEMPTS) {
          await park(pm, event, error, tries, log);
          return 'parked';
        }
        log.warn({ err: error, tries }, `process ${pm.name} failed on ${event.type}; trying again`);
        await sleep(immediateRetryDelayMs(tries));
      }
    }
  };

  deps.timers.register(RETRY_TIMER, async (timer) => {
    const payload = timer.payload as RetryPayload;
    const pm = managers.get(payload.processManager);
    if (!pm) throw new Error(`process manager ${payload.processManager} is not running here`);
    const event = timer.streamName ? await findEvent(deps.store, timer.streamName, payload.eventId) : null;
    if (!event) throw new Error(`event ${payload.eventId} not found in ${timer.streamName}`);
    await deliver(pm, event, payload.attempt, payload.cycle);
  });

  return {
    deliver,
    start(pm, options = {}) {
      managers.set(pm.name, pm);
      for (const [name, handler] of Object.entries(pm.timers ?? {})) {
        deps.timers.register(`${pm.name}:${name}`, async (timer) => {
          const trigger = { id: timer.id, streamName: timer.streamName ?? '' } as RecordedEvent;
          const log = deps.log.child({
            processManager: pm.name,
            timer: name,
            timerId: timer.id,
            stream: trigger.streamName,
          });
          const {
            attempt: _attempt,
            readModelCaughtUp: _barrier,
            laterEventOfType: _order,
            ...ctx
          } = context(pm, trigger, 1, log);
          await withLogger(log, () => handler(timer.payload, ctx));
        });
      }
      const id = processSubscriptionId(pm);
      return deps.consumers.start({
        subscriptionId: id,
        filter: pm.filter,
        batchSize: options.batchSize ?? 100,
        pollIntervalMs: options.pollIntervalMs,
        holder: options.holder ?? `pid-${process.pid}`,
        handle: async (batch, from) => {
          // Streams side by side, each in order. A crash mid-batch redelivers what the checkpoint
          // had not passed: every effect is keyed by its triggering event (command ids, idempotency
          // keys, outbox keys), so a redelivered event repeats none of them.
          const progress = batchProgress(batch, from, deps.consumers, (at, to) =>
            deps.consumers.checkpoints.store(id, at, to, { relaxed: true }),
          );
          batch.events.forEach((event, index) => {
            committedAt.set(event, batch.eventCheckpoints[index]!);
          });
          try {
            await deliverByStream(batch.events, options.width ?? DEFAULT_DELIVERY_WIDTH, async (event) => {
              await deliver(pm, event);
              progress.done(event);
            });
          } finally {
            await progress.stop();
          }
          await progress.finish();
        },
      });
    },
    async redeliver(processManager, event) {
      const pm = managers.get(processManager);
      if (!pm) throw new Error(`process manager ${processManager} is not running here`);
      return deliver(pm, event);
    },
    async retryParked(processManager, eventId) {
      const pm = managers.get(processManager);
      if (!pm) throw new Error(`process manager ${processManager} is not running here`);
      const streamName = await parked.streamOf(processSubscriptionId(pm), eventId);
      const event = streamName ? await findEvent(deps.store, streamName, eventId) : null;
      if (!event) throw new Error(`event ${eventId} is not parked by ${processManager}`);
      const outcome = await deliver(pm, event);
      if (outcome !== 'parked') await parked.resolve(processSubscriptionId(pm), eventId);
      return outcome;
    },
    async retryIntegration(processManager, trigger, actor) {
      const triggerEventId = trigger.id;
      const cycle = deps.clock.now().toISOString();
      await deps.store.appendToStream(trigger.streamName, [
        {
          id: deterministicId('integration', processManager, triggerEventId, cycle, 'retry-requested'),
          type: 'IntegrationRetryRequested',
          data: { processManager, triggerEventId, cycle },
          metadata: {
            correlationId: trigger.metadata.correlationId,
            causationId: trigger.id,
            actor,
            occurredAt: cycle,
          },
        },
      ]);
      const payload: RetryPayload = { processManager, eventId: triggerEventId, attempt: 1, cycle };
      await deps.timers.schedule({
        id: deterministicId(RETRY_TIMER, processManager, triggerEventId, cycle, 1),
        kind: RETRY_TIMER,
        dueAt: deps.clock.now(),
        payload,
        streamName: trigger.streamName,
      });
    },
  };
};
