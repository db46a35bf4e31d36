import type { SqlQueryable } from '../platform/sql.js';

export type Queryable = SqlQueryable;

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

type Row = {
  timer_id: string;
  kind: string;
  due_at: Date;
  payload: unknown;
  stream_name: string | null;
  attempts: number;
};

/** The durable timers table: what is due when, claimed by one instance at a time. */
export const timerTable = (db: Queryable) => ({
  /** Records a timer; one already recorded under its id stays as it is. */
  async insert(request: TimerRequest, into: Queryable = db): Promise<void> {
    await into.query(
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

  /** Claims up to `limit` timers of these kinds due by `now`, for `claimSeconds`, soonest first. */
  async claimDue(
    now: Date,
    kinds: readonly string[],
    claimSeconds: number,
    limit: number,
  ): Promise<FiredTimer[]> {
    const { rows } = await db.query<Row>(
      `UPDATE timers SET claimed_until = now() + make_interval(secs => $3)
        WHERE timer_id IN (
          SELECT timer_id FROM timers
           WHERE status = 'pending' AND due_at <= $1 AND kind = ANY ($2::text[])
             AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING timer_id, kind, due_at, payload, stream_name, attempts`,
      [now, kinds, claimSeconds, limit],
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
  },

  async markFired(id: string, at: Date): Promise<void> {
    await db.query(
      "UPDATE timers SET status = 'fired', fired_at = $2, attempts = attempts + 1, claimed_until = NULL WHERE timer_id = $1",
      [id, at],
    );
  },

  /** A failed firing: due again at `retryAt`, or failed for good once `attempts` reaches `maxAttempts`. */
  async markFailedAttempt(
    id: string,
    attempts: number,
    error: string,
    maxAttempts: number,
    retryAt: Date,
  ): Promise<void> {
    await db.query(
      `UPDATE timers SET attempts = $2::int, last_error = $3, claimed_until = NULL,
              status = CASE WHEN $2::int >= $4::int THEN 'failed' ELSE 'pending' END, due_at = $5
        WHERE timer_id = $1`,
      [id, attempts, error, maxAttempts, retryAt],
    );
  },

  async cancel(id: string): Promise<void> {
    await db.query("UPDATE timers SET status = 'cancelled' WHERE timer_id = $1 AND status = 'pending'", [id]);
  },
});
