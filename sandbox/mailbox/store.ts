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

/** Received mail kept in memory, oldest first, with a way to wait for the one a test expects. */
export const createMailStore = () => {
  const mails: StoredMail[] = [];
  const waiters = new Set<(mail: StoredMail) => void>();
  let sequence = 0;

  const add = (raw: Buffer, envelope: { from: string; to: string[] }, receivedAt: Date): StoredMail => {
    const parsed = parseMail(raw);
    const mail: StoredMail = {
      id: String(++sequence),
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
    },
  };
};
export type MailStore = ReturnType<typeof createMailStore>;
