-- Staff sign-in. Only hashes of secrets are stored: a database dump yields no usable password,
-- session token or CSRF token.

CREATE TABLE staff_users (
  id               text        PRIMARY KEY,                 -- ULID
  -- Lower-cased by the application; the CHECK keeps a stray mixed-case write from creating a
  -- second account that the unique index would otherwise not see (no citext extension needed).
  email            text        NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name     text        NOT NULL,
  password_hash    text        NOT NULL,                    -- scrypt$N$r$p$salt$hash
  roles            text[]      NOT NULL DEFAULT '{}'
    CHECK (roles <@ ARRAY['ops', 'pharmacist', 'prescriber', 'auditor', 'admin']::text[]),
  failed_attempts  int         NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until     timestamptz,
  created_at       timestamptz NOT NULL,
  disabled         boolean     NOT NULL DEFAULT false
);

CREATE TABLE staff_sessions (
  token_hash       text        PRIMARY KEY,                 -- sha256 of a 256-bit random token
  user_id          text        NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  csrf_token_hash  text        NOT NULL,                    -- sha256 of the session's CSRF token
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  revoked_at       timestamptz
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
