import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemClock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { type Composition, composePlatform } from './compose.js';
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

/** Brings the platform up, listens, prints where everything is, and stops cleanly on SIGINT/SIGTERM. */
export const startPlatform = async (config: Config, options: StartOptions = {}): Promise<Composition> => {
  const log = (line: string) => console.error(line);
  const composition = await composePlatform({
    config,
    vendors: options.vendors ?? vendorsFromConfig(config, systemClock),
    devUsers: options.devUsers,
    log,
  });
  await composition.http.listen({ port: config.port, host: config.host });
  const accounts = options.credentialsFile
    ? await rememberCredentials(options.credentialsFile, composition.createdStaff)
    : composition.createdStaff.map((c) => ({
        roles: c.user.roles,
        email: c.user.email,
        password: c.password,
      }));
  const base = `http://${config.host}:${config.port}`;
  console.log(
    [
      '',
      `Pharmacy platform running (${composition.platform.db.embedded ? 'embedded PostgreSQL under .data/' : 'DATABASE_URL'})`,
      `  web / API      ${base}`,
      `  API docs       ${base}/docs`,
      `  intake API key ${composition.intakeApiKey}${config.generated.intakeApiKey ? '   (generated; set INTAKE_API_KEY to choose one)' : ''}`,
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
    console.log(`${signal}: shutting down`);
    await composition.close();
    await options.onClose?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return composition;
};
