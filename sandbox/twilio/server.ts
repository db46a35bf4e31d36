/**
 * Stand-in for Twilio Programmable Messaging, speaking the 2010-04-01 REST API the `twilio` SDK
 * calls (form-encoded requests, HTTP basic auth with the Account SID and auth token, JSON answers
 * with the Message resource's published fields, errors as `{ code, message, more_info, status }`):
 *
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json          To, From | MessagingServiceSid,
 *        Body, StatusCallback?  → 201 Message (status "queued")
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json    → 200 Message
 *   GET  /2010-04-01/Accounts/{AccountSid}/Messages.json          To?, From?, DateSent>? → 200 page
 *
 * After a message is created, its StatusCallback gets `sent` then `delivered` (or `undelivered`
 * with ErrorCode 30003 for +15005550003), each signed with X-Twilio-Signature. Errors as Twilio
 * answers them: 20003 (401, authentication), 21211 (invalid To; also Twilio's magic test number
 * +15005550001), 21602 (no Body), 21603/21604 (no From/To), 21614 (not a mobile: +15005550009),
 * 21610 (the recipient texted STOP and has not texted START since).
 *
 * Sandbox control, not Twilio's: `receive(from, body)` plays a patient's reply into the inbound
 * webhook (signed), with Twilio's own handling of STOP/START keywords; POST /sandbox/inbound does
 * the same over HTTP.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  createStandInApp,
  type FaultControls,
  guardApi,
  type ListenOptions,
  listen,
  type StandInClock,
  wallClock,
} from '../lexisnexis/standInKit.js';
import { twilioSignature } from './signature.js';

export type TwilioMessage = {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api' | 'inbound';
  error_code: number | null;
  error_message: string | null;
  from: string;
  messaging_service_sid: string | null;
  num_media: '0';
  num_segments: string;
  price: string | null;
  price_unit: 'USD';
  status: string;
  subresource_uris: { media: string; feedback: string };
  to: string;
  uri: string;
};

export type TwilioStandInOptions = ListenOptions & {
  clock?: StandInClock;
  accountSid?: string;
  authToken?: string;
  /** The account's SMS number. */
  phoneNumber?: string;
  /** Each outbound message as it is delivered to the handset (the dev mailbox shows them). */
  onDelivered?: (message: TwilioMessage) => void;
};

export type TwilioStandIn = FaultControls & {
  url: string;
  accountSid: string;
  authToken: string;
  phoneNumber: string;
  /** Where the number's "a message comes in" webhook points. */
  setInboundWebhookUrl(url: string): void;
  /** Every message, oldest first. */
  messages(): readonly TwilioMessage[];
  /** A patient texts the account's number; resolves with the webhook's HTTP status. */
  receive(from: string, body: string): Promise<number | null>;
  /** Status callbacks not yet answered (tests wait for none). */
  pendingCallbacks(): number;
  /**
   * Runs `hook` once the next message is created and before Twilio's answer is sent: the moment a
   * crash test kills the platform, so it never hears that Twilio took the text.
   */
  holdNextMessageAnswer(hook: () => Promise<void>): void;
  close(): Promise<void>;
};

const API_VERSION = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/** RFC 2822 in GMT, as Twilio writes its dates: "Fri, 04 Dec 2026 14:25:21 +0000". */
const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');
const sidOf = (prefix: string) => prefix + randomBytes(16).toString('hex');

const twilioError = (reply: FastifyReply, status: number, code: number, message: string) =>
  reply.code(status).send({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

const formFields = (request: FastifyRequest): Record<string, string> =>
  (request.body ?? {}) as Record<string, string>;

export const startTwilioStandIn = async (options: TwilioStandInOptions = {}): Promise<TwilioStandIn> => {
  const clock = options.clock ?? wallClock;
  const accountSid = options.accountSid ?? `AC${'0'.repeat(31)}1`;
  const authToken = options.authToken ?? 'twilio_sandbox_auth_token_0001';
  const phoneNumber = options.phoneNumber ?? '+15005550006';
  const messages: TwilioMessage[] = [];
  const optedOut = new Set<string>();
  let inboundUrl: string | undefined;
  let pending = 0;
  let holdAnswer: (() => Promise<void>) | undefined;

  const app = createStandInApp({ bodyLimit: 64 * 1024 });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(body as string)) fields[key] = value;
      done(null, fields);
    },
  );
  const faults = guardApi(app, {
    isPublic: (request) => request.url.startsWith('/sandbox/'),
    authorized: (request) => {
      const header = request.headers.authorization ?? '';
      if (!header.startsWith('Basic ')) return false;
      const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      const pathAccount = /\/Accounts\/([^/]+)\//.exec(request.url)?.[1];
      return user === accountSid && password === authToken && pathAccount === accountSid;
    },
    errorBody: (status, _code, message) =>
      status === 401
        ? {
            code: 20003,
            message: 'Authenticate',
            more_info: 'https://www.twilio.com/docs/errors/20003',
            status,
          }
        : { code: 20500, message, more_info: 'https://www.twilio.com/docs/errors/20500', status },
  });

  const base = `/${API_VERSION}/Accounts/${accountSid}`;
  const find = (sid: string) => messages.find((m) => m.sid === sid);

  /** Twilio posts form fields and signs them; it does not wait long, and does not retry here. */
  const post = async (url: string, fields: Record<string, string>): Promise<number | null> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(authToken, url, fields),
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
        body: new URLSearchParams(fields).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return null;
    }
  };

  const advance = (message: TwilioMessage, status: string, errorCode: number | null) => {
    const now = clock.now();
    message.status = status;
    message.date_updated = rfc2822(now);
    if (status === 'sent') message.date_sent = rfc2822(now);
    if (errorCode !== null) {
      message.error_code = errorCode;
      message.error_message = 'Unreachable destination handset';
    }
  };

  /** What the carrier makes of the message, reported to its StatusCallback one status at a time. */
  const deliver = async (message: TwilioMessage, statusCallback: string | undefined) => {
    const outcome: [string, number | null][] =
      message.to === '+15005550003'
        ? [
            ['sent', null],
            ['undelivered', 30003],
          ]
        : [
            ['sent', null],
            ['delivered', null],
          ];
    for (const [status, errorCode] of outcome) {
      advance(message, status, errorCode);
      if (status === 'delivered') options.onDelivered?.({ ...message });
      if (!statusCallback) continue;
      await post(statusCallback, {
        AccountSid: accountSid,
        ApiVersion: API_VERSION,
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(errorCode !== null ? { ErrorCode: String(errorCode) } : {}),
      });
    }
  };

  app.post(`/${API_VERSION}/Accounts/:account/Messages.json`, async (request, reply) => {
    const fields = formFields(request);
    const to = fields.To;
    const from = fields.From ?? (fields.MessagingServiceSid ? phoneNumber : undefined);
    if (!to) return twilioError(reply, 400, 21604, "A 'To' phone number is required.");
    if (!from) return twilioError(reply, 400, 21603, "A 'From' phone number is required.");
    if (!fields.Body) return twilioError(reply, 400, 21602, 'Message body is required.');
    if (!E164.test(to) || to === '+15005550001') {
      return twilioError(reply, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (to === '+15005550009') {
      return twilioError(reply, 400, 21614, `'To' number is not a valid mobile number`);
    }
    if (optedOut.has(to)) return twilioError(reply, 400, 21610, 'Attempt to send to unsubscribed recipient');
    if (fields.Body.length > 1600) {
      return twilioError(
        reply,
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
      );
    }
    const now = rfc2822(clock.now());
    const sid = sidOf('SM');
    const message: TwilioMessage = {
      sid,
      account_sid: accountSid,
      api_version: API_VERSION,
      body: fields.Body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: fields.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(fields.Body.length / 153))),
      price: null,
      price_unit: 'USD',
      status: 'queued',
      subresource_uris: {
        media: `${base}/Messages/${sid}/Media.json`,
        feedback: `${base}/Messages/${sid}/Feedback.json`,
      },
      to,
      uri: `${base}/Messages/${sid}.json`,
    };
    messages.push(message);
    pending += 1;
    setImmediate(() => {
      void deliver(message, fields.StatusCallback).finally(() => {
        pending -= 1;
      });
    });
    const hook = holdAnswer;
    holdAnswer = undefined;
    if (hook) await hook();
    return reply.code(201).send(message);
  });

  app.get<{ Params: { sid: string } }>(
    `/${API_VERSION}/Accounts/:account/Messages/:sid`,
    async (request, reply) => {
      const message = find(request.params.sid.replace(/\.json$/, ''));
      if (!message) {
        return twilioError(reply, 404, 20404, `The requested resource ${request.url} was not found`);
      }
      return message;
    },
  );

  app.get<{ Querystring: Record<string, string> }>(
    `/${API_VERSION}/Accounts/:account/Messages.json`,
    async (request) => {
      const query = request.query;
      const after = query['DateSent>'] ? new Date(query['DateSent>']) : null;
      const pageSize = Math.min(Number(query.PageSize ?? 50) || 50, 1000);
      const found = messages
        .filter((m) => (!query.To || m.to === query.To) && (!query.From || m.from === query.From))
        .filter((m) => !after || (m.date_sent !== null && new Date(m.date_sent) >= after))
        .reverse()
        .slice(0, pageSize);
      const uri = `${base}/Messages.json?PageSize=${pageSize}&Page=0`;
      return {
        messages: found,
        end: Math.max(found.length - 1, 0),
        first_page_uri: uri,
        next_page_uri: null,
        page: 0,
        page_size: pageSize,
        previous_page_uri: null,
        start: 0,
        uri,
      };
    },
  );

  const receive = async (from: string, body: string): Promise<number | null> => {
    const word = body.trim().toUpperCase();
    // Twilio keeps its own block list from single-word replies, whatever the webhook answers.
    if (OPT_OUT.has(word)) optedOut.add(from);
    if (OPT_IN.has(word)) optedOut.delete(from);
    const now = rfc2822(clock.now());
    const sid = sidOf('SM');
    messages.push({
      sid,
      account_sid: accountSid,
      api_version: API_VERSION,
      body,
      date_created: now,
      date_sent: now,
      date_updated: now,
      direction: 'inbound',
      error_code: null,
      error_message: null,
      from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      status: 'received',
      subresource_uris: {
        media: `${base}/Messages/${sid}/Media.json`,
        feedback: `${base}/Messages/${sid}/Feedback.json`,
      },
      to: phoneNumber,
      uri: `${base}/Messages/${sid}.json`,
    });
    if (!inboundUrl) return null;
    return post(inboundUrl, {
      AccountSid: accountSid,
      ApiVersion: API_VERSION,
      Body: body,
      From: from,
      MessageSid: sid,
      NumMedia: '0',
      NumSegments: '1',
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: phoneNumber,
    });
  };

  app.post('/sandbox/inbound', async (request, reply) => {
    const fields = formFields(request);
    if (!fields.From || !E164.test(fields.From) || typeof fields.Body !== 'string') {
      return reply.code(400).send({ error: 'give From (E.164) and Body' });
    }
    return { webhookStatus: await receive(fields.From, fields.Body) };
  });

  const url = await listen(app, options);
  return {
    ...faults,
    url,
    accountSid,
    authToken,
    phoneNumber,
    setInboundWebhookUrl(value) {
      inboundUrl = value;
    },
    messages: () => [...messages],
    receive,
    pendingCallbacks: () => pending,
    holdNextMessageAnswer(hook) {
      holdAnswer = hook;
    },
    close: () => app.close(),
  };
};
