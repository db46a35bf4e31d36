import twilio from 'twilio';
import { z } from 'zod';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import {
  InvalidSmsWebhookSignatureError,
  type SentSms,
  SMS_STATUSES,
  type SmsGateway,
  type SmsKeyword,
  type SmsWebhookEvent,
  UnreadableSmsWebhookError,
} from './port.js';

export type TwilioSmsOptions = {
  accountSid: string;
  authToken: string;
  /** The Twilio number (E.164) or Messaging Service SID (`MG…`) the texts come from. */
  from: string;
  /** Another host for the API (a local stand-in); Twilio's own when unset. */
  apiBase?: string;
  timeoutMs?: number;
};

const VENDOR = 'twilio';
const TWILIO_API = 'https://api.twilio.com';

/** Twilio's single-word keywords (opt-out, opt-in, help); anything longer is an ordinary reply. */
const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  OPTOUT: 'stop',
  REVOKE: 'stop',
  START: 'start',
  YES: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

/** With Advanced Opt-Out, Twilio says what it made of the reply; otherwise we read the word. */
export const keywordOf = (body: string | undefined, optOutType: string | undefined): SmsKeyword | null => {
  const declared = optOutType ? KEYWORDS[optOutType.trim().toUpperCase()] : undefined;
  if (declared) return declared;
  const word = (body ?? '').trim().toUpperCase();
  return KEYWORDS[word] ?? null;
};

const message = z.object({
  sid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  status: z.enum(SMS_STATUSES),
});

const inbound = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  From: z.string().min(1).max(40),
  To: z.string().min(1).max(40),
  Body: z.string().max(1600).optional(),
  OptOutType: z.string().max(20).optional(),
});

const statusCallback = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.enum(SMS_STATUSES),
  To: z.string().min(1).max(40),
  ErrorCode: z.string().max(10).optional(),
});

/** A request client that sends Twilio's own URLs to another host, e.g. the local stand-in. */
const rebasedClient = (apiBase: string | undefined, timeoutMs: number | undefined) => {
  const client = new twilio.RequestClient(timeoutMs ? { timeout: timeoutMs } : {});
  if (!apiBase) return client;
  const base = apiBase.replace(/\/$/, '');
  const request = client.request.bind(client);
  client.request = (opts) =>
    request({
      ...opts,
      uri: opts.uri.startsWith(TWILIO_API) ? base + opts.uri.slice(TWILIO_API.length) : opts.uri,
    });
  return client;
};

/** A 4xx from Twilio is its answer about this message; 429, 5xx and no answer are outages. */
const translate = (error: unknown): Error => {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    const code = (error as { code?: unknown }).code;
    return new VendorRejectedError(
      VENDOR,
      code === undefined ? String(status) : String(code),
      `Twilio refused the message: ${(error as Error).message}`,
    );
  }
  return new VendorUnavailableError(VENDOR, `Twilio unavailable: ${(error as Error).message}`, error);
};

const sent = (raw: unknown): SentSms => {
  const parsed = message.safeParse(raw);
  if (!parsed.success) throw new VendorUnavailableError(VENDOR, 'Twilio answered with an unreadable message');
  return { messageSid: parsed.data.sid, status: parsed.data.status };
};

/** The live adapter on Twilio's official SDK: Messages API to send, request validation for webhooks. */
export const createTwilioSms = (options: TwilioSmsOptions): SmsGateway => {
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: rebasedClient(options.apiBase, options.timeoutMs),
    autoRetry: false,
  });
  const sender = options.from.startsWith('MG')
    ? { messagingServiceSid: options.from }
    : { from: options.from };

  return {
    async send({ to, body, statusCallbackUrl }) {
      try {
        const created = await client.messages.create({
          to,
          body,
          ...sender,
          ...(statusCallbackUrl ? { statusCallback: statusCallbackUrl } : {}),
        });
        return sent(created);
      } catch (error) {
        if (error instanceof VendorUnavailableError) throw error;
        throw translate(error);
      }
    },

    async findSent({ to, body, since }) {
      try {
        const found = await client.messages.list({
          to,
          ...(options.from.startsWith('MG') ? {} : { from: options.from }),
          dateSentAfter: since,
          limit: 50,
        });
        const match = found.find((m) => m.body === body && m.direction === 'outbound-api');
        return match ? sent(match) : null;
      } catch (error) {
        throw translate(error);
      }
    },

    parseWebhook({ url, signature, params }): SmsWebhookEvent {
      if (!signature || !twilio.validateRequest(options.authToken, signature, url, params)) {
        throw new InvalidSmsWebhookSignatureError();
      }
      if (params.MessageStatus !== undefined && params.SmsStatus !== 'received') {
        const parsed = statusCallback.safeParse(params);
        if (!parsed.success)
          throw new UnreadableSmsWebhookError('not a message status callback Twilio sends');
        return {
          kind: 'status',
          messageSid: parsed.data.MessageSid,
          to: parsed.data.To,
          status: parsed.data.MessageStatus,
          errorCode: parsed.data.ErrorCode || null,
        };
      }
      const parsed = inbound.safeParse(params);
      if (!parsed.success) throw new UnreadableSmsWebhookError('not an incoming message Twilio sends');
      return {
        kind: 'inbound',
        messageSid: parsed.data.MessageSid,
        from: parsed.data.From,
        to: parsed.data.To,
        keyword: keywordOf(parsed.data.Body, parsed.data.OptOutType),
      };
    },
  };
};
