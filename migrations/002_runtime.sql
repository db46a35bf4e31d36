-- Durable timers: delays, polling and retries survive restarts because they live here, not in memory.
CREATE TABLE timers (
  timer_id      text PRIMARY KEY,          -- derived from the cause, so scheduling twice is a no-op
  kind          text        NOT NULL,
  due_at        timestamptz NOT NULL,
  payload       jsonb       NOT NULL DEFAULT '{}',
  stream_name   text,
  status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled', 'failed')),
  attempts      int         NOT NULL DEFAULT 0,
  claimed_until timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  fired_at      timestamptz
);
CREATE INDEX timers_pending_due ON timers (due_at) WHERE status = 'pending';

-- Events whose handling kept failing: kept with the error until someone retries or resolves them.
CREATE TABLE parked_events (
  subscription_id text        NOT NULL,
  event_id        uuid        NOT NULL,
  global_position bigint      NOT NULL,
  stream_name     text        NOT NULL,
  event_type      text        NOT NULL,
  error           text        NOT NULL,
  attempts        int         NOT NULL,
  status          text        NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'resolved')),
  parked_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  PRIMARY KEY (subscription_id, event_id)
);

-- Read model: streams waiting on an unavailable vendor ("pending (API unavailable)") or flagged.
CREATE TABLE integration_incidents (
  stream_name      text PRIMARY KEY,
  integration      text        NOT NULL,
  process_manager  text        NOT NULL,
  trigger_event_id uuid        NOT NULL,
  attempts         int         NOT NULL,
  last_error       text        NOT NULL,
  next_attempt_at  timestamptz,
  state            text        NOT NULL CHECK (state IN ('pending_api_unavailable', 'manual_handling')),
  updated_at       timestamptz NOT NULL
);

-- The audit trail: one row per event, hash-chained, append-only.
CREATE TABLE audit_log (
  seq             bigint PRIMARY KEY,
  event_id        uuid        NOT NULL UNIQUE,
  global_position bigint      NOT NULL,
  stream_name     text        NOT NULL,
  event_type      text        NOT NULL,
  actor           text        NOT NULL,
  correlation_id  text        NOT NULL,
  causation_id    text,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL,
  summary         jsonb       NOT NULL DEFAULT '{}',
  prev_hash       text        NOT NULL,
  hash            text        NOT NULL
);
CREATE INDEX audit_log_stream ON audit_log (stream_name, seq);
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Only a deliberate rebuild may empty the trail: it sets audit.allow_truncate for its transaction.
CREATE FUNCTION refuse_audit_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('audit.allow_truncate', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_truncate();
