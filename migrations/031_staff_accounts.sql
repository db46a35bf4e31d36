-- Staff accounts become event-sourced (`staff-<id>` streams): `staff_users` is now their read model,
-- the staff directory. Secrets and counters stay beside the streams, never in an event: password
-- hashes in `staff_credentials`, sign-in throttling in `sign_in_throttle`, sessions in `staff_sessions`.

CREATE TABLE staff_credentials (
  staff_id      text        PRIMARY KEY,
  password_hash text        NOT NULL,                      -- scrypt$N$r$p$salt$hash
  updated_at    timestamptz NOT NULL
);
INSERT INTO staff_credentials (staff_id, password_hash, updated_at)
  SELECT id, password_hash, created_at FROM staff_users;

-- Accounts that existed before their stream did get one, written here, so the trail starts with them.
INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
  SELECT 'staff-' || u.id, 0, gen_random_uuid(), 'StaffAccountCreated',
         jsonb_build_object('staffId', u.id, 'email', u.email, 'displayName', u.display_name,
                            'roles', to_jsonb(u.roles), 'mustChangePassword', false),
         jsonb_build_object('correlationId', 'staff-' || u.id, 'causationId', NULL,
                            'actor', 'system:migration', 'occurredAt', to_jsonb(u.created_at))
    FROM staff_users u
   WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_name = 'staff-' || u.id);
INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata)
  SELECT 'staff-' || u.id, 1, gen_random_uuid(), 'StaffAccountDisabled',
         jsonb_build_object('reason', 'disabled before accounts were event-sourced'),
         jsonb_build_object('correlationId', 'staff-' || u.id, 'causationId', NULL,
                            'actor', 'system:migration', 'occurredAt', to_jsonb(now()))
    FROM staff_users u WHERE u.disabled;

ALTER TABLE staff_sessions DROP CONSTRAINT IF EXISTS staff_sessions_user_id_fkey;
ALTER TABLE staff_users
  DROP COLUMN password_hash,
  DROP COLUMN failed_attempts,
  DROP COLUMN locked_until,
  ADD COLUMN must_change_password boolean     NOT NULL DEFAULT false,
  ADD COLUMN updated_at           timestamptz,
  ADD COLUMN version              int         NOT NULL DEFAULT 0;
UPDATE staff_users u SET version = (SELECT max(stream_revision) FROM events e WHERE e.stream_name = 'staff-' || u.id);

-- Each (account, place) pair counts its failed sign-ins on its own, so a guesser elsewhere cannot
-- lock a member out. Keyed by a hash of the address: unknown addresses are counted the same way,
-- without keeping what a stranger typed.
CREATE TABLE sign_in_throttle (
  email_key    text        NOT NULL,
  source       text        NOT NULL,
  attempts     int         NOT NULL DEFAULT 0,   -- reserved before each password is judged
  locked_until timestamptz,
  lock_level   int         NOT NULL DEFAULT 0,   -- how many locks in a row: the back-off exponent
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (email_key, source)
);
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle (updated_at);

ALTER TABLE staff_sessions
  ADD COLUMN id             uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  ADD COLUMN ip             text,
  ADD COLUMN user_agent     text,
  ADD COLUMN revoked_reason text;
