import type { Config } from '../platform/config.js';
import { openPlatform } from '../platform/platform.js';
import { allProjections } from '../projections/index.js';

/** Brings the platform up and keeps it running until SIGINT/SIGTERM. */
export const startPlatform = async (config: Config) => {
  const platform = await openPlatform({
    databaseUrl: config.databaseUrl,
    log: (line) => console.error(line),
  });
  platform.run({ projections: allProjections(), processes: [] });
  console.log(
    `platform running (${platform.db.embedded ? 'embedded PostgreSQL under .data/' : 'DATABASE_URL'})`,
  );
  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return platform;
};
