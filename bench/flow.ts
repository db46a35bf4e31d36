import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Fastify from 'fastify';
import type pg from 'pg';
import { generateNewRx } from '../sandbox/demo/generate.js';
import { runDemo } from '../sandbox/demo/run.js';
import { startLocalPlatform } from '../sandbox/inProcess.js';
import { newId } from '../src/platform/ids.js';
import { projectRoot } from '../src/platform/paths.js';
import type { LoadJob, LoadResult } from './loadgen.js';
import { fmt, machineLoad, median, percentile, postgresCpuMs } from './support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

/** Runs one job in a load-generator process of its own (bench/loadgen.ts). */
const loadFromChild = (job: LoadJob) =>
  new Promise<LoadResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'loadgen.ts')], {
      env: { ...process.env, LOADGEN: JSON.stringify(job) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as LoadResult)
        : reject(new Error(`load generator exited ${code}`)),
    );
  });

/** The anchor: a bare Fastify route that takes the same XML body and does one parameterised INSERT. */
const startBareRoute = async (pool: pg.Pool) => {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_bare_intake (id bigserial PRIMARY KEY, body text NOT NULL)',
  );
  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    'application/xml',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_r, body, done) => done(null, body),
  );
  app.post('/bare', async (request, reply) => {
    await pool.query('INSERT INTO bench_bare_intake (body) VALUES ($1)', [request.body]);
    return reply.code(202).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/bare`, close: () => app.close() };
};

/**
 * Intake against its anchor, both served from this process with every consumer of the platform
 * running, the load coming from a separate process: closed-loop throughput at `clients`
 * connections, then open-loop latency at fixed rates; each figure the median of ROUNDS rounds that
 * alternate platform and anchor.
 */
export const benchIntake = async (
  databaseUrl: string,
  pool: pg.Pool,
  seconds: number,
  clients: number,
): Promise<string[]> => {
  const platform = await startLocalPlatform({ databaseUrl, productionTimings: true });
  const bare = await startBareRoute(pool);
  const runId = newId().slice(-8).toLowerCase();
  const body = generateNewRx(0, { now: new Date(), runId }).xml.replace(
    /<MessageID>[^<]+</,
    '<MessageID>{{ID}}<',
  );
  const intakeJob = (extra: Partial<LoadJob>, round: string): LoadJob => ({
    url: `${platform.url}/api/intake`,
    mode: 'closed',
    seconds,
    connections: clients,
    body,
    headers: { 'content-type': 'application/xml', 'x-api-key': platform.composition.intakeApiKey },
    idPrefix: `LOAD-${runId}-${round}`,
    ...extra,
  });
  const anchorJob = (extra: Partial<LoadJob>): LoadJob => ({
    url: bare.url,
    mode: 'closed',
    seconds,
    connections: clients,
    body,
    headers: { 'content-type': 'application/xml' },
    idPrefix: 'bare',
    ...extra,
  });
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const lines: string[] = [`intake: ${await machineLoad()} (before)`];
  try {
    await loadFromChild(anchorJob({ seconds: 1 }));
    await loadFromChild(intakeJob({ seconds: 1 }, 'warm'));
    const closed = { intake: [] as LoadResult[], anchor: [] as LoadResult[] };
    for (let round = 0; round < ROUNDS; round++) {
      closed.anchor.push(await loadFromChild(anchorJob({})));
      closed.intake.push(await loadFromChild(intakeJob({}, `c${round}`)));
    }
    const intakeRate = median(closed.intake.map((r) => r.perSecond));
    const anchorRate = median(closed.anchor.map((r) => r.perSecond));
    const errors = closed.intake.reduce((n, r) => n + r.errors, 0);
    lines.push(
      `intake closed loop (${clients} conns, ${errors} errors)`.padEnd(44) +
        ` ${fmt(intakeRate, 'req/s').padStart(12)}   ${'bare Fastify route + 1 INSERT'.padEnd(34)} ${fmt(anchorRate, 'req/s').padStart(12)}   ${((intakeRate / anchorRate) * 100).toFixed(0).padStart(4)} %`,
    );
    for (const rate of [200, 400]) {
      const open = { intake: [] as LoadResult[], anchor: [] as LoadResult[] };
      for (let round = 0; round < ROUNDS; round++) {
        open.anchor.push(await loadFromChild(anchorJob({ mode: 'open', rate, connections: 64 })));
        open.intake.push(
          await loadFromChild(intakeJob({ mode: 'open', rate, connections: 64 }, `o${rate}-${round}`)),
        );
      }
      for (const p of ['p50', 'p99'] as const) {
        const i = median(open.intake.map((r) => r[p]));
        const a = median(open.anchor.map((r) => r[p]));
        lines.push(
          `intake open loop ${rate} req/s ${p}`.padEnd(44) +
            ` ${ms(i).padStart(12)}   ${'bare Fastify route + 1 INSERT'.padEnd(34)} ${ms(a).padStart(12)}   ${((a / i) * 100).toFixed(0).padStart(4)} %`,
        );
      }
    }
    lines.push(`intake: ${await machineLoad()} (after)`);
    return lines;
  } finally {
    await bare.close();
    await platform.close();
  }
};

/**
 * The demo path end to end: orders/s, each order's latency from intake to its last status, CPU per
 * order (this process, which also holds the stand-ins and the drivers, plus PostgreSQL), and how
 * far the orders read model trails the events (sampled every 50 ms).
 */
export const benchEndToEnd = async (
  databaseUrl: string,
  /** An owner's pool on the same server (reads where the server keeps its data, for its CPU). */
  owner: pg.Pool,
  orders: number,
  concurrency: number,
): Promise<string[]> => {
  let stopSampling: () => Promise<{ lags: number[]; pgCpuMs: number | undefined }> = async () => ({
    lags: [],
    pgCpuMs: undefined,
  });
  let sampled: { lags: number[]; pgCpuMs: number | undefined } = { lags: [], pgCpuMs: undefined };
  let stages: { stage: string; n: number; p50: number; p99: number }[] = [];
  const cpu = process.cpuUsage();
  const report = await runDemo({
    databaseUrl,
    orders,
    concurrency,
    productionTimings: true,
    onStart: async (platform) => {
      const pool = platform.composition.platform.db.pool;
      const pgBefore = await postgresCpuMs(owner);
      const lags: number[] = [];
      let running = true;
      const sampling = (async () => {
        while (running) {
          const { rows } = await pool.query<{ lag: number | null }>(
            `SELECT extract(epoch FROM clock_timestamp() - min(e.recorded_at)) * 1000 AS lag
               FROM events e JOIN subscription_checkpoints c ON c.subscription_id = 'projection:orders'
              WHERE e.category = 'order' AND (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)`,
          );
          lags.push(Number(rows[0]?.lag ?? 0));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      stopSampling = async () => {
        running = false;
        await sampling;
        const pgAfter = await postgresCpuMs(owner);
        return {
          lags,
          pgCpuMs: pgBefore !== undefined && pgAfter !== undefined ? pgAfter - pgBefore : undefined,
        };
      };
    },
    withPlatform: async (platform) => {
      sampled = await stopSampling();
      // Each stage as the time from the order's intake to the first event of that type in its stream.
      stages = (
        await platform.composition.platform.db.pool.query<(typeof stages)[number]>(
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
    },
  });
  const used = process.cpuUsage(cpu);
  const nodeMs = (used.user + used.system) / 1000;
  const completed = report.byStatus.completed ?? 0;
  const latencies = [...report.latenciesMs].sort((a, b) => a - b);
  const lags = [...sampled.lags].sort((a, b) => a - b);
  return [
    `end to end: ${await machineLoad()}`,
    `end-to-end demo path (${orders} orders, ${concurrency} at once)`.padEnd(44) +
      ` ${`${report.ordersPerSecond.toFixed(2)} orders/s`.padStart(12)}   ${`${completed} completed, ${report.failures.length} failed`.padEnd(34)}`,
    `  order latency p50 / p99: ${percentile(latencies, 50).toFixed(0)} ms / ${percentile(latencies, 99).toFixed(0)} ms (intake to last status, patient steps included)`,
    `  CPU per order: node ${(nodeMs / orders).toFixed(1)} ms (platform, stand-ins and drivers in one process) + PostgreSQL ${sampled.pgCpuMs === undefined ? 'n/a' : `${(sampled.pgCpuMs / orders).toFixed(1)} ms`}`,
    '  order latency by stage, from PrescriptionReceived to the first event of each type (p50 / p99, orders):',
    ...stages.map(
      (s) =>
        `    ${s.stage.padEnd(36)} ${Number(s.p50).toFixed(0).padStart(7)} ms / ${Number(s.p99).toFixed(0).padStart(7)} ms  (${s.n})`,
    ),
    `  orders projection lag p50 / p99: ${percentile(lags, 50).toFixed(0)} ms / ${percentile(lags, 99).toFixed(0)} ms (${lags.length} samples)`,
  ];
};
