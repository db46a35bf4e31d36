import { startSignatureRxStandIn } from './server.js';

/**
 * Runs the SignatureRx stand-in on its own for local development:
 *   SIGNATURERX_STANDIN_PORT=12122 SIGNATURERX_WEBHOOK_SECRET=srx_local \
 *   SIGNATURERX_WEBHOOK_URL=http://127.0.0.1:3000/webhooks/signaturerx npx tsx sandbox/signaturerx/main.ts
 * Prescribers sign at the `signingUrl` each prescription answers with.
 */
const standIn = await startSignatureRxStandIn({
  port: Number(process.env.SIGNATURERX_STANDIN_PORT ?? 12122),
  host: process.env.SIGNATURERX_STANDIN_HOST ?? '127.0.0.1',
  apiKey: process.env.SIGNATURERX_API_KEY,
  webhookSecret: process.env.SIGNATURERX_WEBHOOK_SECRET,
  webhookUrl: process.env.SIGNATURERX_WEBHOOK_URL,
});
console.log(`SignatureRx stand-in listening on ${standIn.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
