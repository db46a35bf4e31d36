-- Carrier webhooks now find a parcel through its link stream, `parcel-<sha256(tracking number)>`,
-- written by the label and dispatch commands before the event they announce (src/commands/parcels.ts),
-- instead of a query into event contents. Parcels recorded before this version get their link here,
-- one `ParcelLinked` per label or dispatch event, in the order they were recorded.
INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
SELECT parcel_stream,
       row_number() OVER (PARTITION BY parcel_stream ORDER BY global_position) - 1,
       gen_random_uuid(),
       'ParcelLinked',
       jsonb_build_object('trackingNumber', tracking_number, 'streamName', stream_name),
       jsonb_build_object(
         'correlationId', metadata->>'correlationId',
         'causationId', event_id::text,
         'actor', 'system:migration',
         'occurredAt', metadata->>'occurredAt')
  FROM (
    SELECT e.*, e.data->>'trackingNumber' AS tracking_number,
           'parcel-' || left(encode(sha256(convert_to(e.data->>'trackingNumber', 'UTF8')), 'hex'), 40) AS parcel_stream
      FROM events e
     WHERE e.event_type IN ('ShippingLabelPurchased', 'OrderDispatched')
       AND e.data->>'trackingNumber' IS NOT NULL
  ) parcels
 WHERE NOT EXISTS (SELECT 1 FROM events l WHERE l.stream_name = parcels.parcel_stream)
 ORDER BY global_position;

-- Nothing reads event contents by tracking number any more.
DROP INDEX IF EXISTS events_parcel_tracking_number;
