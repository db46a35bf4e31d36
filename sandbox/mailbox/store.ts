import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMail } from './mime.js';

export type StoredMail = {
  id: string;
  messageId: string | null;
  from: string;
  /** Envelope recipients: who the message was delivered to, Bcc included. */
  to: string[];
  subject: string;
  /** The Date header (ISO), or the arrival time when the header is missing or unreadable. */
  date: string;
  receivedAt: string;
  text: string | null;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number; content: Buffer }[];
  raw: Buffer;
};

export type MailPredicate = (mail: StoredMail) => boolean;

type Envelope = { from: string; to: string[] };

/**
 * Each message as it arrived (`<id>.eml`) beside its envelope (`<id>.json`): what a restart reads
 * back. The raw message is the record; everything else is parsed from it again.
 */
const onDisk = (directory: string) => {
  mkdirSync(directory, { recursive: true });
  return {
    save(id: string, raw: Buffer, envelope: Envelope, receivedAt: Date) {
      writeFileSync(join(directory, `${id}.eml`), raw, { mode: 0o600 });
      // Written last: a message without its envelope file was cut short and is not read back.
      writeFileSync(join(directory, `${id}.json`), JSON.stringify({ ...envelope, receivedAt }), {
        mode: 0o600,
      });
    },
    load(): { id: number; raw: Buffer; envelope: Envelope; receivedAt: Date }[] {
      return readdirSync(directory)
        .filter((name) => /^\d+\.json$/.test(name))
        .map((name) => {
          const id = Number(name.slice(0, -'.json'.length));
          const meta = JSON.parse(readFileSync(join(directory, name), 'utf8')) as Envelope & {
            receivedAt: string;
          };
          const raw = readFileSync(join(directory, `${id}.eml`));
          return {
            id,
            raw,
            envelope: { from: meta.from, to: meta.to },
            receivedAt: new Date(meta.receivedAt),
          };
        })
        .sort((a, b) => a.id - b.id);
    },
    clear() {
      for (const name of readdirSync(directory)) {
        if (/^\d+\.(?:eml|json)$/.test(name)) rmSync(join(directory, name), { force: true });
      }
    },
  };
};

/**
 * Received mail, oldest first, with a way to wait for the one a test expects. Given a directory
 * (`npm start` uses .data/mailbox), every message is also kept there and read back on the next start.
 */
export const createMailStore = (options: { directory?: string } = {}) => {
  const mails: StoredMail[] = [];
  const waiters = new Set<(mail: StoredMail) => void>();
  const disk = options.directory ? onDisk(options.directory) : null;
  let sequence = 0;

  const toStored = (id: number, raw: Buffer, envelope: Envelope, receivedAt: Date): StoredMail => {
    const parsed = parseMail(raw);
    return {
      id: String(id),
      messageId: parsed.messageId,
      from: parsed.from || envelope.from,
      to: envelope.to,
      subject: parsed.subject,
      date: (parsed.date ?? receivedAt).toISOString(),
      receivedAt: receivedAt.toISOString(),
      text: parsed.text,
      html: parsed.html,
      attachments: parsed.attachments.map((a) => ({ ...a, size: a.content.length })),
      raw,
    };
  };

  for (const saved of disk?.load() ?? []) {
    mails.push(toStored(saved.id, saved.raw, saved.envelope, saved.receivedAt));
    sequence = Math.max(sequence, saved.id);
  }

  const add = (raw: Buffer, envelope: Envelope, receivedAt: Date): StoredMail => {
    const mail = toStored(++sequence, raw, envelope, receivedAt);
    disk?.save(mail.id, raw, envelope, receivedAt);
    mails.push(mail);
    for (const waiter of waiters) waiter(mail);
    return mail;
  };

  const waitFor = (predicate: MailPredicate, timeoutMs: number): Promise<StoredMail> => {
    const found = mails.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = (mail: StoredMail) => {
        if (!predicate(mail)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(mail);
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`No matching mail within ${timeoutMs} ms (${mails.length} in the mailbox)`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    add,
    waitFor,
    /** Newest first, as an inbox lists them. */
    newestFirst: (): StoredMail[] => [...mails].reverse(),
    get: (id: string): StoredMail | undefined => mails.find((mail) => mail.id === id),
    clear: () => {
      mails.length = 0;
      disk?.clear();
    },
  };
};
export type MailStore = ReturnType<typeof createMailStore>;
