import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

export type ClaimedText = {
  messageKey: string;
  recipient: string;
  body: string;
  attempts: number;
  createdAt: Date;
};

type Row = { message_key: string; recipient: string; body: string; attempts: number; created_at: Date };

/** The SMS outbox table: texts waiting for, or done with, the Twilio sender. */
export const smsOutboxTable = (db: Db) => ({
  /** Records a text under its key; a repeat of the key records nothing. */
  async insert(text: { messageKey: string; recipient: string; body: string }, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO sms_outbox (message_key, recipient, body, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $4) ON CONFLICT (message_key) DO NOTHING`,
      [text.messageKey, text.recipient, text.body, at],
    );
  },

  /** Claims up to `limit` due texts until `claimUntil`, counting the attempt. */
  async claim(now: Date, claimUntil: Date, limit: number): Promise<ClaimedText[]> {
    const { rows } = await db.query<Row>(
      `UPDATE sms_outbox SET claimed_until = $2, attempts = attempts + 1
        WHERE message_key IN (
          SELECT message_key FROM sms_outbox
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING message_key, recipient, body, attempts, created_at`,
      [now, claimUntil, limit],
    );
    return rows.map((row) => ({
      messageKey: row.message_key,
      recipient: row.recipient,
      body: row.body,
      attempts: row.attempts,
      createdAt: row.created_at,
    }));
  },

  /** Done with a text: its body (a payment link, a status link) is no longer kept. */
  async finish(
    messageKey: string,
    status: 'sent' | 'failed' | 'suppressed',
    messageSid: string | null,
    error: string | null,
    at: Date,
  ): Promise<void> {
    await db.query(
      `UPDATE sms_outbox SET status = $2, message_sid = $3, last_error = $4, claimed_until = NULL, body = '',
              sent_at = CASE WHEN $2 = 'sent' THEN $5::timestamptz ELSE NULL END
        WHERE message_key = $1`,
      [messageKey, status, messageSid, error, at],
    );
  },

  async retryAt(messageKey: string, at: Date, error: string): Promise<void> {
    await db.query(
      'UPDATE sms_outbox SET next_attempt_at = $2, claimed_until = NULL, last_error = $3 WHERE message_key = $1',
      [messageKey, at, error],
    );
  },

  /** The key of the text Twilio knows by this SID, once the sender recorded it. */
  async keyOfSid(messageSid: string): Promise<string | null> {
    const { rows } = await db.query<{ message_key: string }>(
      'SELECT message_key FROM sms_outbox WHERE message_sid = $1',
      [messageSid],
    );
    return rows[0]?.message_key ?? null;
  },
});
