-- Every e-mail the platform sends is written here first (keyed by its Message-ID) and sent from
-- here, so a crash between handling an event and its checkpoint never sends a message twice; only
-- a crash between the SMTP server's acceptance and the 'sent' mark can.
CREATE TABLE email_outbox (
  message_key     text PRIMARY KEY,          -- the idempotency key the Message-ID derives from
  recipient       text        NOT NULL,
  subject         text        NOT NULL,
  body_text       text        NOT NULL,
  body_html       text,
  attachments     jsonb       NOT NULL DEFAULT '[]',
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        int         NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_failed ON email_outbox (created_at) WHERE status = 'failed';
