// The platform alone in a process, for the end-to-end bench: composed as `cli start` composes it
// (production timings, the live adapters pointed at the stand-ins' process by STAND_INS_ENV), plus
// the dev staff and sample reference data the drivers need. Prints one JSON line — where it
// listens, the intake key and the staff passwords — then runs until SIGTERM.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSandboxReferenceData } from '../../sandbox/referenceData.js';
import { composePlatform } from '../../src/app/compose.js';
import { vendorsFromConfig } from '../../src/app/vendors.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';

export type PlatformReady = { url: string; intakeKey: string; passwords: Record<string, string> };

const main = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-bench-platform-'));
  const config = loadConfig({
    ...(JSON.parse(process.env.STAND_INS_ENV!) as Record<string, string>),
    DATABASE_URL: process.env.DATABASE_URL!,
    PORT: process.env.PORT!,
    LOG_LEVEL: 'warn',
    ADMIN_PASSWORD: 'admin-password-for-local-runs',
    // Instances on one database share their keys (the bench passes them); one alone makes its own.
    AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY ?? randomBytes(32).toString('base64url'),
    SECRETS_KEY: process.env.SECRETS_KEY ?? randomBytes(32).toString('base64url'),
    AUDIT_ANCHOR_DIR: join(dataDir, 'audit-anchors'),
    // The bench reads the platform's counters (requests, appends) before and after each run.
    METRICS_TOKEN: process.env.METRICS_TOKEN!,
  });
  const composition = await composePlatform({
    config,
    vendors: vendorsFromConfig(config, systemClock),
    devUsers: true,
    // Stdout carries the ready line; the HTTP server's warnings go to stderr.
    logStream: process.stderr,
    requestLogs: false,
    seed: seedSandboxReferenceData,
  });
  await composition.http.listen({ port: config.port, host: '127.0.0.1' });
  const ready: PlatformReady = {
    url: `http://127.0.0.1:${config.port}`,
    intakeKey: composition.intakeApiKey,
    passwords: Object.fromEntries(composition.createdStaff.map((c) => [c.user.roles[0]!, c.password])),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // A clean exit, so that `--cpu-prof` writes its profile.
  process.once('SIGTERM', async () => {
    await composition.close();
    await rm(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
