import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offsetClock } from '../../../sandbox/control/clock.js';
import { type ControlClock, sandboxControlRoutes } from '../../../sandbox/control/routes.js';
import { seedSandboxReferenceData } from '../../../sandbox/referenceData.js';
import { type StandIns, startStandIns } from '../../../sandbox/standIns.js';
import { type Composition, composePlatform } from '../../../src/app/compose.js';
import { vendorsFromConfig } from '../../../src/app/vendors.js';
import type { Clock } from '../../../src/platform/clock.js';
import { loadConfig } from '../../../src/platform/config.js';
import { projectRoot } from '../../../src/platform/paths.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { ensureWebBuild } from './webBuild.js';

export type WebPlatform = {
  /** Where the browser goes: the API and the app on one origin. */
  url: string;
  composition: Composition;
  standIns: StandIns;
  db: TestDatabase;
  /** The dev users' e-mail and password by role. */
  staff: Record<'ops' | 'pharmacist' | 'prescriber' | 'auditor', { email: string; password: string }>;
  /** Posts a NewRx to intake as the prescriber's system would; returns the new order's id. */
  intake(
    fixture?: 'newrx-specialty-valid.xml' | 'newrx-invalid.xml',
    /** Text to replace in the message, e.g. another MRN. */
    replace?: Record<string, string>,
  ): Promise<string>;
  close(): Promise<void>;
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let messages = 0;

/**
 * The whole platform in this process as `npm start` runs it, on a fresh database and with every
 * vendor stand-in, serving the built web app from `web/dist` at its root (built first: the server
 * registers the files it finds when it starts).
 */
export const startWebPlatform = async (
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<WebPlatform> => {
  // The sandbox controls as npm start mounts them, on a clock they can move; a test's own clock is
  // not theirs to move.
  const given = options.clock;
  const controlClock: ControlClock = given
    ? {
        now: () => given.now(),
        advance: () => {
          throw new Error('This test keeps its own clock');
        },
      }
    : offsetClock();
  const clock: Clock = controlClock;
  await ensureWebBuild();
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-web-'));
  const standIns = await startStandIns({ dataDir });
  const port = await freePort();
  const config = loadConfig({
    ...standIns.env,
    DATABASE_URL: db.connectionString,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'admin-password-for-browser-tests',
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
    pollIntervalMs: 100,
    timerIntervalMs: 200,
    seed: seedSandboxReferenceData,
    extendHttp: async (app, { pool }) => {
      await app.register(sandboxControlRoutes({ standIns, clock: controlClock, pool }));
    },
  });
  await composition.http.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  standIns.setAppUrl(url);

  const staff = Object.fromEntries(
    composition.createdStaff.map((c) => [c.user.roles[0], { email: c.user.email, password: c.password }]),
  ) as WebPlatform['staff'];
  const fixture = (name: string) => readFile(join(projectRoot, 'test', 'fixtures', 'ncpdp', name), 'utf8');

  return {
    url,
    composition,
    standIns,
    db,
    staff,
    async intake(name = 'newrx-specialty-valid.xml', replace = {}) {
      // Each message its own MessageID: intake is idempotent on it.
      const messageId = `web-${process.pid}-${Date.now()}-${++messages}`;
      const response = await fetch(`${url}/api/intake`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', 'x-api-key': composition.intakeApiKey },
        body: Object.entries(replace).reduce(
          (xml, [from, to]) => xml.replace(from, to),
          (await fixture(name)).replace(
            /<MessageID>[^<]*<\/MessageID>/,
            `<MessageID>${messageId}</MessageID>`,
          ),
        ),
      });
      const body = (await response.json()) as { orderId: string };
      if (response.status !== 202)
        throw new Error(`intake refused: ${response.status} ${JSON.stringify(body)}`);
      return body.orderId;
    },
    async close() {
      await composition.close();
      await standIns.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
