// The demo path end to end with each party in a process of its own: the vendor stand-ins
// (bench/e2e/standIns.ts), the platform (bench/e2e/platform.ts) and the drivers — NewRx sender,
// ops team, patients — (bench/e2e/drivers.ts). CPU is read from /proc for the platform's and the
// stand-ins' processes and PostgreSQL's, so the platform's figure holds nothing but the platform.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoReport } from '../sandbox/demo/run.js';
import { freePort } from '../sandbox/inProcess.js';
import { createPool } from '../src/eventstore/postgres/database.js';
import { newId } from '../src/platform/ids.js';
import { projectRoot } from '../src/platform/paths.js';
import type { SqlPool } from '../src/platform/sql.js';
import type { DriversJob } from './e2e/drivers.js';
import type { PlatformReady } from './e2e/platform.js';
import type { StandInsReady } from './e2e/standIns.js';
import { machineLoad, percentile, postgresCpuMs, postgresTransactions } from './support.js';

type Running<T> = { pid: number; ready: T; stop(): Promise<void> };

const entry = (name: string) => join(projectRoot, 'bench', 'e2e', `${name}.ts`);

/** Starts a bench process and waits for the JSON line it prints once it serves; it runs until stopped. */
const startProcess = <T>(name: string, env: Record<string, string>, nodeArgs: string[] = []) =>
  new Promise<Running<T>>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry(name)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const early = (code: number | null) => reject(new Error(`${name} exited ${code} before it was ready`));
    child.once('exit', early);
    child.stdout.on('data', function onData(chunk) {
      out += chunk;
      if (!out.includes('\n')) return;
      child.stdout.off('data', onData);
      child.off('exit', early);
      resolve({ pid: child.pid!, ready: JSON.parse(out.split('\n')[0]!) as T, stop: () => stop(child) });
    });
  });

/** SIGTERM and wait for a clean exit (the platform writes its CPU profile then); SIGKILL after 30 s. */
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Runs the drivers to the end of their job; their report is the last line they print. */
const drive = (job: DriversJob) =>
  new Promise<DemoReport>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry('drivers')], {
      env: { ...process.env, DRIVERS_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as DemoReport)
        : reject(new Error(`drivers exited ${code}`)),
    );
  });

/** CPU milliseconds (user + system, all threads) a live process has used, from /proc/<pid>/stat. */
const processCpuMs = async (pid: number) => {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  // After "pid (comm) ": [11] utime, [12] stime, in USER_HZ (100 a second on Linux).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000;
};

/** How far the orders read model trails the order events, in ms: 0 when it holds them all. */
const ordersLagMs = async (pool: SqlPool) => {
  const { rows } = await pool.query<{ lag: number | null }>(
    `SELECT extract(epoch FROM clock_timestamp() - min(e.recorded_at)) * 1000 AS lag
       FROM events e JOIN subscription_checkpoints c ON c.subscription_id = 'projection:orders'
      WHERE e.category = 'order' AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)`,
  );
  return Number(rows[0]?.lag ?? 0);
};

/** The lag sampled every 50 ms until the returned function is called; it returns the samples. */
const sampleLag = (pool: SqlPool) => {
  const lags: number[] = [];
  let running = true;
  const sampling = (async () => {
    while (running) {
      lags.push(await ordersLagMs(pool));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await sampling;
    return lags.sort((a, b) => a - b);
  };
};

/**
 * The platform's own counters from /metrics: HTTP requests by method and route template, and
 * committed appends by stream category.
 */
const scrapeCounters = async (url: string, token: string) => {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const counters = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^(http_request_duration_seconds_count|eventstore_appends_total)\{([^}]*)\} (\S+)$/.exec(
      line,
    );
    if (!match) continue;
    const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key =
      match[1] === 'eventstore_appends_total'
        ? `append ${labels.category}`
        : `${labels.method} ${labels.route}`;
    counters.set(key, (counters.get(key) ?? 0) + Number(match[3]));
  }
  return counters;
};

/** What one order cost in requests and appends, the largest first: "41 requests (GET /a 30, …)". */
const perOrderCounts = (before: Map<string, number>, after: Map<string, number>, orders: number) => {
  const delta = [...after].map(([key, n]) => [key, (n - (before.get(key) ?? 0)) / orders] as const);
  const summary = (kind: 'requests' | 'appends') => {
    const rows = delta
      .filter(([key, n]) => (kind === 'appends') === key.startsWith('append ') && n > 0)
      .map(([key, n]) => [key.replace(/^append /, ''), n] as const)
      .sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((sum, [, n]) => sum + n, 0);
    const top = rows.slice(0, 4).map(([key, n]) => `${key} ${n.toFixed(1)}`);
    return `${total.toFixed(1)} ${kind} (${top.join(', ')}${rows.length > 4 ? ', …' : ''})`;
  };
  return `${summary('requests')}; ${summary('appends')}`;
};

type Stage = { stage: string; n: number; p50: number; p99: number };

/** Each stage as the time from the order's intake to the first event of that type in its stream. */
const stagesOf = async (pool: SqlPool) =>
  (
    await pool.query<Stage>(
      `WITH firsts AS (
         SELECT stream_name, event_type, min(recorded_at) AS at FROM events WHERE category = 'order' GROUP BY 1, 2
       ), since AS (
         SELECT f.event_type, extract(epoch FROM f.at - r.at) * 1000 AS ms
           FROM firsts f JOIN firsts r ON r.stream_name = f.stream_name AND r.event_type = 'PrescriptionReceived'
       )
       SELECT event_type AS stage, count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
         FROM since WHERE event_type <> 'PrescriptionReceived' GROUP BY event_type ORDER BY p50`,
    )
  ).rows;

/** The idle window; an idle backend flushes its transaction counters within 10 s, so it waits that first. */
const IDLE_WINDOW_MS = 12_000;
const IDLE_FLUSH_MS = 11_000;

/**
 * What a quiet stretch costs: cores used by each process asked about and by PostgreSQL, and the
 * transactions committed in the database, over IDLE_WINDOW_MS.
 */
const idleWindow = async (
  owner: SqlPool,
  database: string,
  processes: () => Promise<number>,
): Promise<{ cores: number; postgresCores: number | undefined; perSecond: number }> => {
  await new Promise((resolve) => setTimeout(resolve, IDLE_FLUSH_MS));
  const transactions = await postgresTransactions(owner, database);
  const cpu = await processes();
  const postgres = await postgresCpuMs(owner);
  await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
  const postgresAfter = await postgresCpuMs(owner);
  const cpuAfter = await processes();
  // The owner's pool reads the counters from another database: its reads are not counted here.
  const committed = (await postgresTransactions(owner, database)) - transactions;
  return {
    cores: (cpuAfter - cpu) / IDLE_WINDOW_MS,
    postgresCores:
      postgres === undefined || postgresAfter === undefined
        ? undefined
        : (postgresAfter - postgres) / IDLE_WINDOW_MS,
    perSecond: committed / (IDLE_WINDOW_MS / 1000),
  };
};

/** Waits (up to 30 s) until the orders read model holds every order event, between two runs. */
const settle = async (pool: SqlPool) => {
  const deadline = Date.now() + 30_000;
  while ((await ordersLagMs(pool)) > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
};

export type EndToEndOptions = {
  orders: number;
  concurrency: number;
  /** The open-loop run's fixed rate, orders a second; 0 leaves it out. */
  openRate: number;
  openOrders: number;
  /** With a directory: `node --cpu-prof` on the platform's process, its profile written there. */
  cpuProfileDir?: string;
  /**
   * Platform processes on the one database (default 1): they share the consumers' work through
   * their leases; the drivers and the stand-ins' webhooks reach the first.
   */
  instances?: number;
};

/**
 * The demo path end to end on a scratch database of the owner's server: a closed loop of
 * `concurrency` orders in flight, then an open loop at `openRate` orders a second, against one
 * platform. Reports orders/s, order latency, CPU per order by process, stages and projection lag.
 */
export const benchEndToEnd = async (
  /** An owner's pool on the server: makes the scratch database and reads PostgreSQL's CPU. */
  owner: SqlPool,
  serverUrl: string,
  options: EndToEndOptions,
): Promise<string[]> => {
  const name = `e2e_${newId().toLowerCase()}`;
  await owner.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const instances = Math.max(1, options.instances ?? 1);
  const ports: number[] = [];
  for (let index = 0; index < instances; index++) ports.push(await freePort());
  const [port] = ports as [number];
  const started: Running<unknown>[] = [];
  const pool = createPool(databaseUrl, { poolSize: 2 });
  try {
    const standIns = await startProcess<StandInsReady>('standIns', {
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
    });
    started.push(standIns);
    const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const metricsToken = randomBytes(32).toString('base64url');
    const keys = {
      audit: randomBytes(32).toString('base64url'),
      secrets: randomBytes(32).toString('base64url'),
    };
    // One after another: the first creates the staff and the sample data the others find.
    const platforms: Running<PlatformReady>[] = [];
    for (const [index, instancePort] of ports.entries()) {
      const instance = await startProcess<PlatformReady>(
        'platform',
        {
          STAND_INS_ENV: JSON.stringify(standIns.ready.env),
          DATABASE_URL: databaseUrl,
          PORT: String(instancePort),
          METRICS_TOKEN: metricsToken,
          AUDIT_HMAC_KEY: keys.audit,
          SECRETS_KEY: keys.secrets,
        },
        index === 0 ? profile : [],
      );
      started.push(instance);
      platforms.push(instance);
    }
    const [platform] = platforms as [Running<PlatformReady>];
    const counters = async () => {
      const all = new Map<string, number>();
      for (const instance of platforms)
        for (const [key, n] of await scrapeCounters(instance.ready.url, metricsToken))
          all.set(key, (all.get(key) ?? 0) + n);
      return all;
    };
    const platformCpuMs = async () => {
      let sum = 0;
      for (const instance of platforms) sum += await processCpuMs(instance.pid);
      return sum;
    };

    /** One drivers' run, with the CPU each process used meanwhile and the lag sampled throughout. */
    const measure = async (job: Pick<DriversJob, 'orders' | 'concurrency' | 'ratePerSecond'>) => {
      // The scrapes fall outside the CPU readings: the counters' cost is not the orders'.
      const countersBefore = await counters();
      const cpu = async () => ({
        platform: await platformCpuMs(),
        standIns: await processCpuMs(standIns.pid),
        postgres: await postgresCpuMs(owner),
      });
      const settled = () => new Promise((resolve) => setTimeout(resolve, 1_200));
      await settled();
      const transactionsBefore = await postgresTransactions(owner, name);
      const before = await cpu();
      const stopSampling = sampleLag(pool);
      const report = await drive({ ...platform.ready, sandboxUrl: standIns.ready.controlsUrl, ...job });
      const lags = await stopSampling();
      const after = await cpu();
      await settled();
      // Each lag sample is one transaction of the bench's own on the same database: not the platform's.
      const transactions = (await postgresTransactions(owner, name)) - transactionsBefore - lags.length;
      const countersAfter = await counters();
      const perOrder = (ms: number) => `${(ms / job.orders).toFixed(1)} ms`;
      return {
        report,
        lags,
        cpu: [
          `platform ${perOrder(after.platform - before.platform)}`,
          `stand-ins ${perOrder(after.standIns - before.standIns)}`,
          `PostgreSQL ${before.postgres === undefined || after.postgres === undefined ? 'n/a' : perOrder(after.postgres - before.postgres)}`,
        ].join(' + '),
        counts: perOrderCounts(countersBefore, countersAfter, job.orders),
        transactions: `${(transactions / job.orders).toFixed(1)} PostgreSQL transactions (platform and stand-ins, from pg_stat_database, the bench's lag samples taken out)`,
      };
    };
    const latencyLine = (report: DemoReport, from: string) => {
      const sorted = [...report.latenciesMs].sort((a, b) => a - b);
      return `  order latency p50 / p99: ${percentile(sorted, 50).toFixed(0)} ms / ${percentile(sorted, 99).toFixed(0)} ms (${from} to last status, patient steps included)`;
    };
    const lagLine = (lags: number[], target: string) =>
      `  orders projection lag p50 / p99: ${percentile(lags, 50).toFixed(0)} ms / ${percentile(lags, 99).toFixed(0)} ms (${lags.length} samples)${target}`;
    const outcome = (report: DemoReport) =>
      Object.entries(report.byStatus)
        .map(([status, n]) => `${n} ${status}`)
        .join(', ');

    const lines = [
      `end to end: ${instances === 1 ? 'one platform process' : `${instances} platform processes on one database (CPU is their sum)`}; ${await machineLoad()} (before)`,
    ];
    const closed = await measure({ orders: options.orders, concurrency: options.concurrency });
    const stages = await stagesOf(pool);
    lines.push(
      `e2e closed loop (${options.orders} orders, ${options.concurrency} at once)`.padEnd(44) +
        ` ${`${closed.report.ordersPerSecond.toFixed(2)} orders/s`.padStart(12)}   ${outcome(closed.report)}`,
      latencyLine(closed.report, 'intake'),
      `  CPU per order: ${closed.cpu} (drivers in a process of their own, not counted)`,
      `  per order: ${closed.counts}; ${closed.transactions}`,
      '  order latency by stage, from PrescriptionReceived to the first event of each type (p50 / p99, orders):',
      ...stages.map(
        (s) =>
          `    ${s.stage.padEnd(36)} ${Number(s.p50).toFixed(0).padStart(7)} ms / ${Number(s.p99).toFixed(0).padStart(7)} ms  (${s.n})`,
      ),
      lagLine(closed.lags, ''),
    );
    for (const failure of closed.report.failures.slice(0, 3)) lines.push(`  failure: ${failure}`);
    if (options.openRate > 0) {
      await settle(pool);
      lines.push(`end to end: ${await machineLoad()} (before the open loop)`);
      const open = await measure({
        orders: options.openOrders,
        concurrency: options.openOrders,
        ratePerSecond: options.openRate,
      });
      lines.push(
        `e2e open loop ${options.openRate} orders/s (${options.openOrders} orders)`.padEnd(44) +
          ` ${`${open.report.ordersPerSecond.toFixed(2)} orders/s`.padStart(12)}   ${outcome(open.report)}`,
        latencyLine(open.report, 'scheduled start'),
        `  CPU per order: ${open.cpu}`,
        `  per order: ${open.counts}; ${open.transactions}`,
        lagLine(open.lags, ' (target p99 < 100 ms)'),
      );
      for (const failure of open.report.failures.slice(0, 3)) lines.push(`  failure: ${failure}`);
    }
    lines.push(`end to end: ${await machineLoad()} (after)`);
    await settle(pool);
    const idle = await idleWindow(owner, name, platformCpuMs);
    // Its anchor: the same server with nothing of ours running, over the same window, once the
    // platform and the stand-ins have stopped. Measured last: taken before the runs, it left them
    // about 6 % slower on this machine (four alternating rounds against the bench without it).
    for (const running of started.splice(0).reverse()) await running.stop();
    const serverAlone = await idleWindow(owner, name, async () => 0);
    const cores = (n: number | undefined) => (n === undefined ? 'n/a' : `${n.toFixed(3)} cores`);
    lines.push(
      `idle platform, ${IDLE_WINDOW_MS / 1000} s after the runs (target < 0.05 cores)`.padEnd(44) +
        ` ${cores(idle.cores).padStart(12)}   PostgreSQL ${cores(idle.postgresCores)} (the server alone, once the platform stopped: ${cores(serverAlone.postgresCores)})`,
      `  transactions: ${idle.perSecond.toFixed(1)}/s in the platform's database (target < 20/s; once the platform stopped: ${serverAlone.perSecond.toFixed(1)}/s); stand-ins not counted`,
    );
    return lines;
  } finally {
    await pool.end();
    for (const running of started.reverse()) await running.stop();
    await owner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
};
