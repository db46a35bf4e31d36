-- Intake keys: several, each named and revocable, each kept only as a SHA-256 hash of the key
-- (256 random bits: a hash is enough; there is nothing to brute-force). Issuing and revoking one
-- are events in its `intakekey-<name>` stream, so they reach the audit trail.
CREATE TABLE intake_keys (
  name         text        PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  key_hash     text        NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  created_by   text        NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- A key an earlier version generated and kept (encrypted) in platform_secrets is replaced by a
-- registered one at the next start; the old row goes.
DELETE FROM platform_secrets WHERE name = 'intake-api-key';
