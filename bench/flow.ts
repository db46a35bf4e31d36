import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Fastify from 'fastify';
import { generateNewRx } from '../sandbox/demo/generate.js';
import { startLocalPlatform } from '../sandbox/inProcess.js';
import { newId } from '../src/platform/ids.js';
import { projectRoot } from '../src/platform/paths.js';
import type { SqlPool } from '../src/platform/sql.js';
import type { LoadJob, LoadResult } from './loadgen.js';
import { fmt, machineLoad, median } from './support.js';

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
const startBareRoute = async (pool: SqlPool) => {
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
  pool: SqlPool,
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
  // Each round starts once the consumers have worked off what the rounds before it took in: else
  // the anchor's rounds ran beside the validation of the previous intake round's orders, and the
  // anchor (so the ratio) swung more than twofold from run to run. An intake round still runs
  // beside the consumers of its own orders. The time they take is printed as the backlog's.
  const drained: number[] = [];
  const settled = async <T>(round: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    await platform.composition.platform.drain(300_000);
    drained.push(performance.now() - started);
    return round();
  };
  try {
    await loadFromChild(anchorJob({ seconds: 1 }));
    await loadFromChild(intakeJob({ seconds: 1 }, 'warm'));
    const closed = { intake: [] as LoadResult[], anchor: [] as LoadResult[] };
    for (let round = 0; round < ROUNDS; round++) {
      closed.anchor.push(await settled(() => loadFromChild(anchorJob({}))));
      closed.intake.push(await settled(() => loadFromChild(intakeJob({}, `c${round}`))));
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
        open.anchor.push(
          await settled(() => loadFromChild(anchorJob({ mode: 'open', rate, connections: 64 }))),
        );
        open.intake.push(
          await settled(() =>
            loadFromChild(intakeJob({ mode: 'open', rate, connections: 64 }, `o${rate}-${round}`)),
          ),
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
    lines.push(
      `  between rounds the consumers worked off the backlog in ${(median(drained) / 1000).toFixed(1)} s (median), ${(Math.max(...drained) / 1000).toFixed(1)} s at most`,
    );
    lines.push(`intake: ${await machineLoad()} (after)`);
    return lines;
  } finally {
    await bare.close();
    await platform.close();
  }
};
