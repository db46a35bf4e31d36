-- Carrier webhooks name a parcel only by its tracking number. They find the order or consultation in
-- the event store itself, not in a read model, so a scan pushed a moment after dispatch is never
-- lost to projection lag. The index covers only the two events that carry a parcel's number.
CREATE INDEX events_parcel_tracking_number ON events ((data->>'trackingNumber'))
  WHERE event_type IN ('ShippingLabelPurchased', 'OrderDispatched');
