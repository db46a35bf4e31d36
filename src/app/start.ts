import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Clock, systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { startTracing } from '../platform/tracing.js';
import { EMPTY_NETWORK_MESSAGE } from '../processes/prescription/routing.js';
import { activePharmacyCount } from '../projections/pharmacyQueries.js';
import { mongoHostsOf } from '../readmodels/mongodb/mongoReadModels.js';
import {
  type ComposeOptions,
  type Composition,
  composePlatform,
  openReadModelsOf,
  type SeedContext,
} from './compose.js';
import { assertPlatformRunsOn } from './eventStoreChoice.js';
import { shutdownAwareStream } from './shutdownLog.js';
import { type Vendors, vendorsFromConfig } from './vendors.js';

export type StartOptions = {
  /** Vendors to use instead of the configured live ones (the local launcher passes stand-in-backed ones). */
  vendors?: Vendors;
  devUsers?: boolean;
  /** Extra lines printed under the URLs (stand-ins, mailbox). */
  banner?: string[];
  /** Where a local install keeps the dev accounts' passwords to print them again on later starts. */
  credentialsFile?: string;
  onClose?: () => Promise<void>;
  /** Where the log goes (stdout JSON unless given), and whether each request gets a line. */
  logStream?: NodeJS.WritableStream;
  requestLogs?: boolean;
  /** Sample reference data for a local install (never in production). */
  seed?: (context: SeedContext) => Promise<void>;
  /** Platform time; the wall clock unless a local install moves it (the sandbox clock). */
  clock?: Clock;
  /** Extra routes on the platform's server (the sandbox controls under `npm start`; never in production). */
  extendHttp?: ComposeOptions['extendHttp'];
};

type Account = { roles: readonly string[]; email: string; password: string };

/** Dev installs only: merges newly created accounts into a 0600 file under .data/ and returns them all. */
const rememberCredentials = async (
  file: string,
  created: Composition['createdStaff'],
): Promise<Account[]> => {
  const known: Account[] = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Account[])
    .catch(() => []);
  const fresh = created.map((c) => ({ roles: c.user.roles, email: c.user.email, password: c.password }));
  const all = [...known.filter((k) => !fresh.some((f) => f.email === k.email)), ...fresh];
  if (fresh.length > 0) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }
  return all;
};

/**
 * Dev installs only: the intake key generated on first start is kept beside the dev accounts (0600)
 * so later starts can print it again; the database holds only its hash.
 */
const rememberIntakeKey = async (file: string, composition: Composition): Promise<string | null> => {
  const keyFile = join(dirname(file), 'dev-intake-key');
  if (composition.intakeApiKeyGenerated) {
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, composition.intakeApiKey, { mode: 0o600 });
    return composition.intakeApiKey;
  }
  return composition.intakeApiKey || (await readFile(keyFile, 'utf8').catch(() => null));
};

/** Brings the platform up, listens, prints where everything is, and stops cleanly on SIGINT/SIGTERM. */
export const startPlatform = async (config: Config, options: StartOptions = {}): Promise<Composition> => {
  assertPlatformRunsOn(config.eventStore);
  // The servers the configuration names are asked before any vendor or database is opened.
  const mongoReadModels = (await openReadModelsOf(config)) ?? undefined;
  const { stream: logStream, stopping } = shutdownAwareStream(options.logStream ?? process.stdout);
  const tracing = config.tracesEndpoint ? startTracing({ otlpUrl: config.tracesEndpoint }) : null;
  let composition: Composition;
  try {
    composition = await composePlatform({
      config,
      mongoReadModels,
      vendors: options.vendors ?? vendorsFromConfig(config, options.clock ?? systemClock),
      clock: options.clock,
      devUsers: options.devUsers,
      seed: options.seed,
      logStream,
      requestLogs: options.requestLogs,
      extendHttp: options.extendHttp,
    });
  } catch (error) {
    // Whatever refused the start (a vendor's settings, the database), the read models' connection goes too.
    await mongoReadModels?.close();
    throw error;
  }
  await composition.http.listen({ port: config.port, host: config.host });
  // Imported pharmacies reach the read model within moments of starting; look once they have.
  await composition.platform.drain(10_000).catch(() => {});
  const pharmacies = await activePharmacyCount(composition.platform.db.pool);
  const accounts = options.credentialsFile
    ? await rememberCredentials(options.credentialsFile, composition.createdStaff)
    : composition.createdStaff.map((c) => ({
        roles: c.user.roles,
        email: c.user.email,
        password: c.password,
      }));
  const intakeKey = options.credentialsFile
    ? await rememberIntakeKey(options.credentialsFile, composition)
    : composition.intakeApiKey || null;
  const base = `http://${config.host}:${config.port}`;
  console.log(
    [
      '',
      `Pharmacy platform running (${composition.platform.db.embedded ? 'embedded PostgreSQL under .data/' : 'DATABASE_URL'})`,
      `  web / API      ${base}`,
      `  API docs       ${base}/docs`,
      ...(config.readModels.kind === 'mongodb'
        ? [
            `  read models    dashboards in MongoDB at ${mongoHostsOf(config.readModels.url)}/${config.readModels.database}`,
          ]
        : []),
      `  intake API key ${composition.intakeApiKey}${config.generated.intakeApiKey ? '   (generated; set INTAKE_API_KEY to choose one)' : ''}`,
      pharmacies > 0
        ? `  pharmacies     ${pharmacies} active in the network`
        : `  pharmacies     NONE — orders will wait in awaiting_routing. ${EMPTY_NETWORK_MESSAGE}`,
      intakeKey
        ? `  intake API key ${intakeKey}${composition.intakeApiKeyGenerated ? '   (generated; only its hash is stored: set INTAKE_API_KEY or issue named keys as admin)' : ''}`
        : '  intake API keys kept hashed; an admin issues and revokes them (POST /api/admin/intake-keys)',
      ...(options.banner ?? []),
      ...(options.credentialsFile && accounts.length
        ? [`  dev staff accounts (kept in ${options.credentialsFile}):`]
        : accounts.length
          ? ['  staff accounts created now (passwords are shown once):']
          : ['  staff accounts already exist (passwords were printed when they were created)']),
      ...accounts.map((a) => `    ${a.roles.join(',').padEnd(11)} ${a.email}  ${a.password}`),
      '',
    ].join('\n'),
  );
  const shutdown = async (signal: string) => {
    stopping();
    console.log(`${signal}: shutting down`);
    await composition.close();
    await tracing?.shutdown();
    await options.onClose?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return composition;
};
