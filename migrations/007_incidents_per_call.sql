-- One incident per vendor call, not per stream: two calls of one order can fail at once, and the
-- recovery of one must not hide the other.
ALTER TABLE integration_incidents DROP CONSTRAINT integration_incidents_pkey;
ALTER TABLE integration_incidents
  ADD PRIMARY KEY (stream_name, trigger_event_id, process_manager);
CREATE INDEX integration_incidents_updated ON integration_incidents (updated_at DESC);

-- Read model: verified payment-provider events that no order or consultation could take.
CREATE TABLE unmatched_payment_events (
  stripe_event_id   text PRIMARY KEY,
  kind              text        NOT NULL,
  flow              text,
  reference         text,
  payment_intent_id text,
  amount_minor      bigint,
  currency          text,
  reason            text        NOT NULL,
  received_at       timestamptz NOT NULL
);
CREATE INDEX unmatched_payment_events_received ON unmatched_payment_events (received_at DESC);
