import { startIduStandIn } from './server.js';

/**
 * Runs the IDU stand-in on its own for local development:
 *   IDU_STANDIN_PORT=12121 IDU_API_KEY=idu_local npx tsx sandbox/lexisnexis/main.ts
 * then point the platform at it with its URL and key.
 */
const standIn = await startIduStandIn({
  port: Number(process.env.IDU_STANDIN_PORT ?? 12121),
  host: process.env.IDU_STANDIN_HOST ?? '127.0.0.1',
  apiKey: process.env.IDU_API_KEY,
});
console.log(`LexisNexis IDU stand-in listening on ${standIn.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
