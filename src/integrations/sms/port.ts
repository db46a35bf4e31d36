import type { SmsStatus } from '../../domain/smsLine.js';

export { SMS_STATUSES, type SmsStatus } from '../../domain/smsLine.js';
/** A text message to one patient's phone, in E.164. */
export type OutgoingSms = {
  to: string;
  body: string;
  /**
   * Derived from the triggering event id: the outbox keeps one message per key, so a redelivered
   * event never texts the patient twice.
   */
  idempotencyKey: string;
};

/** What process managers text through: a write to the SMS outbox. */
export type SmsSender = {
  send(message: OutgoingSms): Promise<void>;
};

export type SentSms = { messageSid: string; status: SmsStatus };

/** Keywords a patient texts back; carriers and Twilio act on them, and so do we. */
export type SmsKeyword = 'stop' | 'start' | 'help';

/** A verified request from the SMS provider. Inbound bodies are not kept: only the keyword they are. */
export type SmsWebhookEvent =
  | { kind: 'inbound'; messageSid: string; from: string; to: string; keyword: SmsKeyword | null }
  | {
      kind: 'status';
      messageSid: string;
      to: string;
      status: SmsStatus;
      errorCode: string | null;
    };

export class InvalidSmsWebhookSignatureError extends Error {
  constructor() {
    super('the SMS webhook signature does not match');
    this.name = 'InvalidSmsWebhookSignatureError';
  }
}

export class UnreadableSmsWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableSmsWebhookError';
  }
}

/**
 * The SMS provider. `send` throws VendorUnavailableError (retry later) or VendorRejectedError (give
 * up: a bad number, an opted-out recipient).
 */
export type SmsGateway = {
  send(message: { to: string; body: string; statusCallbackUrl?: string }): Promise<SentSms>;
  /**
   * A message with this body sent to `to` since `since`: after a crash between the provider's
   * answer and our record of it, the retry adopts the message instead of texting again.
   */
  findSent(message: { to: string; body: string; since: Date }): Promise<SentSms | null>;
  /** Checks the provider's signature over the URL it called and the form fields it sent. */
  parseWebhook(request: {
    url: string;
    signature: string | undefined;
    params: Record<string, string>;
  }): SmsWebhookEvent;
};
