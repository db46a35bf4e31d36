import type { AddressInfo } from 'node:net';
import { createServer, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { decodeHeaderValue, parseMail } from '../../sandbox/mailbox/mime.js';
import { type Mailbox, startMailbox } from '../../sandbox/mailbox/server.js';
import { createSmtpMailer, messageIdFor } from '../../src/integrations/email/smtpMailer.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';

const FROM = 'Pharmacy <no-reply@pharmacy.local>';

// Longer than a 76-character quoted-printable line and full of characters QP must escape.
const MAGIC_LINK =
  'https://portal.pharmacy.local/enrollment/start?token=eyJhbGciOiJIUzI1NiJ9.eyJwcmVzY3JpcHRpb24iOiIwMUpHUzhRNjYifQ.c2lnbmF0dXJl&redirect=%2Fenrollment%2Finsurance&lang=en';

type ApiMessage = {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  date: string;
  text: string | null;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const listMessages = async (mailbox: Mailbox): Promise<ApiMessage[]> =>
  (await fetch(`${mailbox.httpUrl}/api/messages`)).json() as Promise<ApiMessage[]>;

describe('SMTP mailer against the local mailbox', () => {
  let mailbox: Mailbox;
  beforeAll(async () => {
    mailbox = await startMailbox();
  });
  afterAll(async () => {
    await mailbox.close();
  });
  beforeEach(() => mailbox.clear());

  const mailer = () => createSmtpMailer({ host: '127.0.0.1', port: mailbox.smtpPort, from: FROM });

  it('given a magic-link e-mail, when it is sent, then the API returns it with the long URL intact', async () => {
    const sent = await mailer().send({
      to: 'jane.doe@example.com',
      subject: 'Complete your enrollment – Adalimumab ✓',
      text: `Hello Jane,\n\nPlease complete your enrollment: ${MAGIC_LINK}\n\nThe link expires in 24 hours.`,
      html: `<p>Hello Jane,</p><p><a href="${MAGIC_LINK.replace(/&/g, '&amp;')}">Complete your enrollment</a></p>`,
      idempotencyKey: '01JGS8Q66ENROLLMENT-LINK',
    });

    const [message, ...others] = await listMessages(mailbox);
    expect(others).toEqual([]);
    expect(message?.subject).toBe('Complete your enrollment – Adalimumab ✓');
    expect(message?.to).toEqual(['jane.doe@example.com']);
    expect(message?.from).toBe(FROM);
    expect(message?.text).toContain(`enrollment: ${MAGIC_LINK}\n`);
    expect(message?.html).toContain(`href="${MAGIC_LINK.replace(/&/g, '&amp;')}"`);
    expect(message?.messageId).toBe('<01JGS8Q66ENROLLMENT-LINK@pharmacy.local>');
    expect(sent.messageId).toBe('<01JGS8Q66ENROLLMENT-LINK@pharmacy.local>');
    // The case under test really happened: the URL was split by quoted-printable soft breaks.
    expect(mailbox.messages()[0]?.raw.toString('latin1')).toMatch(/quoted-printable[\s\S]*=\r\n/i);
  });

  it('given a mostly non-ASCII body, when it is sent, then the base64 body decodes to the same text', async () => {
    const text = 'Ваш рецепт готов к отправке. 処方箋の準備ができました。';
    await mailer().send({ to: 'a@example.com', subject: 'Статус', text, idempotencyKey: 'status-1' });

    const stored = await mailbox.waitFor((mail) => mail.subject === 'Статус', 2_000);
    expect(stored.raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: base64/i);
    expect(stored.text).toBe(text);
  });

  it('given mail to several people, when one recipient is asked for, then the API lists only theirs', async () => {
    for (const to of ['a@example.com', 'B@example.com', 'a@example.com', 'c@example.com']) {
      await mailer().send({
        to,
        subject: `for ${to}`,
        text: 'hello',
        idempotencyKey: `to-${to}-${Math.random()}`,
      });
    }
    const mine = (await (
      await fetch(`${mailbox.httpUrl}/api/messages?to=b%40example.com`)
    ).json()) as ApiMessage[];
    expect(mine.map((message) => message.to)).toEqual([['B@example.com']]);
    expect(await listMessages(mailbox)).toHaveLength(4);
    const refused = await fetch(`${mailbox.httpUrl}/api/messages?to=`);
    expect(refused.status).toBe(400);
  });

  it('given an attachment, when it is sent, then the mailbox lists it beside the text body', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% receipt\n', 'latin1');
    await mailer().send({
      to: 'a@example.com',
      subject: 'Receipt',
      text: 'Your receipt is attached.',
      idempotencyKey: 'receipt-1',
      attachments: [{ filename: 'receipt 2026-01.pdf', content: pdf, contentType: 'application/pdf' }],
    });

    const [message] = await listMessages(mailbox);
    expect(message?.text).toBe('Your receipt is attached.');
    expect(message?.attachments).toEqual([
      { filename: 'receipt 2026-01.pdf', contentType: 'application/pdf', size: pdf.length },
    ]);
    expect(mailbox.messages()[0]?.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it('given the same idempotency key twice, when both sends arrive, then they share one Message-ID', async () => {
    const message = { to: 'a@example.com', subject: 'Paid', text: 'Thanks', idempotencyKey: 'evt-42/notify' };
    await mailer().send(message);
    await mailer().send(message);

    const ids = (await listMessages(mailbox)).map((mail) => mail.messageId);
    expect(ids).toEqual([messageIdFor('evt-42/notify'), messageIdFor('evt-42/notify')]);
  });

  it('given keys that are not valid in a Message-ID, when derived, then they are hashed deterministically', () => {
    expect(messageIdFor('order 1 <x>')).toMatch(/^<[0-9a-f]{64}@pharmacy\.local>$/);
    expect(messageIdFor('order 1 <x>')).toBe(messageIdFor('order 1 <x>'));
    expect(messageIdFor('order 1 <x>')).not.toBe(messageIdFor('order 2 <x>'));
  });

  it('given received mail, when the inbox is opened, then it lists newest first and links in the body are clickable', async () => {
    await mailer().send({ to: 'a@example.com', subject: 'Older', text: 'first', idempotencyKey: 'k1' });
    await mailer().send({
      to: 'a@example.com',
      subject: 'Newer <script>',
      text: `Open ${MAGIC_LINK}.`,
      idempotencyKey: 'k2',
    });

    const inbox = await fetch(`${mailbox.httpUrl}/`);
    const inboxHtml = await inbox.text();
    expect(inbox.headers.get('content-type')).toContain('text/html');
    expect(inboxHtml).toContain('Newer &lt;script&gt;');
    expect(inboxHtml.indexOf('Newer')).toBeLessThan(inboxHtml.indexOf('Older'));

    const newest = mailbox.messages()[0];
    const page = await (await fetch(`${mailbox.httpUrl}/messages/${newest?.id}`)).text();
    expect(page).toContain(`<a href="${MAGIC_LINK.replace(/&/g, '&amp;')}">`);
    expect(page).not.toContain('<script>');
    expect((await fetch(`${mailbox.httpUrl}/messages/999`)).status).toBe(404);
  });
});

describe('SMTP mailer connections', () => {
  let server: SMTPServer;
  let port: number;
  let connections = 0;
  let delivered = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          delivered += 1;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('given twelve messages at once, when sent through one mailer, then they share two pooled connections with Nagle off', async () => {
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const mailer = createSmtpMailer({ host: '127.0.0.1', port, from: FROM, maxConnections: 2 });
      onTestFinished(() => mailer.close?.());
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          mailer.send({ to: 'a@example.com', subject: `m${i}`, text: 't', idempotencyKey: `pool-${i}` }),
        ),
      );
      await mailer.send({ to: 'a@example.com', subject: 'later', text: 't', idempotencyKey: 'pool-later' });

      expect(delivered).toBe(13);
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(2);
      // Every client socket that reached the server had TCP_NODELAY switched on.
      const clientSockets = noDelay.mock.contexts.filter(
        (socket) => (socket as Socket).remotePort === port,
      ) as Socket[];
      expect(new Set(clientSockets).size).toBe(connections);
      expect(noDelay.mock.calls.every(([enable]) => enable === true)).toBe(true);
    } finally {
      noDelay.mockRestore();
    }
  });
});

describe('SMTP mailer failures', () => {
  it('given nothing listens on the SMTP port, when sending, then the vendor is unavailable', async () => {
    const mailer = createSmtpMailer({
      host: '127.0.0.1',
      port: await freePort(),
      from: FROM,
      timeoutMs: 2_000,
    });

    const error = await mailer
      .send({ to: 'a@example.com', subject: 's', text: 't', idempotencyKey: 'k' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect((error as VendorUnavailableError).vendor).toBe('smtp');
  });

  describe('given a server that answers with SMTP errors', () => {
    let server: SMTPServer;
    let port: number;
    beforeAll(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        onRcptTo(address, _session, callback) {
          const [, code] = /^(\d{3})@/.exec(address.address) ?? [];
          if (!code) return callback();
          callback(Object.assign(new Error('Refused by test'), { responseCode: Number(code) }));
        },
        onData(stream, _session, callback) {
          stream.resume();
          stream.on('end', () =>
            callback(Object.assign(new Error('Transaction failed'), { responseCode: 554 })),
          );
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const sendTo = (to: string) =>
      createSmtpMailer({ host: '127.0.0.1', port, from: FROM })
        .send({ to, subject: 's', text: 't', idempotencyKey: 'k' })
        .catch((e) => e);

    it('when the recipient is refused with 550, then the send is rejected for good', async () => {
      const error = await sendTo('550@example.com');
      expect(error).toBeInstanceOf(VendorRejectedError);
      expect((error as VendorRejectedError).code).toBe('recipient_rejected');
    });

    it('when the recipient is deferred with 451, then the vendor is unavailable (retry later)', async () => {
      expect(await sendTo('451@example.com')).toBeInstanceOf(VendorUnavailableError);
    });

    it('when the message is refused with 554 after DATA, then the vendor is unavailable', async () => {
      expect(await sendTo('ok@example.com')).toBeInstanceOf(VendorUnavailableError);
    });
  });
});

describe('mailbox MIME parsing', () => {
  it('given encoded words split inside a character, when decoded, then the text is whole', () => {
    const euro = Buffer.from('€', 'utf8'); // three bytes split across two words
    const first = euro.subarray(0, 2).toString('base64');
    const second = euro.subarray(2).toString('base64');
    expect(decodeHeaderValue(`=?UTF-8?B?${first}?= =?UTF-8?B?${second}?= 12`)).toBe('€ 12');
    expect(decodeHeaderValue('=?iso-8859-1?Q?caf=E9_au_lait?=')).toBe('café au lait');
  });

  it('given multipart/mixed around multipart/alternative, when parsed, then text, html and attachment separate', () => {
    const raw = [
      'From: a@example.com',
      'Subject: Nested',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 soft=',
      'break',
      '--inner',
      'Content-Type: text/html',
      '',
      '<p>Hi</p>',
      '--inner--',
      '--outer',
      "Content-Type: application/pdf; name*=utf-8''re%C3%A7u.pdf",
      'Content-Disposition: attachment',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-').toString('base64'),
      '--outer--',
      'epilogue',
    ].join('\r\n');

    const mail = parseMail(Buffer.from(raw, 'latin1'));
    expect(mail.text).toBe('Café softbreak');
    expect(mail.html).toBe('<p>Hi</p>');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['reçu.pdf', 'application/pdf', '%PDF-'],
    ]);
  });
});
