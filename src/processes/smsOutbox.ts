import type { SmsLine } from '../commands/smsLine.js';
import { VendorRejectedError, VendorUnavailableError } from '../integrations/errors.js';
import type { OutgoingSms, SmsGateway, SmsSender } from '../integrations/sms/port.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { SqlPool } from '../platform/sql.js';
import { type ClaimedText, smsOutboxTable } from '../stores/smsOutbox.js';
import { outboxLoop } from './outboxLoop.js';
import { nextVendorAttemptAt } from './retryPolicy.js';

export type SmsOutboxOptions = {
  pool: SqlPool;
  clock: Clock;
  gateway: SmsGateway;
  /** The patients' lines: an opted-out number gets nothing. */
  lines: Pick<SmsLine, 'optedOut'>;
  /** Where Twilio reports what became of each text (signed). */
  statusCallbackUrl: string;
  log?: Logger;
  pollIntervalMs?: number;
  /** How long a claim lasts (default 60 s): after a crash, another sender takes the item then. */
  claimMs?: number;
};

export type SmsOutbox = {
  sender: SmsSender;
  start(): void;
  /** Sends whatever is due now (tests, and the loop itself). */
  drain(): Promise<number>;
  /** The key of the text Twilio knows by this SID, once the sender recorded it. */
  messageKeyOf(messageSid: string): Promise<string | null>;
  close(): Promise<void>;
};

/** A claimed text stays with its sender this long by default; after a crash another sender takes it. */
const DEFAULT_CLAIM_MS = 60_000;
const BATCH = 16;
const LOOKUP_SLACK_MS = 10 * 60_000;
/** Twilio's answer when the recipient texted STOP (its own block list). */
const UNSUBSCRIBED = '21610';

/**
 * Texts through an outbox, as e-mails go: a process manager's `send` records the text under its
 * idempotency key (a repeat records nothing); a sender takes due texts and marks each sent with
 * Twilio's message SID. Twilio has no idempotency key for messages, so a text claimed before (its
 * sender may have died after Twilio took it) is first looked up at Twilio and adopted if found.
 * A number whose line says STOP gets nothing: the text is marked suppressed, its body dropped.
 */
export const createSmsOutbox = (options: SmsOutboxOptions): SmsOutbox => {
  const { pool, clock } = options;
  const claimMs = options.claimMs ?? DEFAULT_CLAIM_MS;

  const table = smsOutboxTable(pool);

  const enqueue = async (message: OutgoingSms) => {
    await table.insert(
      { messageKey: message.idempotencyKey, recipient: message.to, body: message.body },
      clock.now(),
    );
    loop.wake();
  };

  const claim = (): Promise<ClaimedText[]> => {
    const now = clock.now();
    return table.claim(now, new Date(now.getTime() + claimMs), BATCH);
  };

  const finish = (
    key: string,
    status: 'sent' | 'failed' | 'suppressed',
    sid: string | null,
    error: string | null,
  ) => table.finish(key, status, sid, error, clock.now());

  const sendOne = async (row: ClaimedText) => {
    try {
      if (await options.lines.optedOut(row.recipient)) {
        await finish(row.messageKey, 'suppressed', null, 'the recipient texted STOP');
        return;
      }
      const earlier =
        row.attempts > 1
          ? await options.gateway.findSent({
              to: row.recipient,
              body: row.body,
              // Twilio's dates are to the second and its clock is not ours: look a little further back.
              since: new Date(row.createdAt.getTime() - LOOKUP_SLACK_MS),
            })
          : null;
      const sent =
        earlier ??
        (await options.gateway.send({
          to: row.recipient,
          body: row.body,
          statusCallbackUrl: options.statusCallbackUrl,
        }));
      await finish(row.messageKey, 'sent', sent.messageSid, null);
    } catch (error) {
      if (error instanceof VendorRejectedError) {
        const status = error.code === UNSUBSCRIBED ? 'suppressed' : 'failed';
        await finish(row.messageKey, status, null, `${error.code}: ${error.message}`.slice(0, 500));
        return;
      }
      if (!(error instanceof VendorUnavailableError)) {
        options.log?.warn(
          { vendor: 'twilio', messageKey: row.messageKey, err: error },
          `text ${row.messageKey} could not be sent`,
        );
      }
      const message = (error as Error).message.slice(0, 500);
      const retryAt = nextVendorAttemptAt(row.attempts, clock.now());
      // Out of retries: failed for ops, like an e-mail the server never took.
      if (!retryAt) return void (await finish(row.messageKey, 'failed', null, message));
      await table.retryAt(row.messageKey, retryAt, message);
    }
  };

  const drainOnce = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const batch = await claim();
      if (batch.length === 0) return handled;
      await Promise.all(batch.map(sendOne));
      handled += batch.length;
    }
  };

  const loop = outboxLoop({
    name: 'sms outbox',
    drainOnce,
    pollIntervalMs: options.pollIntervalMs,
    log: options.log,
  });

  return {
    sender: { send: enqueue },
    start: loop.start,
    drain: loop.drain,
    messageKeyOf: (messageSid) => table.keyOfSid(messageSid),
    async close() {
      await loop.close();
    },
  };
};
