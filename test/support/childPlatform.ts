import { type ChildProcess, spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../sandbox/inProcess.js';
import { RESTART_TOLERANT_RETRIES, type StandIns, startStandIns } from '../../sandbox/standIns.js';
import { projectRoot } from '../../src/platform/paths.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One platform process on `env`, answering at `url`; `healthy` settles once it answers (or fails). */
const startChild = async (env: Record<string, string>, url: string) => {
  const started = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'test', 'support', 'platformChild.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  started.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) =>
    started.once('exit', (code, signal) => {
      // A platform that ends by itself (not by the test's SIGKILL) leaves its last words here.
      if (signal !== 'SIGKILL') {
        void mkdir(join(projectRoot, 'test-artifacts'), { recursive: true })
          .then(() =>
            appendFile(
              join(projectRoot, 'test-artifacts', 'platform-exits.log'),
              `${new Date().toISOString()} exit ${code} ${signal}\n${stderr}\n`,
            ),
          )
          .catch(() => {});
      }
      resolve();
    }),
  );
  const healthy = (async () => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${url}/api/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the platform did not start: ${stderr}`);
      }
      await sleep(100);
    }
  })();
  return { child: started, exited, healthy };
};

export type KillablePlatform = {
  url: string;
  intakeKey: string;
  db: TestDatabase;
  standIns: StandIns;
  /** Starts the platform process and waits until it answers. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook, no flush, no goodbye. */
  kill(): Promise<void>;
  /** A bearer token for the dev account of a role. */
  tokenFor(role: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * The platform in a process of its own (test/support/platformChild.ts, the `cli start` path),
 * beside a fresh database and the vendor stand-ins, which live on in this process when the platform
 * is killed: what crash tests kill and restart.
 */
export const killablePlatform = async (env: Record<string, string> = {}): Promise<KillablePlatform> => {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-killable-'));
  const standIns = await startStandIns({ dataDir, webhookRetryDelaysMs: RESTART_TOLERANT_RETRIES });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  standIns.setAppUrl(url);
  const credentialsFile = join(dataDir, 'credentials.json');
  const intakeKey = 'killable-platform-intake-key-0123456789';
  const childEnv = {
    ...standIns.env,
    DATABASE_URL: db.connectionString,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INTAKE_API_KEY: intakeKey,
    ADMIN_PASSWORD: 'admin-password-for-crash-runs',
    // Tracking is polled every 3 s, so a scan pushed while the platform was down is still read.
    TRACKING_POLL_MINUTES: '0.05',
    CREDENTIALS_FILE: credentialsFile,
    ...env,
  };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const kill = async () => {
    child?.kill('SIGKILL');
    await exited;
  };

  return {
    url,
    intakeKey,
    db,
    standIns,
    async start() {
      const started = await startChild(childEnv, url);
      child = started.child;
      exited = started.exited;
      await started.healthy;
    },
    kill,
    async tokenFor(role) {
      // The platform answers before it has written the dev accounts down: wait for the file.
      const deadline = Date.now() + 60_000;
      type Account = { roles: string[]; email: string; password: string };
      let accounts: Account[] | null = null;
      while (accounts === null) {
        // Read until whole: the file may be caught half-written.
        accounts = await readFile(credentialsFile, 'utf8')
          .then((text) => JSON.parse(text) as Account[])
          .catch(() => null);
        if (accounts === null && Date.now() > deadline) throw new Error('the platform wrote no dev accounts');
        if (accounts === null) await sleep(100);
      }
      const account = accounts.find((a) => a.roles.includes(role));
      if (!account) throw new Error(`no dev account for ${role}`);
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: account.password }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    async close() {
      await kill();
      await standIns.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export type ClusterInstance = {
  url: string;
  /** The process id while it runs (a lease's holder is named `<host>:<pid>`). */
  pid(): number | undefined;
  start(): Promise<void>;
  kill(): Promise<void>;
};

export type KillableCluster = {
  instances: ClusterInstance[];
  intakeKey: string;
  db: TestDatabase;
  standIns: StandIns;
  /** A bearer token for the dev account of a role, signed in at `url`. */
  tokenFor(role: string, url: string): Promise<string>;
  close(): Promise<void>;
};

/**
 * Several platform processes on one database, each on its own port, with one set of vendor
 * stand-ins (their webhooks go to the first instance unless the test says otherwise).
 */
export const killableCluster = async (
  count: number,
  env: Record<string, string> = {},
): Promise<KillableCluster> => {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'pharmacy-cluster-'));
  const standIns = await startStandIns({ dataDir, webhookRetryDelaysMs: RESTART_TOLERANT_RETRIES });
  const intakeKey = 'killable-platform-intake-key-0123456789';
  const instances: (ClusterInstance & { credentialsFile: string })[] = [];
  for (let index = 0; index < count; index++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const credentialsFile = join(dataDir, `credentials-${index}.json`);
    const childEnv = {
      ...standIns.env,
      DATABASE_URL: db.connectionString,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INTAKE_API_KEY: intakeKey,
      ADMIN_PASSWORD: 'admin-password-for-crash-runs',
      TRACKING_POLL_MINUTES: '0.05',
      CREDENTIALS_FILE: credentialsFile,
      ...env,
    };
    let child: ChildProcess | undefined;
    let exited: Promise<void> = Promise.resolve();
    instances.push({
      url,
      credentialsFile,
      pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
      async start() {
        const started = await startChild(childEnv, url);
        child = started.child;
        exited = started.exited;
        await started.healthy;
      },
      async kill() {
        child?.kill('SIGKILL');
        await exited;
      },
    });
  }
  standIns.setAppUrl(instances[0]!.url);
  return {
    instances,
    intakeKey,
    db,
    standIns,
    async tokenFor(role, url) {
      // The instance that created the dev accounts wrote them down.
      type Account = { roles: string[]; email: string; password: string };
      const deadline = Date.now() + 60_000;
      for (;;) {
        for (const instance of instances) {
          const accounts = await readFile(instance.credentialsFile, 'utf8')
            .then((text) => JSON.parse(text) as Account[])
            .catch(() => null);
          const account = accounts?.find((a) => a.roles.includes(role));
          if (account) {
            const response = await fetch(`${url}/api/auth/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: account.email, password: account.password }),
            });
            return ((await response.json()) as { token: string }).token;
          }
        }
        if (Date.now() > deadline) throw new Error('no instance wrote the dev accounts');
        await sleep(100);
      }
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.kill()));
      await standIns.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
