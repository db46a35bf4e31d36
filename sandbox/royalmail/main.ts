import { startRoyalMailStandIn } from './server.js';

/**
 * Runs the Royal Mail stand-in on its own for local development:
 *   ROYALMAIL_STANDIN_PORT=12124 ROYALMAIL_WEBHOOK_SECRET=rm_local \
 *   ROYALMAIL_WEBHOOK_URL=http://127.0.0.1:3000/webhooks/royalmail npx tsx sandbox/royalmail/main.ts
 * Click & Drop answers under `<url>/api/v1`, the Tracking API under `<url>`.
 */
const standIn = await startRoyalMailStandIn({
  port: Number(process.env.ROYALMAIL_STANDIN_PORT ?? 12124),
  host: process.env.ROYALMAIL_STANDIN_HOST ?? '127.0.0.1',
  apiKey: process.env.ROYALMAIL_API_KEY,
  trackingClientId: process.env.ROYALMAIL_TRACKING_CLIENT_ID,
  trackingClientSecret: process.env.ROYALMAIL_TRACKING_CLIENT_SECRET,
  webhookSecret: process.env.ROYALMAIL_WEBHOOK_SECRET,
  webhookUrl: process.env.ROYALMAIL_WEBHOOK_URL,
});
console.log(`Royal Mail stand-in listening on ${standIn.url} (Click & Drop at ${standIn.clickAndDropUrl})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
