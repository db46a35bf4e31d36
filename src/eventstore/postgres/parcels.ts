import type pg from 'pg';

/** The events that record a parcel's tracking number: a US order's label, a UK supply's dispatch. */
export type ParcelEvent = 'ShippingLabelPurchased' | 'OrderDispatched';

export type DispatchedParcel = { streamName: string; data: Record<string, unknown> };

/**
 * The latest `event` naming this tracking number, read from the event store (index
 * `events_parcel_tracking_number`), so a carrier's webhook finds a parcel the moment it is recorded.
 * The event type is written into the SQL as a literal: only then can the planner use the partial index.
 */
export const findParcel = async (
  pool: Pick<pg.Pool, 'query'>,
  event: ParcelEvent,
  trackingNumber: string,
): Promise<DispatchedParcel | null> => {
  const literal = event === 'OrderDispatched' ? 'OrderDispatched' : 'ShippingLabelPurchased';
  const { rows } = await pool.query<{ stream_name: string; data: Record<string, unknown> }>(
    `SELECT stream_name, data FROM events
      WHERE event_type IN ('ShippingLabelPurchased', 'OrderDispatched') AND event_type = '${literal}'
        AND data->>'trackingNumber' = $1
      ORDER BY global_position DESC LIMIT 1`,
    [trackingNumber],
  );
  const row = rows[0];
  return row ? { streamName: row.stream_name, data: row.data } : null;
};
