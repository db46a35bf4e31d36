import type pg from 'pg';
import { migrate } from '../src/eventstore/postgres/migrate.js';
import { createPool, type Database, openDatabase } from '../src/platform/database.js';
import { newId } from '../src/platform/ids.js';

/** A scratch database on DATABASE_URL's server, or on the embedded one, dropped afterwards. */
export const benchDatabase = async (): Promise<{
  pool: pg.Pool;
  connectionString: string;
  close(): Promise<void>;
}> => {
  const server: Database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 2 });
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
