import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { inboxPage, messagePage } from './pages.js';
import { createMailStore, type MailPredicate, type StoredMail } from './store.js';

export type { StoredMail } from './store.js';

export type MailboxOptions = {
  smtpPort?: number;
  httpPort?: number;
  host?: '127.0.0.1';
  /** Where messages are kept so they survive a restart; memory only when absent. */
  directory?: string;
};

export type Mailbox = {
  smtpPort: number;
  httpUrl: string;
  /** Newest first, like the inbox. */
  messages(): StoredMail[];
  waitFor(predicate: MailPredicate, timeoutMs: number): Promise<StoredMail>;
  /** A text message the SMS stand-in delivered, shown in the inbox beside the e-mails. */
  deliverText(text: { from: string; to: string; body: string; sid: string }): StoredMail;
  clear(): void;
  /** The next `n` messages are refused at MAIL FROM with SMTP `code` (421, try later, by default): an outage. */
  failNextMessages(n: number, code?: number): void;
  close(): Promise<void>;
};

/** Far above any real notification, low enough that a runaway sender cannot fill memory. */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

// Untrusted HTML mail is rendered on these pages: no scripts, no plugins, no form posts.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'";

const sizeExceeded = () =>
  Object.assign(new Error(`Message exceeds the fixed maximum size of ${MAX_MESSAGE_BYTES} bytes`), {
    responseCode: 552,
  });

type Failures = { remaining: number; code: number };

const startSmtp = async (
  store: ReturnType<typeof createMailStore>,
  port: number,
  host: string,
  failures: Failures,
) => {
  const server = new SMTPServer({
    name: 'mailbox.local',
    banner: 'Local development mailbox',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'], // loopback only: no credentials, no TLS to configure
    size: MAX_MESSAGE_BYTES,
    logger: false,
    closeTimeout: 1_000,
    onMailFrom(_address, _session, callback) {
      if (failures.remaining <= 0) return callback();
      failures.remaining -= 1;
      callback(
        Object.assign(new Error('Mailbox unavailable (sandbox outage)'), { responseCode: failures.code }),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(sizeExceeded());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const mail = store.add(
          Buffer.concat(chunks),
          { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
          new Date(),
        );
        callback(null, `Stored as message ${mail.id}`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  // A client that vanishes mid-session (a platform killed while sending) is its problem, not ours.
  server.on('error', () => {});
  return server;
};

const sendHtml = (reply: FastifyReply, body: string) =>
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .type('text/html; charset=utf-8')
    .send(body);

const startHttp = async (
  store: ReturnType<typeof createMailStore>,
  smtpAddress: string,
  port: number,
  host: string,
) => {
  const app = Fastify({ logger: false });
  const idParams = {
    type: 'object',
    properties: { id: { type: 'string' } },
    required: ['id'],
  } as const;
  const toJson = (mail: StoredMail) => ({
    id: mail.id,
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    date: mail.date,
    receivedAt: mail.receivedAt,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size })),
  });

  app.get('/', async (_request, reply) => sendHtml(reply, inboxPage(store.newestFirst(), smtpAddress)));

  app.get<{ Params: { id: string } }>(
    '/messages/:id',
    { schema: { params: idParams } },
    async (request, reply) => {
      const mail = store.get(request.params.id);
      if (!mail) return reply.code(404).type('text/plain').send('No such message');
      return sendHtml(reply, messagePage(mail));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/messages/:id/raw',
    { schema: { params: idParams } },
    async (request, reply) => {
      const mail = store.get(request.params.id);
      if (!mail) return reply.code(404).type('text/plain').send('No such message');
      return reply.type('text/plain; charset=utf-8').send(mail.raw);
    },
  );

  app.get<{ Params: { id: string; index: number } }>(
    '/messages/:id/attachments/:index',
    {
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'string' }, index: { type: 'integer', minimum: 0 } },
          required: ['id', 'index'],
        },
      },
    },
    async (request, reply) => {
      const attachment = store.get(request.params.id)?.attachments[request.params.index];
      if (!attachment) return reply.code(404).type('text/plain').send('No such attachment');
      // Served as a download so an HTML or SVG attachment never runs in the inbox's origin.
      return reply
        .type(attachment.contentType)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(attachment.content);
    },
  );

  // `?to=` lists one recipient's mail only: a script waiting for one patient's link need not fetch
  // (and the inbox serialise) every message of a long run, again and again.
  app.get<{ Querystring: { to?: string } }>(
    '/api/messages',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { to: { type: 'string', minLength: 1, maxLength: 320 } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const to = request.query.to?.toLowerCase();
      const mails = store.newestFirst();
      return (
        to ? mails.filter((mail) => mail.to.some((address) => address.toLowerCase() === to)) : mails
      ).map(toJson);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/messages/:id',
    { schema: { params: idParams } },
    async (request, reply) => {
      const mail = store.get(request.params.id);
      if (!mail) return reply.code(404).send({ error: 'not_found' });
      return toJson(mail);
    },
  );

  app.delete('/api/messages', async (_request, reply) => {
    store.clear();
    return reply.code(204).send();
  });

  await app.listen({ port, host });
  return app;
};

/** A text message written as a plain mail, so the inbox lists it under "SMS to +1…". */
const textAsMail = (text: { from: string; to: string; body: string; sid: string }): Buffer => {
  const header = (value: string) => value.replace(/[\r\n]/g, ' ');
  return Buffer.from(
    [
      `From: SMS ${header(text.from)} <sms@twilio.sandbox>`,
      `To: ${header(text.to)} <sms@twilio.sandbox>`,
      `Subject: SMS to ${header(text.to)}`,
      `Message-ID: <${header(text.sid)}@twilio.sandbox>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(text.body, 'utf8').toString('base64'),
      '',
    ].join('\r\n'),
  );
};

/**
 * A mailbox a developer opens in the browser to click the magic link the platform just sent:
 * SMTP in, an inbox page and a JSON API out, on loopback only; kept on disk when given a directory.
 */
export const startMailbox = async (options: MailboxOptions = {}): Promise<Mailbox> => {
  const host = options.host ?? '127.0.0.1';
  const store = createMailStore({ directory: options.directory });
  const failures: Failures = { remaining: 0, code: 421 };
  const smtp = await startSmtp(store, options.smtpPort ?? 0, host, failures);
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  let http: Awaited<ReturnType<typeof startHttp>>;
  try {
    http = await startHttp(store, `${host}:${smtpPort}`, options.httpPort ?? 0, host);
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const httpPort = (http.server.address() as AddressInfo).port;
  return {
    smtpPort,
    httpUrl: `http://${host}:${httpPort}`,
    messages: () => store.newestFirst(),
    waitFor: (predicate, timeoutMs) => store.waitFor(predicate, timeoutMs),
    deliverText: (text) => store.add(textAsMail(text), { from: text.from, to: [text.to] }, new Date()),
    clear: () => store.clear(),
    failNextMessages: (n, code = 421) => {
      failures.remaining = n;
      failures.code = code;
    },
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => smtp.close(() => resolve())), http.close()]);
    },
  };
};
