import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

export type QueuedEmail = {
  messageKey: string;
  recipient: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  attachments: { filename: string; contentType: string; contentBase64: string }[];
};

export type ClaimedEmail = QueuedEmail & { attempts: number };

type Row = {
  message_key: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: QueuedEmail['attachments'];
  attempts: number;
};

/** The e-mail outbox table: messages waiting for, or done with, the SMTP senders. */
export const emailOutboxTable = (db: Db) => ({
  /** Records a message under its key; a repeat of the key records nothing. */
  async insert(message: QueuedEmail, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO email_outbox (message_key, recipient, subject, body_text, body_html, attachments,
                                 next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (message_key) DO NOTHING`,
      [
        message.messageKey,
        message.recipient,
        message.subject,
        message.bodyText,
        message.bodyHtml,
        JSON.stringify(message.attachments),
        at,
      ],
    );
  },

  /** Claims up to `limit` due messages until `claimUntil`, counting the attempt. */
  async claim(now: Date, claimUntil: Date, limit: number): Promise<ClaimedEmail[]> {
    const { rows } = await db.query<Row>(
      `UPDATE email_outbox SET claimed_until = $2, attempts = attempts + 1
        WHERE message_key IN (
          SELECT message_key FROM email_outbox
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING message_key, recipient, subject, body_text, body_html, attachments, attempts`,
      [now, claimUntil, limit],
    );
    return rows.map((row) => ({
      messageKey: row.message_key,
      recipient: row.recipient,
      subject: row.subject,
      bodyText: row.body_text,
      bodyHtml: row.body_html,
      attachments: row.attachments,
      attempts: row.attempts,
    }));
  },

  /** Sent: the bodies carry patient details and are no longer kept. */
  async markSent(messageKey: string, at: Date): Promise<void> {
    await db.query(
      `UPDATE email_outbox SET status = 'sent', sent_at = $2, claimed_until = NULL, last_error = NULL,
              body_text = '', body_html = NULL, attachments = '[]'
        WHERE message_key = $1`,
      [messageKey, at],
    );
  },

  /** Not sent: tried again at `retryAt`, or failed for good when there is none. */
  async markNotSent(messageKey: string, retryAt: Date | null, error: string): Promise<void> {
    await db.query(
      `UPDATE email_outbox SET status = $2, next_attempt_at = coalesce($3, next_attempt_at),
              claimed_until = NULL, last_error = $4
        WHERE message_key = $1`,
      [messageKey, retryAt ? 'pending' : 'failed', retryAt, error.slice(0, 500)],
    );
  },
});
