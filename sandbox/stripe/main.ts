import { startStripeStandIn } from './server.js';

/**
 * Runs the stand-in on its own for local development:
 *   STRIPE_STANDIN_PORT=12111 STRIPE_WEBHOOK_SECRET=whsec_local \
 *   STRIPE_WEBHOOK_URL=http://127.0.0.1:3000/webhooks/stripe npx tsx sandbox/stripe/main.ts
 * then point the platform at it with STRIPE_API_BASE=http://127.0.0.1:12111 and any sk_test_ key.
 */
const standIn = await startStripeStandIn({
  port: Number(process.env.STRIPE_STANDIN_PORT ?? 12111),
  host: process.env.STRIPE_STANDIN_HOST ?? '127.0.0.1',
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_local_stand_in',
  webhookUrl: process.env.STRIPE_WEBHOOK_URL,
  publicBaseUrl: process.env.STRIPE_STANDIN_PUBLIC_URL,
});
console.log(`Stripe stand-in listening on ${standIn.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
