-- The event store: one table of immutable events. An append is one INSERT statement (see
-- postgresEventStore.ts); the unique (stream_name, stream_revision) index is what makes optimistic
-- concurrency safe: of two writers claiming the same revision, one gets a unique violation.

CREATE TABLE events (
  global_position  bigserial PRIMARY KEY,
  stream_name      text        NOT NULL,
  stream_revision  bigint      NOT NULL,
  event_id         uuid        NOT NULL,
  event_type       text        NOT NULL,
  category         text        NOT NULL GENERATED ALWAYS AS (split_part(stream_name, '-', 1)) STORED,
  data             jsonb       NOT NULL,
  metadata         jsonb       NOT NULL,
  -- The writing transaction: subscribers only read below the oldest running transaction so that an
  -- event committed late by a slow transaction is never skipped.
  transaction_id   xid8        NOT NULL DEFAULT pg_current_xact_id(),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_revision_unique UNIQUE (stream_name, stream_revision),
  CONSTRAINT events_event_id_unique UNIQUE (event_id)
);

CREATE INDEX events_transaction_position ON events (transaction_id, global_position);

-- Events are immutable: refuse UPDATE and DELETE outright.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Where each subscription has read up to, as (transaction id, position).
CREATE TABLE subscription_checkpoints (
  subscription_id  text PRIMARY KEY,
  transaction_id   xid8        NOT NULL,
  global_position  bigint      NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Who holds each subscription group's lease; the advisory lock is the truth, this row the heartbeat.
CREATE TABLE subscription_leases (
  subscription_id text PRIMARY KEY,
  holder          text        NOT NULL,
  backend_pid     int         NOT NULL,
  acquired_at     timestamptz NOT NULL,
  heartbeat_at    timestamptz NOT NULL
);
