import { join } from 'node:path';
import { createPool, type Database, openDatabase } from '../src/eventstore/postgres/database.js';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { newId } from '../src/platform/ids.js';
import { projectRoot } from '../src/platform/paths.js';
import type { SqlPool } from '../src/platform/sql.js';

/** A scratch database on DATABASE_URL's server, or on the embedded one, dropped afterwards. */
export const benchDatabase = async (): Promise<{
  pool: SqlPool;
  connectionString: string;
  close(): Promise<void>;
}> => {
  const server: Database = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    poolSize: 2,
    // A port of the bench's own when embedded: another copy of the platform may hold the default.
    embeddedPort: Number(process.env.BENCH_EMBEDDED_PG_PORT ?? 54339),
    dataDir: join(projectRoot, '.data', 'bench-postgres'),
  });
  const name = `bench_${newId().toLowerCase()}`;
  await server.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.connectionString);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  const pool = createPool(connectionString, { poolSize: 12 });
  await migrate(pool);
  return {
    pool,
    connectionString,
    async close() {
      await pool.end();
      await server.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.close();
    },
  };
};

/** Runs `operation` from `workers` concurrent loops for `seconds`; returns operations per second. */
export const throughput = async (
  workers: number,
  seconds: number,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<number> => {
  const deadline = performance.now() + seconds * 1000;
  const counts = await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      let done = 0;
      while (performance.now() < deadline) {
        await operation(worker, done);
        done += 1;
      }
      return done;
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  return total / seconds;
};

/** Latency percentiles in milliseconds. */
export const percentile = (sortedMs: readonly number[], p: number) =>
  sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? 0;

export const row = (label: string, value: string, anchorLabel: string, anchor: string, ratio: number) =>
  `${label.padEnd(44)} ${value.padStart(12)}   ${anchorLabel.padEnd(34)} ${anchor.padStart(12)}   ${(ratio * 100).toFixed(0).padStart(4)} %`;

export const fmt = (n: number, unit: string) => `${Math.round(n).toLocaleString('en-US')} ${unit}`;

/** The machine's load while a figure was taken: benchmarks on a shared machine are noisy. */
export const machineLoad = async () => {
  const { cpus, loadavg } = await import('node:os');
  const [one, five] = loadavg();
  return `load ${one!.toFixed(2)} (1 min) ${five!.toFixed(2)} (5 min) on ${cpus().length} cores`;
};

export const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * CPU milliseconds the PostgreSQL server has used so far: the postmaster, its live backends and
 * (through the postmaster's children counters) the backends that have exited. Read from /proc, so
 * only for a server on this machine; undefined otherwise.
 */
/**
 * Transactions committed or rolled back in one database so far, from pg_stat_database. Backends
 * report theirs at most once a second while busy (within 10 s when idle): read it a second or so
 * after the work, and treat it as the server's count of that work to within a few percent.
 */
export const postgresTransactions = async (pool: SqlPool, database: string): Promise<number> => {
  await pool.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pool.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return Number(rows[0]?.n ?? 0);
};

export const postgresCpuMs = async (pool: SqlPool): Promise<number | undefined> => {
  const { readFile, readdir } = await import('node:fs/promises');
  try {
    const dir = (await pool.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
    const postmaster = Number((await readFile(`${dir}/postmaster.pid`, 'utf8')).split('\n')[0]);
    const ticks = 100; // USER_HZ on Linux
    const stat = async (pid: string) => {
      const text = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // fields[1] = ppid; [11] utime, [12] stime, [13] cutime, [14] cstime (0-based after the name)
      return { ppid: Number(fields[1]), cpu: fields.slice(11, 15).map(Number) };
    };
    let total = 0;
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const s = await stat(pid).catch(() => undefined);
      if (!s) continue;
      if (Number(pid) === postmaster) total += s.cpu.reduce((a, b) => a + b, 0);
      else if (s.ppid === postmaster) total += s.cpu[0]! + s.cpu[1]!;
    }
    return (total / ticks) * 1000;
  } catch {
    return undefined;
  }
};

/**
 * Lets the server finish what the previous part left it (a checkpoint of its writes, autovacuum of
 * the tables it filled) before the next part measures: after the catch-up part's 200,000 events the
 * anchor's synchronous commits waited behind that work, and its figure fell to a third.
 * Returns the seconds it took.
 */
export const settleServer = async (pool: SqlPool, timeoutMs = 120_000): Promise<number> => {
  const started = performance.now();
  await pool.query('CHECKPOINT').catch(() => {}); // not the owner on a DATABASE_URL server: skip
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'",
    );
    if (rows[0]!.n === 0 || performance.now() - started > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return (performance.now() - started) / 1000;
};
