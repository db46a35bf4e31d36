-- The event store: one table of immutable events plus one row per stream for its revision.
-- Appends go through append_to_stream() so an append is one round trip and one transaction.

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

CREATE TABLE streams (
  stream_name text PRIMARY KEY,
  -- -1 while the stream has no events (a row may be left behind by a refused first append).
  revision    bigint NOT NULL
);

-- Events are immutable: refuse UPDATE and DELETE outright.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- p_expected: -1 any, -2 no_stream, -3 stream_exists, n >= 0 exact revision.
-- Returns outcome 'written', 'duplicate' (every id already stored: a retried append) or 'conflict'.
CREATE FUNCTION append_to_stream(
  p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  OUT outcome text, OUT revision bigint, OUT last_position bigint
) LANGUAGE plpgsql AS $$
DECLARE
  v_current bigint;
  v_count int := cardinality(p_ids);
  v_existing int;
BEGIN
  SELECT s.revision INTO v_current FROM streams s WHERE s.stream_name = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    -- A concurrent creator makes this wait for its commit, then do nothing; the re-select locks its row.
    INSERT INTO streams (stream_name, revision) VALUES (p_stream, -1) ON CONFLICT DO NOTHING;
    SELECT s.revision INTO v_current FROM streams s WHERE s.stream_name = p_stream FOR UPDATE;
  END IF;

  -- Checked under the stream lock, so a concurrent retry of the same append sees the first one.
  SELECT count(*), max(e.global_position) INTO v_existing, last_position
    FROM events e WHERE e.event_id = ANY (p_ids);
  IF v_existing = v_count THEN
    outcome := 'duplicate'; revision := v_current; RETURN;
  ELSIF v_existing > 0 THEN
    RAISE EXCEPTION 'append to % repeats % of % event ids: a retry must resend the same batch',
      p_stream, v_existing, v_count USING ERRCODE = 'unique_violation';
  END IF;

  IF (p_expected = -2 AND v_current <> -1)
     OR (p_expected = -3 AND v_current = -1)
     OR (p_expected >= 0 AND v_current <> p_expected) THEN
    outcome := 'conflict'; revision := v_current; last_position := NULL; RETURN;
  END IF;

  WITH inserted AS (
    INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
    SELECT p_stream, v_current + t.ord, t.id, t.type, t.data, t.metadata
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS t(id, type, data, metadata, ord)
    RETURNING global_position
  )
  SELECT max(inserted.global_position) INTO last_position FROM inserted;

  revision := v_current + v_count;
  UPDATE streams SET revision = append_to_stream.revision WHERE stream_name = p_stream;
  outcome := 'written';
  -- Identical payloads within a transaction collapse into one notification.
  PERFORM pg_notify('events_appended', '');
END $$;

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
