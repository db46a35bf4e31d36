import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createTransport } from 'nodemailer';
import { isSingleEmailAddress } from '../../domain/emailAddress.js';
import { VendorRejectedError, VendorUnavailableError } from '../errors.js';
import type { Mailer } from './port.js';

export type SmtpMailerConfig = {
  host: string;
  port: number;
  /** Implicit TLS (port 465). Plain connections still upgrade with STARTTLS when offered. */
  secure?: boolean;
  user?: string;
  pass?: string;
  /** The sender, e.g. `Pharmacy <no-reply@pharmacy.example>`. */
  from: string;
  /** Bounds connect, greeting and each socket read; the platform's retry schedule does the rest. */
  timeoutMs?: number;
  /** Open connections kept for reuse: a new one costs the server's greeting delay each time. */
  maxConnections?: number;
};

const MESSAGE_ID_DOMAIN = 'pharmacy.local';

// RFC 5322 dot-atom: what may stand left of the @ in a Message-ID without quoting.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * The same idempotency key always yields the same Message-ID, so a resend after a lost reply is
 * recognisable as the same message. Keys that are not a valid id-left are hashed, not mangled.
 */
export const messageIdFor = (idempotencyKey: string): string => {
  const left = DOT_ATOM.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');
  return `<${left}@${MESSAGE_ID_DOMAIN}>`;
};

type SmtpFailure = Error & { code?: string; responseCode?: number; command?: string; response?: string };

const TRANSPORT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EAUTH',
]);

/**
 * A permanent refusal of the recipient is a business outcome (bad address): never retried.
 * Everything else the server or network says — 4xx, other 5xx, refused or timed-out connections,
 * even bad credentials — may pass once the server or its configuration is fixed, so it is retried.
 */
export const classifySmtpError = (error: unknown): Error => {
  const failure = error as SmtpFailure;
  const code = failure?.code;
  const reply = failure?.responseCode;
  if (reply !== undefined && reply >= 500 && failure.command === 'RCPT TO') {
    return new VendorRejectedError('smtp', 'recipient_rejected', failure.message, { responseCode: reply });
  }
  if (reply !== undefined) {
    return new VendorUnavailableError('smtp', `SMTP server answered ${reply}: ${failure.message}`, error);
  }
  if (code === 'EENVELOPE') {
    // Raised before any server contact: the address itself is unusable.
    return new VendorRejectedError('smtp', 'invalid_address', failure.message);
  }
  if (code !== undefined && TRANSPORT_CODES.has(code)) {
    return new VendorUnavailableError('smtp', `SMTP server unreachable (${code}): ${failure.message}`, error);
  }
  return error instanceof Error ? error : new Error(String(error));
};

/**
 * Opens the TCP connection nodemailer then speaks SMTP over, with Nagle's algorithm off: SMTP
 * sends small commands and waits for each reply, and with Nagle on a command that follows an
 * unacknowledged one waits for the server's delayed ACK (~40 ms a message here). A failure to
 * connect carries nodemailer's own `ECONNECTION` code, so it reads as an unreachable server.
 */
export const openSmtpSocket = (
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ connection: Socket }> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (error: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      reject(Object.assign(new Error(error.message), { code: 'ECONNECTION', cause: error }));
    };
    const timer = setTimeout(() => fail(new Error(`connection to ${host}:${port} timed out`)), timeoutMs);
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      // nodemailer attaches its own error handler on the next tick; until then an error must not
      // go unhandled (it still reaches nodemailer's handler afterwards).
      socket.on('error', () => {});
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      resolve({ connection: socket });
    });
  });

export const createSmtpMailer = (config: SmtpMailerConfig): Mailer => {
  const timeout = config.timeoutMs ?? 15_000;
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    pool: true,
    maxConnections: config.maxConnections ?? 4,
    // Each pooled connection is opened here so it can carry TCP_NODELAY (nodemailer sets no socket
    // options of its own); implicit TLS and STARTTLS are layered on it by nodemailer as before.
    getSocket: (_options, callback) => {
      openSmtpSocket(config.host, config.port, timeout).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error, undefined),
      );
    },
  });

  return {
    async send(message) {
      // Nodemailer reads `a@b, c@d` as two recipients: only ever one address per message.
      if (!isSingleEmailAddress(message.to.trim()))
        throw new VendorRejectedError('smtp', 'invalid_address', 'the recipient is not one e-mail address');
      const messageId = messageIdFor(message.idempotencyKey);
      try {
        await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          messageId,
          attachments: (message.attachments ?? []).map(({ filename, content, contentType }) => ({
            filename,
            content,
            contentType,
          })),
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
      return { messageId };
    },
    async close() {
      transport.close();
    },
  };
};
