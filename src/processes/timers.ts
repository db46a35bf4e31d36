import type pg from 'pg';
import type { Clock } from '../platform/clock.js';
import { type Logger, silentLogger } from '../platform/logger.js';

type Queryable = Pick<pg.Pool, 'query'>;

export type TimerRequest = {
  /** Derive it from the cause: scheduling the same timer twice keeps the first. */
  id: string;
  kind: string;
  dueAt: Date;
  payload?: unknown;
  streamName?: string;
};

export type FiredTimer = {
  id: string;
  kind: string;
  dueAt: Date;
  payload: unknown;
  streamName: string | null;
  attempts: number;
};

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

/**
 * Timers live in PostgreSQL so they fire after a restart. Instances claim due timers with SKIP LOCKED
 * and a claim expiry, so each fires once normally and at least once if a process dies mid-fire.
 */
export const createTimerService = (pool: pg.Pool, clock: Clock, log: Logger = silentLogger): TimerService => {
  const handlers = new Map<string, TimerHandler>();
  let loop: NodeJS.Timeout | undefined;
  let queue: Promise<number> = Promise.resolve(0);
  let inFlight = 0;

  const claim = async (): Promise<FiredTimer[]> => {
    if (handlers.size === 0) return [];
    const { rows } = await pool.query<{
      timer_id: string;
      kind: string;
      due_at: Date;
      payload: unknown;
      stream_name: string | null;
      attempts: number;
    }>(
      `UPDATE timers SET claimed_until = now() + make_interval(secs => $3)
        WHERE timer_id IN (
          SELECT timer_id FROM timers
           WHERE status = 'pending' AND due_at <= $1 AND kind = ANY ($2::text[])
             AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING timer_id, kind, due_at, payload, stream_name, attempts`,
      [clock.now(), [...handlers.keys()], CLAIM_SECONDS],
    );
    return rows
      .map((r) => ({
        id: r.timer_id,
        kind: r.kind,
        dueAt: r.due_at,
        payload: r.payload,
        streamName: r.stream_name,
        attempts: r.attempts,
      }))
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  };

  const fire = async (timer: FiredTimer) => {
    try {
      await handlers.get(timer.kind)!(timer);
      await pool.query(
        "UPDATE timers SET status = 'fired', fired_at = $2, attempts = attempts + 1, claimed_until = NULL WHERE timer_id = $1",
        [timer.id, clock.now()],
      );
    } catch (error) {
      const attempts = timer.attempts + 1;
      const message = (error as Error).message;
      log.warn(
        { timer: timer.kind, timerId: timer.id, stream: timer.streamName, attempt: attempts, err: error },
        `timer ${timer.kind} failed (attempt ${attempts})`,
      );
      await pool.query(
        `UPDATE timers SET attempts = $2::int, last_error = $3, claimed_until = NULL,
                status = CASE WHEN $2::int >= $4::int THEN 'failed' ELSE 'pending' END, due_at = $5
          WHERE timer_id = $1`,
        [
          timer.id,
          attempts,
          message,
          MAX_TIMER_ATTEMPTS,
          new Date(clock.now().getTime() + 1000 * 2 ** (attempts - 1)),
        ],
      );
    }
  };

  const tickOnce = async () => {
    let fired = 0;
    for (;;) {
      const due = await claim();
      for (const timer of due) await fire(timer);
      fired += due.length;
      if (due.length < 100) return fired;
    }
  };

  return {
    async schedule(request, db = pool) {
      await db.query(
        `INSERT INTO timers (timer_id, kind, due_at, payload, stream_name) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (timer_id) DO NOTHING`,
        [
          request.id,
          request.kind,
          request.dueAt,
          JSON.stringify(request.payload ?? {}),
          request.streamName ?? null,
        ],
      );
    },
    async cancel(id) {
      await pool.query("UPDATE timers SET status = 'cancelled' WHERE timer_id = $1 AND status = 'pending'", [
        id,
      ]);
    },
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
