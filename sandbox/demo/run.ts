import type pg from 'pg';
import { openDatabase } from '../../src/platform/database.js';
import { newId } from '../../src/platform/ids.js';
import { type LocalPlatform, startLocalPlatform } from '../inProcess.js';
import { driveConsultation } from './consultationDriver.js';
import { type DemoOutcome, driveOrder } from './driver.js';
import { generateNewRx } from './generate.js';

export type DemoReport = {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  byStatus: Record<string, number>;
  /** Final status of each UK consultation, counted. */
  consultations: Record<string, number>;
  failures: string[];
};

/**
 * A scratch database (on DATABASE_URL's server or the embedded one), the platform with its
 * stand-ins, and N generated orders driven to their end at the given concurrency.
 */
export const runDemo = async (options: {
  orders: number;
  /** UK consultations driven beside the US orders (POM and P, one-off). */
  consultations?: number;
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
    const signIn = async (role: string) => {
      const response = await fetch(`${platform.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${role}@pharmacy.example.org`, password: platform.passwords[role] }),
      });
      return ((await response.json()) as { token: string }).token;
    };
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

    const consultations: Record<string, number> = {};
    if (options.consultations) {
      const uk = {
        url: platform.url,
        standIns: platform.standIns,
        tokens: {
          prescriber: await signIn('prescriber'),
          pharmacist: await signIn('pharmacist'),
          ops: token,
        },
      };
      await Promise.all(
        Array.from({ length: options.consultations }, async (_, index) => {
          try {
            const outcome = await driveConsultation(uk, index, runId);
            consultations[outcome.finalStatus] = (consultations[outcome.finalStatus] ?? 0) + 1;
          } catch (error) {
            failures.push(`consultation: ${(error as Error).message}`);
            consultations.failed = (consultations.failed ?? 0) + 1;
          }
        }),
      );
    }
    await options.withPlatform?.(platform);
    return {
      orders: options.orders,
      seconds,
      ordersPerSecond: options.orders / seconds,
      byStatus,
      consultations,
      failures,
    };
  } finally {
    await platform.close();
    if (!options.keep) await server.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.close();
  }
};

export type { pg };
