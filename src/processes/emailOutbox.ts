import type { Mailer, OutgoingMail } from '../integrations/email/port.js';
import { messageIdFor } from '../integrations/email/smtpMailer.js';
import { VendorRejectedError, VendorUnavailableError } from '../integrations/errors.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { SqlPool } from '../platform/sql.js';
import { type ClaimedEmail, emailOutboxTable } from '../stores/emailOutbox.js';
import { outboxLoop } from './outboxLoop.js';
import { nextVendorAttemptAt } from './retryPolicy.js';

export type EmailOutboxOptions = {
  pool: SqlPool;
  /**
   * The sender's own connections: a message the SMTP server accepted is marked sent at once,
   * never queued behind the platform's other queries (a crash in that wait would send it again).
   */
  senderPool?: SqlPool;
  clock: Clock;
  /** The SMTP mailer the outbox hands each message to. */
  transport: Mailer;
  log?: Logger;
  /**
   * Senders working at once (the pool's width): each takes the next claimed message as soon as its
   * last one is done, so one slow message holds up only its own sender.
   */
  concurrency?: number;
  /** The safety-net poll; enqueueing in this process wakes the sender at once. */
  pollIntervalMs?: number;
  /** How long a claim lasts (default 60 s): after a crash, another sender takes the item then. */
  claimMs?: number;
};

export type EmailOutbox = {
  /** What process managers send through: a write to the outbox, idempotent by the message's key. */
  mailer: Mailer;
  start(): void;
  /** Sends whatever is due now (tests, and the loop itself). */
  drain(): Promise<number>;
  close(): Promise<void>;
};

/** A claimed message stays with its sender this long by default; after a crash another sender takes it. */
const DEFAULT_CLAIM_MS = 60_000;

/**
 * E-mail through an outbox. A process manager's `send` records the message under its idempotency
 * key (a repeat records nothing) and returns; a sender takes due messages, hands them to SMTP and
 * marks them sent once the server accepted them. A crash before the record loses nothing, a crash
 * after it sends once; only a crash between the server's acceptance and the mark sends again (with
 * the same Message-ID). An unreachable server is retried on the platform's schedule, a refused
 * recipient is marked failed for ops.
 */
export const createEmailOutbox = (options: EmailOutboxOptions): EmailOutbox => {
  const { pool, clock } = options;
  const senderPool = options.senderPool ?? pool;
  const concurrency = options.concurrency ?? 4;
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;

  const table = emailOutboxTable(pool);
  const senderTable = emailOutboxTable(senderPool);

  const enqueue = async (message: OutgoingMail) => {
    await table.insert(
      {
        messageKey: message.idempotencyKey,
        recipient: message.to,
        subject: message.subject,
        bodyText: message.text,
        bodyHtml: message.html ?? null,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          contentBase64: a.content.toString('base64'),
        })),
      },
      clock.now(),
    );
    loop.wake();
    return { messageId: messageIdFor(message.idempotencyKey) };
  };

  const claim = (): Promise<ClaimedEmail[]> => {
    const now = clock.now();
    return senderTable.claim(now, new Date(now.getTime() + claimMs), concurrency * 2);
  };

  const sendOne = async (row: ClaimedEmail) => {
    try {
      await options.transport.send({
        to: row.recipient,
        subject: row.subject,
        text: row.bodyText,
        ...(row.bodyHtml !== null ? { html: row.bodyHtml } : {}),
        idempotencyKey: row.messageKey,
        attachments: row.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.contentBase64, 'base64'),
        })),
      });
      await senderTable.markSent(row.messageKey, clock.now());
    } catch (error) {
      const retryAt =
        error instanceof VendorRejectedError ? null : nextVendorAttemptAt(row.attempts, clock.now());
      if (!(error instanceof VendorUnavailableError) && !(error instanceof VendorRejectedError)) {
        options.log?.warn(
          { vendor: 'smtp', messageKey: row.messageKey, err: error },
          `e-mail ${row.messageKey} could not be sent`,
        );
      }
      await senderTable.markNotSent(row.messageKey, retryAt, (error as Error).message);
    }
  };

  /**
   * A pool of `concurrency` senders sharing one queue of claimed messages; whichever sender finds
   * the queue empty claims the next few (one claim at a time), and the drain ends when a claim
   * finds nothing due. Claimed rows are this process's alone until their claim expires.
   */
  const drainOnce = async (): Promise<number> => {
    const queue: ClaimedEmail[] = [];
    let exhausted = false;
    let refill: Promise<void> | null = null;
    let sent = 0;
    const next = async (): Promise<ClaimedEmail | undefined> => {
      while (queue.length === 0 && !exhausted && !loop.isClosed()) {
        refill ??= claim()
          .then((rows) => {
            if (rows.length === 0) exhausted = true;
            queue.push(...rows);
          })
          .finally(() => {
            refill = null;
          });
        await refill;
      }
      return queue.shift();
    };
    const sender = async () => {
      for (let row = await next(); row !== undefined; row = await next()) {
        await sendOne(row);
        sent += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    return sent;
  };

  const loop = outboxLoop({
    name: 'e-mail outbox',
    drainOnce,
    pollIntervalMs: options.pollIntervalMs,
    log: options.log,
  });

  return {
    mailer: { send: enqueue },
    start: loop.start,
    drain: loop.drain,
    async close() {
      await loop.close();
      if (options.senderPool) await options.senderPool.end();
    },
  };
};
