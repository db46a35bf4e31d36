// The whole platform in one process on a free port, with every vendor stand-in: what the demo, the
// benchmark and the end-to-end tests run. `npm start` (local.ts) is the same on fixed ports.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Composition, composePlatform } from '../src/app/compose.js';
import { vendorsFromConfig } from '../src/app/vendors.js';
import type { Clock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { offsetClock } from './control/clock.js';
import { type ControlClock, sandboxControlRoutes } from './control/routes.js';
import { seedSandboxReferenceData } from './referenceData.js';
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

/**
 * A free port held by a placeholder listener until `release`: while the platform starts (seconds,
 * when it starts its own PostgreSQL) no outgoing connection or other test can take it.
 */
const reservePort = () =>
  new Promise<{ port: number; release(): Promise<void> }>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ port, release: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });

const refuseToMove = () => {
  throw new Error('This clock cannot be moved');
};

export type LocalPlatform = {
  url: string;
  composition: Composition;
  standIns: StandIns;
  /** Platform time: the clock given, or the sandbox's offset clock that the control API moves. */
  clock: ControlClock;
  /** Password of each dev user created by this start, by role. */
  passwords: Record<string, string>;
  close(): Promise<void>;
};

export const startLocalPlatform = async (options: {
  databaseUrl: string;
  /** A test's own clock; given `advance`, the sandbox clock control moves it. */
  clock?: Clock & { advance?(ms: number): void };
  env?: Record<string, string>;
  /** False to start as production does: no sample drugs, no sample pharmacies. */
  seed?: boolean;
  /** The platform's JSON log lines (requests, process managers, vendor calls); stdout unless given. */
  logStream?: NodeJS.WritableStream;
  /** Where an embedded server keeps its data and listens (an empty databaseUrl starts one). */
  database?: { dataDir?: string; embeddedPort?: number };
  /**
   * Poll and tick as production does (slow safety-net polls, LISTEN/NOTIFY wake-ups) instead of the
   * quick ones tests and the demo use.
   */
  productionTimings?: boolean;
}): Promise<LocalPlatform> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-local-'));
  const given = options.clock;
  const clock: ControlClock = given
    ? { now: () => given.now(), advance: (ms) => (given.advance ? given.advance(ms) : refuseToMove()) }
    : offsetClock();
  const standIns = await startStandIns({ dataDir, clock });
  const reserved = await reservePort();
  const { port } = reserved;
  const config = loadConfig({
    ...standIns.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'admin-password-for-local-runs',
    // Keys of this run's own, never the ones a local install keeps under .data/keys/.
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64url'),
    SECRETS_KEY: randomBytes(32).toString('base64url'),
    AUDIT_ANCHOR_DIR: join(dataDir, 'audit-anchors'),
    ...options.env,
  });
  const composition = await composePlatform({
    config,
    vendors: vendorsFromConfig(config, clock),
    clock,
    devUsers: true,
    logStream: options.logStream,
    database: options.database,
    // Quick timings: the horizon poll (one query for every consumer, catching what no NOTIFY
    // announced) and the timers run often; each consumer's own safety-net poll need not.
    ...(options.productionTimings ? {} : { pollIntervalMs: 2_000, horizonPollMs: 100, timerIntervalMs: 200 }),
    seed: options.seed === false ? undefined : seedSandboxReferenceData,
    extendHttp: async (app, { pool }) => {
      await app.register(sandboxControlRoutes({ standIns, clock, pool }));
    },
  }).catch(async (error: unknown) => {
    await reserved.release();
    throw error;
  });
  await reserved.release();
  await composition.http.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  standIns.setAppUrl(url);
  return {
    url,
    composition,
    standIns,
    clock,
    passwords: Object.fromEntries(composition.createdStaff.map((c) => [c.user.roles[0]!, c.password])),
    async close() {
      await composition.close();
      await standIns.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
