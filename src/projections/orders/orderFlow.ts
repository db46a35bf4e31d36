import { ORDER_STATUSES, type OrderStatus } from '../../domain/prescription/orderEvents.js';
import type { SqlQueryable } from '../../platform/sql.js';

/**
 * The picture of the prescription flow on the console: how many orders sit in each status (the
 * funnel), how many arrive and complete per hour, and how long the orders now in a status have
 * waited there. Read from the orders read model alone.
 */
export type OrderFlow = {
  at: string;
  counts: Record<OrderStatus, number>;
  /** The last 24 whole hours up to the current one, oldest first. */
  throughput: { hourStart: string; received: number; completed: number }[];
  /** Per open status: the orders in it and the median and 90th percentile of their time there. */
  timeInStatus: { status: OrderStatus; orders: number; p50Minutes: number; p90Minutes: number }[];
};

const SETTLED: OrderStatus[] = ['completed', 'cancelled'];

type Db = SqlQueryable;

export const orderFlow = async (db: Db, now: Date): Promise<OrderFlow> => {
  const [counts, throughput, waits] = await Promise.all([
    db.query<{ status: OrderStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM orders GROUP BY status',
    ),
    // Hours counted in UTC, so every desk sees the same buckets; the page labels them in its zone.
    db.query<{ hour_start: Date; received: number; completed: number }>(
      `WITH hours AS (
         SELECT generate_series(date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC') - interval '23 hours',
                                date_trunc('hour', $1::timestamptz AT TIME ZONE 'UTC'), interval '1 hour')
                  AT TIME ZONE 'UTC' AS h)
       SELECT h AS hour_start,
              (SELECT count(*)::int FROM orders o
                WHERE o.received_at >= h AND o.received_at < h + interval '1 hour') AS received,
              (SELECT count(*)::int FROM orders o
                WHERE o.status = 'completed' AND o.status_since >= h AND o.status_since < h + interval '1 hour')
                AS completed
         FROM hours ORDER BY h`,
      [now],
    ),
    db.query<{ status: OrderStatus; orders: number; p50: number; p90: number }>(
      `SELECT status, count(*)::int AS orders,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM $1::timestamptz - status_since)) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM $1::timestamptz - status_since)) AS p90
         FROM orders WHERE status <> ALL ($2::text[]) GROUP BY status`,
      [now, SETTLED],
    ),
  ]);
  const minutes = (seconds: number) => Math.max(0, Math.round(Number(seconds) / 60));
  return {
    at: now.toISOString(),
    counts: Object.fromEntries(
      ORDER_STATUSES.map((s) => [s, counts.rows.find((r) => r.status === s)?.n ?? 0]),
    ) as Record<OrderStatus, number>,
    throughput: throughput.rows.map((r) => ({
      hourStart: new Date(r.hour_start).toISOString(),
      received: r.received,
      completed: r.completed,
    })),
    timeInStatus: ORDER_STATUSES.flatMap((status) => {
      const row = waits.rows.find((r) => r.status === status);
      return row
        ? [{ status, orders: row.orders, p50Minutes: minutes(row.p50), p90Minutes: minutes(row.p90) }]
        : [];
    }),
  };
};
