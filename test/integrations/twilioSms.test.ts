import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioStandIn, type TwilioStandIn } from '../../sandbox/twilio/server.js';
import { twilioSignature } from '../../sandbox/twilio/signature.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';
import { InvalidSmsWebhookSignatureError, type SmsGateway } from '../../src/integrations/sms/port.js';
import { createTwilioSms } from '../../src/integrations/sms/twilioSms.js';

/** Where the stand-in's webhooks land: every request kept as Twilio sent it. */
type Received = { path: string; signature: string | undefined; params: Record<string, string> };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const readBody = async (request: IncomingMessage) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
};

let twilio: TwilioStandIn;
let sms: SmsGateway;
const PATIENT = '+14155550132';

const waitFor = async <T>(find: () => T | undefined): Promise<T> => {
  for (let i = 0; i < 500; i += 1) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('nothing arrived');
};

beforeAll(async () => {
  receiver = createServer((request, response) => {
    void readBody(request).then((params) => {
      received.push({
        path: request.url ?? '',
        signature: request.headers['x-twilio-signature'] as string | undefined,
        params,
      });
      response.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  twilio = await startTwilioStandIn();
  twilio.setInboundWebhookUrl(`${receiverUrl}/webhook/twilio/messages`);
  sms = createTwilioSms({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: twilio.phoneNumber,
    apiBase: twilio.url,
  });
});

afterAll(async () => {
  await twilio.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('sending a text through the twilio SDK', () => {
  it('creates a Message the stand-in holds, from the account number', async () => {
    const sent = await sms.send({
      to: PATIENT,
      body: 'Your copay is ready',
      statusCallbackUrl: `${receiverUrl}/status`,
    });
    expect(sent.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    const message = twilio.messages().find((m) => m.sid === sent.messageSid);
    expect(message).toMatchObject({ to: PATIENT, from: twilio.phoneNumber, body: 'Your copay is ready' });
  });

  it('reports sent then delivered to the status callback, signed', async () => {
    const sent = await sms.send({
      to: PATIENT,
      body: 'Delivered notice',
      statusCallbackUrl: `${receiverUrl}/status`,
    });
    const delivered = await waitFor(() =>
      received.find((r) => r.params.MessageSid === sent.messageSid && r.params.MessageStatus === 'delivered'),
    );
    const event = sms.parseWebhook({
      url: `${receiverUrl}/status`,
      signature: delivered.signature,
      params: delivered.params,
    });
    expect(event).toEqual({
      kind: 'status',
      messageSid: sent.messageSid,
      to: PATIENT,
      status: 'delivered',
      errorCode: null,
    });
  });

  it('finds a message sent earlier, so a retry after a crash adopts it', async () => {
    const since = new Date(Date.now() - 60_000);
    const sent = await sms.send({ to: '+14155550177', body: 'Only once' });
    await waitFor(() =>
      twilio.messages().find((m) => m.sid === sent.messageSid)?.date_sent ? true : undefined,
    );
    expect(await sms.findSent({ to: '+14155550177', body: 'Only once', since })).toMatchObject({
      messageSid: sent.messageSid,
    });
    expect(await sms.findSent({ to: '+14155550177', body: 'Another text', since })).toBeNull();
  });

  it('takes an invalid number as Twilio’s refusal (21211), not an outage', async () => {
    const error = await sms.send({ to: '+15005550001', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorRejectedError);
    expect(error).toMatchObject({ code: '21211' });
  });

  it('takes a wrong auth token as a refusal (20003)', async () => {
    const wrong = createTwilioSms({
      accountSid: twilio.accountSid,
      authToken: 'not-the-token',
      from: twilio.phoneNumber,
      apiBase: twilio.url,
    });
    await expect(wrong.send({ to: PATIENT, body: 'x' })).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: '20003',
    });
  });

  it('takes a 503 and a refused connection as outages, to retry later', async () => {
    twilio.failNextRequests(1, 503);
    await expect(sms.send({ to: PATIENT, body: 'x' })).rejects.toBeInstanceOf(VendorUnavailableError);
    const nowhere = createTwilioSms({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: twilio.phoneNumber,
      apiBase: 'http://127.0.0.1:9',
    });
    await expect(nowhere.send({ to: PATIENT, body: 'x' })).rejects.toBeInstanceOf(VendorUnavailableError);
  });
});

describe('webhooks from Twilio', () => {
  it('reads a signed STOP reply as an opt-out, and Twilio then refuses to text that number (21610)', async () => {
    const from = '+14155550188';
    expect(await twilio.receive(from, ' stop ')).toBe(200);
    const reply = received.find((r) => r.params.From === from)!;
    const event = sms.parseWebhook({
      url: `${receiverUrl}/webhook/twilio/messages`,
      signature: reply.signature,
      params: reply.params,
    });
    expect(event).toMatchObject({ kind: 'inbound', from, keyword: 'stop' });
    await expect(sms.send({ to: from, body: 'x' })).rejects.toMatchObject({ code: '21610' });
    await twilio.receive(from, 'START');
    await expect(sms.send({ to: from, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
  });

  it('reads a reply that is more than a keyword as no keyword', async () => {
    await twilio.receive('+14155550199', 'please stop the delivery');
    const reply = received.find((r) => r.params.From === '+14155550199')!;
    expect(
      sms.parseWebhook({
        url: `${receiverUrl}/webhook/twilio/messages`,
        signature: reply.signature,
        params: reply.params,
      }),
    ).toMatchObject({ keyword: null });
  });

  it('refuses a forged, a tampered and a missing signature', () => {
    const url = `${receiverUrl}/webhook/twilio/messages`;
    const params = {
      AccountSid: twilio.accountSid,
      Body: 'STOP',
      From: PATIENT,
      MessageSid: `SM${'a'.repeat(32)}`,
      SmsStatus: 'received',
      To: twilio.phoneNumber,
    };
    const forged = twilioSignature('some-other-token', url, params);
    expect(() => sms.parseWebhook({ url, signature: forged, params })).toThrow(
      InvalidSmsWebhookSignatureError,
    );
    const genuine = twilioSignature(twilio.authToken, url, params);
    expect(sms.parseWebhook({ url, signature: genuine, params })).toMatchObject({ keyword: 'stop' });
    expect(() =>
      sms.parseWebhook({ url, signature: genuine, params: { ...params, From: '+14155550100' } }),
    ).toThrow(InvalidSmsWebhookSignatureError);
    expect(() => sms.parseWebhook({ url: `${url}?x=1`, signature: genuine, params })).toThrow(
      InvalidSmsWebhookSignatureError,
    );
    expect(() => sms.parseWebhook({ url, signature: undefined, params })).toThrow(
      InvalidSmsWebhookSignatureError,
    );
  });
});
