// `npm start`: the whole platform on this machine, with no network — embedded PostgreSQL (unless
// DATABASE_URL is set) and a local stand-in for every vendor, on fixed ports.
import { join } from 'node:path';
import { startPlatform } from '../src/app/start.js';
import { loadConfig } from '../src/platform/config.js';
import { projectRoot } from '../src/platform/paths.js';
import { LOCAL_PORTS, startStandIns } from './standIns.js';

const main = async () => {
  const standIns = await startStandIns({ dataDir: join(projectRoot, '.data'), ports: LOCAL_PORTS });
  // Explicit environment wins; the stand-ins fill in whatever vendor settings are missing.
  const config = loadConfig({ ...standIns.env, ...process.env });
  standIns.setAppUrl(`http://${config.host}:${config.port}`);
  await startPlatform(config, {
    devUsers: true,
    credentialsFile: join(projectRoot, '.data', 'dev-credentials.json'),
    banner: [
      `  mailbox        ${standIns.mailbox.httpUrl}   (every e-mail the platform sends lands here)`,
      `  stand-ins      stripe ${standIns.stripe.url} · shippo ${standIns.shippo.url} · payer ${standIns.payer.url} · s3 ${standIns.s3.endpoint}`,
    ],
    onClose: () => standIns.close(),
  });
};

main().catch((error) => {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
