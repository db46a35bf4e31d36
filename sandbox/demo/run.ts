import type pg from 'pg';
import { openDatabase } from '../../src/eventstore/postgres/database.js';
import { keepsInRange } from '../../src/integrations/shipping/chooseRate.js';
import { newId } from '../../src/platform/ids.js';
import { sampleDrugByNdc } from '../data/drugs.js';
import { type LocalPlatform, startLocalPlatform } from '../inProcess.js';
import { driveConsultation } from './consultationDriver.js';
import { type DemoOutcome, driveOrder } from './driver.js';
import { generateNewRx } from './generate.js';
import { watchOrders } from './liveWatch.js';
import { type MoneyRow, reconcileMoney } from './reconcile.js';
import { type DemoVendors, inProcessVendors, remoteVendors } from './vendors.js';

export type DemoReport = {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  /** Each order's time from intake to its final status, in milliseconds (drivers' steps included). */
  latenciesMs: number[];
  byStatus: Record<string, number>;
  /** Final status of each UK consultation, counted. */
  consultations: Record<string, number>;
  /** Every case's money, the platform's ledger beside Stripe's. */
  money: MoneyRow[];
  /**
   * Refrigerated and frozen drugs shipped, and how many of them went on a service that does not
   * keep them cold: judged from the carrier's own record of each label and the sample drug's
   * storage class, not from what the platform says about itself. Must be 0.
   */
  coldChain: { shipped: number; onAmbientService: number; byService: Record<string, number> };
  failures: string[];
  /** With `keep`: the demo's database, left on its server for a person to open. */
  keptDatabase: { name: string; url: string; embedded: boolean } | null;
  /** The running platform driven (`--target`), or null for a scratch run. */
  target: string | null;
};

/** A platform to drive: where it answers, how to sign in, and who plays the vendors. */
type Session = {
  url: string;
  intakeKey: string;
  /** Dev staff passwords by role (ops, prescriber, pharmacist). */
  passwords: Record<string, string>;
  vendors: DemoVendors;
};

const signIn = async (session: Session, role: string) => {
  const response = await fetch(`${session.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${role}@pharmacy.example.org`, password: session.passwords[role] }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`could not sign in as ${role} at ${session.url} (${response.status})`);
  return body.token;
};

type DriveOptions = {
  orders: number;
  consultations?: number;
  concurrency: number;
  /**
   * Open loop: orders start on a fixed schedule, this many a second, however many are still in
   * flight (concurrency is ignored), and each latency counts from the order's scheduled start.
   */
  ratePerSecond?: number;
  /** Follow the orders on the console's live feed (websocket) rather than polling each one. */
  followLive?: boolean;
  onProgress?: (done: number, outcome: DemoOutcome | Error) => void;
  /** Called once the platform runs, before the first order (benchmarks start their samplers). */
  onStart?: () => Promise<void>;
};

/** N generated orders, then the consultations, driven to their end through the platform's API. */
const driveAll = async (session: Session, options: DriveOptions) => {
  const token = await signIn(session, 'ops');
  const watch = options.followLive ? await watchOrders(session.url, token) : undefined;
  const ctx = {
    url: session.url,
    intakeKey: session.intakeKey,
    opsToken: token,
    vendors: session.vendors,
    ...(watch ? { watch } : {}),
  };
  const runId = newId().slice(-8).toLowerCase();
  const byStatus: Record<string, number> = {};
  const failures: string[] = [];
  const shipped: DemoOutcome[] = [];
  const latenciesMs: number[] = [];
  await options.onStart?.();
  let done = 0;
  /** One order to its end; its latency counts from `began` (performance.now() time). */
  const driveOne = async (index: number, began: number) => {
    try {
      // One order in ten is lost by the carrier and cancelled: its payment goes back.
      const scenario = index % 10 === 7 ? 'lost_then_cancelled' : 'delivered';
      const outcome = await driveOrder(ctx, generateNewRx(index, { now: new Date(), runId }), scenario);
      latenciesMs.push(performance.now() - began);
      byStatus[outcome.finalStatus] = (byStatus[outcome.finalStatus] ?? 0) + 1;
      if (outcome.trackingNumber) shipped.push(outcome);
      options.onProgress?.(++done, outcome);
    } catch (error) {
      failures.push((error as Error).message);
      byStatus.failed = (byStatus.failed ?? 0) + 1;
      options.onProgress?.(++done, error as Error);
    }
  };
  const started = performance.now();
  const rate = options.ratePerSecond;
  if (rate) {
    await Promise.all(
      Array.from({ length: options.orders }, async (_, index) => {
        const scheduled = started + (index * 1000) / rate;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, scheduled - performance.now())));
        await driveOne(index, scheduled);
      }),
    );
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, options.orders) }, async () => {
        while (next < options.orders) await driveOne(next++, performance.now());
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  watch?.close();

  const consultations: Record<string, number> = {};
  if (options.consultations) {
    const uk = {
      url: session.url,
      vendors: session.vendors,
      tokens: {
        prescriber: await signIn(session, 'prescriber'),
        pharmacist: await signIn(session, 'pharmacist'),
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
  return { seconds, byStatus, consultations, failures, shipped, latenciesMs };
};

/**
 * Drives a platform that is already running (`npm start`) through its sandbox controls, so the
 * orders appear live on its console. The books and labels stay with that platform: the money and
 * cold-chain checks, which read the stand-ins' own records, are left to the scratch run.
 */
export const runDemoAgainst = async (
  target: {
    url: string;
    intakeKey: string;
    passwords: Record<string, string>;
    /** Where the sandbox controls answer when not on the platform (stand-ins in a process of their own). */
    sandboxUrl?: string;
  },
  options: DriveOptions,
): Promise<DemoReport> => {
  const vendors = await remoteVendors(target.sandboxUrl ?? target.url);
  const run = await driveAll({ ...target, vendors }, options);
  return {
    orders: options.orders,
    seconds: run.seconds,
    ordersPerSecond: options.orders / run.seconds,
    latenciesMs: run.latenciesMs,
    byStatus: run.byStatus,
    consultations: run.consultations,
    money: [],
    coldChain: { shipped: 0, onAmbientService: 0, byService: {} },
    failures: run.failures,
    keptDatabase: null,
    target: target.url,
  };
};

/**
 * A scratch database (on DATABASE_URL's server or the embedded one), the platform with its
 * stand-ins, and N generated orders driven to their end at the given concurrency.
 */
export const runDemo = async (
  options: Omit<DriveOptions, 'onStart'> & {
    keep?: boolean;
    withPlatform?: (platform: LocalPlatform) => Promise<void>;
    /** Called once the platform runs, before the first order (benchmarks start their samplers). */
    onStart?: (platform: LocalPlatform) => Promise<void>;
    /** Poll as production does instead of the tests' quick polls. */
    productionTimings?: boolean;
    /** The server to make the scratch database on; DATABASE_URL or the embedded one by default. */
    databaseUrl?: string;
    /** Where the platform's warnings go (the demo prints them above its progress bar). */
    logStream?: NodeJS.WritableStream;
  },
): Promise<DemoReport> => {
  const server = await openDatabase({
    databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL,
    poolSize: 2,
  });
  const name = `demo_${newId().toLowerCase()}`;
  await server.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(server.connectionString);
  url.pathname = `/${name}`;
  const platform = await startLocalPlatform({
    databaseUrl: url.toString(),
    productionTimings: options.productionTimings,
    logStream: options.logStream,
  });
  try {
    const run = await driveAll(
      {
        url: platform.url,
        intakeKey: platform.composition.intakeApiKey,
        passwords: platform.passwords,
        vendors: inProcessVendors(platform.standIns),
      },
      { ...options, onStart: () => options.onStart?.(platform) ?? Promise.resolve() },
    );
    await options.withPlatform?.(platform);
    // Refunds settle through webhooks: let them land before the books are read.
    await platform.standIns.stripe.webhooksIdle();
    await platform.composition.platform.drain();
    const money = await reconcileMoney(platform.composition.platform.db.pool, platform.standIns.stripe);
    const labels = new Map(
      platform.standIns.shippo.purchases().map((label) => [label.trackingNumber, label]),
    );
    const coldChain = { shipped: 0, onAmbientService: 0, byService: {} as Record<string, number> };
    for (const outcome of run.shipped) {
      const storageClass = sampleDrugByNdc(outcome.ndc11)?.storageClass;
      const label = labels.get(outcome.trackingNumber!);
      if (!storageClass || storageClass === 'ambient' || !label) continue;
      coldChain.shipped++;
      coldChain.byService[label.serviceLevel] = (coldChain.byService[label.serviceLevel] ?? 0) + 1;
      if (!keepsInRange(label.serviceLevel, storageClass)) coldChain.onAmbientService++;
    }
    return {
      orders: options.orders,
      seconds: run.seconds,
      ordersPerSecond: options.orders / run.seconds,
      latenciesMs: run.latenciesMs,
      byStatus: run.byStatus,
      consultations: run.consultations,
      money,
      coldChain,
      failures: run.failures,
      keptDatabase: options.keep ? { name, url: url.toString(), embedded: server.embedded } : null,
      target: null,
    };
  } finally {
    await platform.close();
    if (!options.keep) await server.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.close();
  }
};

export type { pg };
