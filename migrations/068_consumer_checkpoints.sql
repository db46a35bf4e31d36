-- Checkpoints of consumers whose events come from a store other than this database's events table
-- (an in-memory store in tests, KurrentDB): the store's opaque checkpoint as its subscription wrote
-- it. Kept beside the read models, so a projection's rows and its checkpoint still commit in one
-- transaction. Consumers of this database's own events keep theirs in subscription_checkpoints.
CREATE TABLE consumer_checkpoints (
  subscription_id text PRIMARY KEY,
  checkpoint text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
