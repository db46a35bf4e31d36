import Fastify from 'fastify';
import type pg from 'pg';
import { generateNewRx } from '../sandbox/demo/generate.js';
import { runDemo } from '../sandbox/demo/run.js';
import { startLocalPlatform } from '../sandbox/inProcess.js';
import { newId } from '../src/platform/ids.js';
import { fmt, percentile } from './support.js';

type LoadResult = { p50: number; p99: number; perSecond: number; errors: number };

/** `clients` loops posting for `seconds`; latency of each request in ms. */
const load = async (
  clients: number,
  seconds: number,
  send: (n: number) => Promise<number>,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await send(n++);
        latencies.push(performance.now() - started);
        if (status >= 300) errors += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: latencies.length / seconds,
    errors,
  };
};

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

export const benchIntake = async (
  databaseUrl: string,
  pool: pg.Pool,
  seconds: number,
  clients: number,
): Promise<string[]> => {
  const platform = await startLocalPlatform({ databaseUrl });
  const bare = await startBareRoute(pool);
  const runId = newId().slice(-8).toLowerCase();
  const now = new Date();
  const bodies = Array.from({ length: 200 }, (_, i) => generateNewRx(i, { now, runId }).xml);
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml', ...headers }, body }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
    );
  try {
    // Warm both paths, then measure the anchor and the platform alternately at equal concurrency.
    await load(4, 1, (n) => post(bare.url, bodies[n % bodies.length]!));
    const anchor = await load(clients, seconds, (n) => post(bare.url, bodies[n % bodies.length]!));
    const intake = await load(clients, seconds, (n) =>
      post(
        `${platform.url}/api/intake`,
        bodies[n % bodies.length]!.replace(/<MessageID>[^<]+</, `<MessageID>LOAD-${runId}-${n}<`),
        { 'x-api-key': platform.composition.intakeApiKey },
      ),
    );
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    return [
      `intake p50 under load (${clients} clients)`.padEnd(44) +
        ` ${ms(intake.p50).padStart(12)}   ${'bare Fastify route + 1 INSERT'.padEnd(34)} ${ms(anchor.p50).padStart(12)}   ${((anchor.p50 / intake.p50) * 100).toFixed(0).padStart(4)} %`,
      `intake p99 under load (${clients} clients)`.padEnd(44) +
        ` ${ms(intake.p99).padStart(12)}   ${'bare Fastify route + 1 INSERT'.padEnd(34)} ${ms(anchor.p99).padStart(12)}   ${((anchor.p99 / intake.p99) * 100).toFixed(0).padStart(4)} %`,
      `intake throughput (${intake.errors} errors)`.padEnd(44) +
        ` ${fmt(intake.perSecond, 'req/s').padStart(12)}   ${'bare Fastify route + 1 INSERT'.padEnd(34)} ${fmt(anchor.perSecond, 'req/s').padStart(12)}   ${((intake.perSecond / anchor.perSecond) * 100).toFixed(0).padStart(4)} %`,
    ];
  } finally {
    await bare.close();
    await platform.close();
  }
};

export const benchEndToEnd = async (orders: number, concurrency: number): Promise<string[]> => {
  const report = await runDemo({ orders, concurrency });
  const completed = report.byStatus.completed ?? 0;
  return [
    `end-to-end demo path (${orders} orders, ${concurrency} at once)`.padEnd(44) +
      ` ${`${report.ordersPerSecond.toFixed(2)} orders/s`.padStart(12)}   ${`${completed} completed, ${report.failures.length} failed`.padEnd(34)}`,
  ];
};
