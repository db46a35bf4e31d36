import { startTitanPmrStandIn } from './server.js';

/**
 * Runs the TitanPMR stand-in on its own for local development:
 *   TITAN_STANDIN_PORT=12123 TITAN_API_KEY=titan_local npx tsx sandbox/titanpmr/main.ts
 */
const standIn = await startTitanPmrStandIn({
  port: Number(process.env.TITAN_STANDIN_PORT ?? 12123),
  host: process.env.TITAN_STANDIN_HOST ?? '127.0.0.1',
  apiKey: process.env.TITAN_API_KEY,
});
console.log(`TitanPMR stand-in listening on ${standIn.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
