// `npm start`: the whole platform on this machine, with no network — embedded PostgreSQL (unless
// DATABASE_URL is set) and a local stand-in for every vendor, on fixed ports. Log lines are short
// text; `npm start -- --no-request-logs` leaves out the line per request.
import { join } from 'node:path';
import { startPlatform } from '../src/app/start.js';
import { terminalLogStream } from '../src/http/requestLog.js';
import { loadConfig } from '../src/platform/config.js';
import { projectRoot } from '../src/platform/paths.js';
import { offsetClock } from './control/clock.js';
import { SANDBOX_API, sandboxControlRoutes } from './control/routes.js';
import { seedSandboxReferenceData } from './referenceData.js';
import { LOCAL_PORTS, RESTART_TOLERANT_RETRIES, startStandIns } from './standIns.js';

const main = async () => {
  // Platform time that the sandbox controls can move forward; the stand-ins share it.
  const clock = offsetClock();
  const standIns = await startStandIns({
    clock,
    dataDir: join(projectRoot, '.data'),
    ports: LOCAL_PORTS,
    // A local platform is stopped and started again; vendors keep redelivering meanwhile.
    webhookRetryDelaysMs: RESTART_TOLERANT_RETRIES,
  });
  // Explicit environment wins; the stand-ins fill in whatever vendor settings are missing.
  const config = loadConfig({ ...standIns.env, ...process.env });
  standIns.setAppUrl(`http://${config.host}:${config.port}`);
  const base = `http://${config.host}:${config.port}`;
  await startPlatform(config, {
    clock,
    extendHttp: async (app, { pool }) => {
      await app.register(sandboxControlRoutes({ standIns, clock, pool }));
    },
    devUsers: true,
    // A person reads this terminal: one short line per record, not JSON.
    logStream: terminalLogStream(),
    requestLogs: !process.argv.includes('--no-request-logs'),
    credentialsFile: join(projectRoot, '.data', 'dev-credentials.json'),
    seed: seedSandboxReferenceData,
    banner: [
      `  mailbox        ${standIns.mailbox.httpUrl}   (every e-mail the platform sends lands here)`,
      `  sandbox        ${base}/sandbox   (controls: ${base}${SANDBOX_API}; see README "Sandbox data")`,
      `  texts (SMS)    twilio ${standIns.twilio.url}   (delivered texts show in the mailbox too)`,
      `  stand-ins      stripe ${standIns.stripe.url} · shippo ${standIns.shippo.url} · payer ${standIns.payer.url} · s3 ${standIns.s3.endpoint}`,
    ],
    onClose: () => standIns.close(),
  });
};

main().catch((error) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
