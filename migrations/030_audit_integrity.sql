-- The audit trail becomes keyed (HMAC under a key kept outside the database) and vouches for each
-- event's content. Rows chained the old, unkeyed way cannot be re-keyed in place: the trail is a
-- projection, so it is emptied here and rebuilt from the events by the running platform.

SET LOCAL audit.allow_truncate = 'on';
TRUNCATE audit_log;
DELETE FROM subscription_checkpoints WHERE subscription_id = 'projection:audit';

ALTER TABLE audit_log
  ADD COLUMN event_hash text NOT NULL,   -- sha256 of the event as stored (see auditRecord.ts)
  ADD COLUMN key_id     text NOT NULL;   -- which audit key computed `hash`

-- Every anchor the platform exported: the signed head of the chain at a moment. The auditor's own
-- copy (a file or an S3 object) is what verification trusts; this table is the platform's record.
CREATE TABLE audit_anchors (
  seq         bigint      NOT NULL,
  hash        text        NOT NULL,
  anchored_at timestamptz NOT NULL,
  key_id      text        NOT NULL,
  signature   text        NOT NULL,
  location    text        NOT NULL,
  PRIMARY KEY (seq, location)
);

CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
