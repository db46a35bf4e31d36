import type pg from 'pg';

/** The events that record a parcel's tracking number: a US order's label, a UK supply's dispatch. */
export type ParcelEvent = 'ShippingLabelPurchased' | 'OrderDispatched';

export type DispatchedParcel = { streamName: string; data: Record<string, unknown> };

/** The event type as it is written into the SQL: a closed set, and a literal the planner can match. */
const LITERAL: Record<ParcelEvent, string> = {
  ShippingLabelPurchased: "'ShippingLabelPurchased'",
  OrderDispatched: "'OrderDispatched'",
};

/**
 * The latest `event` naming this tracking number, read from the event store (index
 * `events_parcel_tracking_number`), so a carrier's webhook finds a parcel the moment it is recorded.
 * The event type is a literal, not a parameter: only then can the planner use the partial index.
 */
export const findParcel = async (
  pool: Pick<pg.Pool, 'query'>,
  event: ParcelEvent,
  trackingNumber: string,
): Promise<DispatchedParcel | null> => {
  const { rows } = await pool.query<{ stream_name: string; data: Record<string, unknown> }>(
    `SELECT stream_name, data FROM events
      WHERE event_type = ${LITERAL[event]} AND data->>'trackingNumber' = $1
      ORDER BY global_position DESC LIMIT 1`,
    [trackingNumber],
  );
  const row = rows[0];
  return row ? { streamName: row.stream_name, data: row.data } : null;
};
