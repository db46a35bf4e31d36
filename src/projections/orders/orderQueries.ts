import type pg from 'pg';

/** Orders in awaiting_routing that found no pharmacy: routing tries them again when the network changes. */
export const ordersWaitingForNetwork = async (
  db: Pick<pg.Pool, 'query'>,
): Promise<{ orderId: string; reason: string }[]> =>
  (
    await db.query<{ order_id: string; reason: string }>(
      `SELECT order_id, detail->'routingBlock'->>'reason' AS reason FROM orders
        WHERE status = 'awaiting_routing' AND jsonb_typeof(detail->'routingBlock') = 'object'
        ORDER BY status_since`,
    )
  ).rows.map((r) => ({ orderId: r.order_id, reason: r.reason }));
