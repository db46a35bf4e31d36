// The whole platform in one process on a free port, with every vendor stand-in: what the demo, the
// benchmark and the end-to-end tests run. `npm start` (local.ts) is the same on fixed ports.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Composition, composePlatform } from '../src/app/compose.js';
import { vendorsFromConfig } from '../src/app/vendors.js';
import { type Clock, systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { type StandIns, startStandIns } from './standIns.js';

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export type LocalPlatform = {
  url: string;
  composition: Composition;
  standIns: StandIns;
  /** Password of each dev user created by this start, by role. */
  passwords: Record<string, string>;
  close(): Promise<void>;
};

export const startLocalPlatform = async (options: {
  databaseUrl: string;
  clock?: Clock;
  env?: Record<string, string>;
}): Promise<LocalPlatform> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-local-'));
  const clock = options.clock ?? systemClock;
  const standIns = await startStandIns({ dataDir, clock: options.clock });
  const port = await freePort();
  const config = loadConfig({
    ...standIns.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'admin-password-for-local-runs',
    ...options.env,
  });
  const composition = await composePlatform({
    config,
    vendors: vendorsFromConfig(config, clock),
    clock,
    devUsers: true,
    log: () => {},
    pollIntervalMs: 100,
    timerIntervalMs: 200,
  });
  await composition.http.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  standIns.setAppUrl(url);
  return {
    url,
    composition,
    standIns,
    passwords: Object.fromEntries(composition.createdStaff.map((c) => [c.user.roles[0]!, c.password])),
    async close() {
      await composition.close();
      await standIns.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
