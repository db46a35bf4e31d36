import type { Clock } from '../platform/clock.js';
import { type Logger, silentLogger } from '../platform/logger.js';
import type { SqlPool } from '../platform/sql.js';
import { type FiredTimer, type Queryable, type TimerRequest, timerTable } from '../stores/timers.js';

export type { FiredTimer, TimerRequest } from '../stores/timers.js';

export type TimerHandler = (timer: FiredTimer) => Promise<void>;

export type TimerService = {
  schedule(request: TimerRequest, db?: Queryable): Promise<void>;
  cancel(id: string): Promise<void>;
  register(kind: string, handler: TimerHandler): void;
  /** Fires the timers due by the clock's now, once each; returns how many ran. */
  tick(): Promise<number>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

/** A failing timer handler is retried this many times (1 s, 2 s, 4 s… by the clock), then marked failed. */
const MAX_TIMER_ATTEMPTS = 5;
/** How long a claimed timer stays claimed: a process that dies mid-fire lets another take it after this. */
const CLAIM_SECONDS = 120;
/** Timers claimed at a time. */
const CLAIM_BATCH = 100;

/**
 * Timers live in PostgreSQL so they fire after a restart. Instances claim due timers with SKIP LOCKED
 * and a claim expiry, so each fires once normally and at least once if a process dies mid-fire.
 */
export const createTimerService = (pool: SqlPool, clock: Clock, log: Logger = silentLogger): TimerService => {
  const handlers = new Map<string, TimerHandler>();
  let loop: NodeJS.Timeout | undefined;
  let queue: Promise<number> = Promise.resolve(0);
  let inFlight = 0;

  const table = timerTable(pool);

  const claim = async (): Promise<FiredTimer[]> => {
    if (handlers.size === 0) return [];
    return table.claimDue(clock.now(), [...handlers.keys()], CLAIM_SECONDS, CLAIM_BATCH);
  };

  const fire = async (timer: FiredTimer) => {
    try {
      await handlers.get(timer.kind)!(timer);
      await table.markFired(timer.id, clock.now());
    } catch (error) {
      const attempts = timer.attempts + 1;
      const message = (error as Error).message;
      log.warn(
        { timer: timer.kind, timerId: timer.id, stream: timer.streamName, attempt: attempts, err: error },
        `timer ${timer.kind} failed (attempt ${attempts})`,
      );
      await table.markFailedAttempt(
        timer.id,
        attempts,
        message,
        MAX_TIMER_ATTEMPTS,
        new Date(clock.now().getTime() + 1000 * 2 ** (attempts - 1)),
      );
    }
  };

  const tickOnce = async () => {
    let fired = 0;
    for (;;) {
      const due = await claim();
      for (const timer of due) await fire(timer);
      fired += due.length;
      if (due.length < CLAIM_BATCH) return fired;
    }
  };

  return {
    schedule: (request, db = pool) => table.insert(request, db),
    cancel: (id) => table.cancel(id),
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    tick() {
      // Ticks run one after another, and each call gets a tick that starts after it: a caller who
      // has just moved the clock must not be handed a tick that claimed with the old time.
      const next = queue.catch(() => 0).then(tickOnce);
      queue = next;
      inFlight += 1;
      return next.finally(() => {
        inFlight -= 1;
      });
    },
    start(intervalMs = 1_000) {
      loop ??= setInterval(() => {
        if (inFlight > 0) return; // the background loop never queues up behind a slow tick
        this.tick().catch((error) => log.error({ err: error }, 'timer tick failed'));
      }, intervalMs);
      loop.unref();
    },
    async stop() {
      if (loop) clearInterval(loop);
      loop = undefined;
      await queue.catch(() => {});
    },
  };
};
