-- Every text the platform sends is written here first (keyed by the triggering event) and sent
-- from here, as e-mails are from email_outbox. A retry of a message that may have reached Twilio
-- (a crash after Twilio's answer, before the 'sent' mark) first looks it up there and adopts it.
CREATE TABLE sms_outbox (
  message_key     text PRIMARY KEY,           -- the idempotency key from the triggering event
  recipient       text        NOT NULL CHECK (recipient ~ '^\+[1-9][0-9]{6,14}$'),  -- E.164
  body            text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sent', 'failed', 'suppressed')),
  attempts        int         NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  last_error      text,
  message_sid     text UNIQUE,                -- Twilio's SM… once it took the message
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX sms_outbox_failed ON sms_outbox (created_at) WHERE status IN ('failed', 'suppressed');
