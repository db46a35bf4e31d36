// The platform as `npm start` runs it (the `cli start` path with the sandbox's sample data), in a process of its own, configured entirely by
// the environment the parent gives it: the crash test kills and restarts this process.
import { seedSandboxReferenceData } from '../../sandbox/referenceData.js';
import { startPlatform } from '../../src/app/start.js';
import { loadConfig } from '../../src/platform/config.js';

const config = loadConfig(process.env);
// The sandbox's sample drugs and pharmacies, as `npm start` loads them (production loads none).
await startPlatform(config, {
  devUsers: true,
  credentialsFile: process.env.CREDENTIALS_FILE,
  seed: seedSandboxReferenceData,
});
