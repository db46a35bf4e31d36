import type pg from 'pg';
import { openDatabase } from '../../src/platform/database.js';
import { newId } from '../../src/platform/ids.js';
import { type LocalPlatform, startLocalPlatform } from '../inProcess.js';
import { type DemoOutcome, driveOrder } from './driver.js';
import { generateNewRx } from './generate.js';

export type DemoReport = {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  byStatus: Record<string, number>;
  failures: string[];
};

/**
 * A scratch database (on DATABASE_URL's server or the embedded one), the platform with its
 * stand-ins, and N generated orders driven to their end at the given concurrency.
 */
export const runDemo = async (options: {
  orders: number;
  concurrency: number;
  keep?: boolean;
  onProgress?: (done: number, outcome: DemoOutcome | Error) => void;
  withPlatform?: (platform: LocalPlatform) => Promise<void>;
}): Promise<DemoReport> => {
  const server = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 2 });
  const name = `demo_${newId().toLowerCase()}`;
  await server.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.connectionString);
  url.pathname = `/${name}`;
  const platform = await startLocalPlatform({ databaseUrl: url.toString() });
  try {
    const login = await fetch(`${platform.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@pharmacy.example.org', password: platform.passwords.ops }),
    });
    const { token } = (await login.json()) as { token: string };
    const ctx = {
      url: platform.url,
      intakeKey: platform.composition.intakeApiKey,
      opsToken: token,
      standIns: platform.standIns,
    };
    const runId = newId().slice(-8).toLowerCase();
    const byStatus: Record<string, number> = {};
    const failures: string[] = [];
    let next = 0;
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.orders) }, async () => {
        while (next < options.orders) {
          const index = next++;
          try {
            const outcome = await driveOrder(ctx, generateNewRx(index, { now: new Date(), runId }));
            byStatus[outcome.finalStatus] = (byStatus[outcome.finalStatus] ?? 0) + 1;
            options.onProgress?.(++done, outcome);
          } catch (error) {
            failures.push((error as Error).message);
            byStatus.failed = (byStatus.failed ?? 0) + 1;
            options.onProgress?.(++done, error as Error);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await options.withPlatform?.(platform);
    return { orders: options.orders, seconds, ordersPerSecond: options.orders / seconds, byStatus, failures };
  } finally {
    await platform.close();
    if (!options.keep) await server.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.close();
  }
};

export type { pg };
