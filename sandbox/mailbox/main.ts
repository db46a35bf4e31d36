import { startMailbox } from './server.js';

/** `npx tsx sandbox/mailbox/main.ts` — SMTP on 1025 and the inbox on http://127.0.0.1:1080 by default. */
const mailbox = await startMailbox({
  smtpPort: Number(process.env.MAILBOX_SMTP_PORT ?? 1025),
  httpPort: Number(process.env.MAILBOX_HTTP_PORT ?? 1080),
});
console.log(`Mailbox: SMTP 127.0.0.1:${mailbox.smtpPort}, inbox ${mailbox.httpUrl}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void mailbox.close().then(() => process.exit(0));
  });
}
