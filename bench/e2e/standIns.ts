// The vendor stand-ins in a process of their own, for the end-to-end bench: every stand-in, and the
// sandbox controls the drivers use to play each vendor's part (pay, grant, move a parcel). Reads
// APP_URL (where the platform will listen, for webhooks) and DATABASE_URL (the controls that look
// an order up read it); prints one JSON line — the platform's vendor environment and where the
// controls answer — then runs until SIGTERM.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { offsetClock } from '../../sandbox/control/clock.js';
import { sandboxControlRoutes } from '../../sandbox/control/routes.js';
import { startStandIns } from '../../sandbox/standIns.js';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { registerContracts } from '../../src/http/validation.js';

export type StandInsReady = { env: Record<string, string>; controlsUrl: string };

const main = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-bench-stand-ins-'));
  const clock = offsetClock();
  const standIns = await startStandIns({ dataDir, clock });
  standIns.setAppUrl(process.env.APP_URL!);
  const pool = createPool(process.env.DATABASE_URL!, { poolSize: 2 });
  const app = Fastify({ logger: false });
  registerContracts(app);
  await app.register(sandboxControlRoutes({ standIns, clock, pool }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const ready: StandInsReady = { env: standIns.env, controlsUrl: `http://127.0.0.1:${port}` };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.once('SIGTERM', async () => {
    await app.close();
    await pool.end();
    await standIns.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
