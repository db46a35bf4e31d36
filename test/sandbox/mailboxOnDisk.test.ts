import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { type Mailbox, startMailbox } from '../../sandbox/mailbox/server.js';

const opened: Mailbox[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((m) => m.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const open = async (directory: string) => {
  const mailbox = await startMailbox({ directory });
  opened.push(mailbox);
  return mailbox;
};

const send = (mailbox: Mailbox, subject: string) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port: mailbox.smtpPort, secure: false, ignoreTLS: true })
    .sendMail({
      from: 'pharmacy@example.org',
      to: 'patient@example.org',
      bcc: 'audit@example.org',
      subject,
      text: `Body of ${subject}`,
      attachments: [{ filename: 'note.txt', content: 'attached' }],
    });

describe('the dev mailbox keeps its messages on disk', () => {
  it('given two messages, when the mailbox restarts on the same directory, then both are there, in order, with envelope and attachment', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailbox-disk-'));
    dirs.push(directory);
    const first = await open(directory);
    await send(first, 'First');
    await send(first, 'Second');
    await first.close();
    opened.length = 0;

    const again = await open(directory);
    const [newest, oldest] = again.messages();
    expect([oldest?.subject, newest?.subject]).toEqual(['First', 'Second']);
    expect(oldest?.to).toEqual(['patient@example.org', 'audit@example.org']);
    expect(oldest?.text?.trim()).toBe('Body of First');
    expect(oldest?.attachments.map((a) => a.filename)).toEqual(['note.txt']);

    // Numbering carries on, so links to message 1 and 2 still open the same messages.
    await send(again, 'Third');
    expect(again.messages()[0]).toMatchObject({ id: '3', subject: 'Third' });
    const inbox = (await fetch(`${again.httpUrl}/api/messages/1`).then((r) => r.json())) as {
      subject: string;
    };
    expect(inbox.subject).toBe('First');
  });

  it('given a cleared mailbox, when it restarts, then it is empty', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mailbox-disk-'));
    dirs.push(directory);
    const first = await open(directory);
    await send(first, 'Gone');
    expect((await fetch(`${first.httpUrl}/api/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await readdir(directory)).toEqual([]);
    await first.close();
    opened.length = 0;
    expect((await open(directory)).messages()).toEqual([]);
  });
});
