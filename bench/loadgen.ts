// A load generator in its own process, so the server under test has its event loop to itself.
// Reads its job as JSON from the LOADGEN env var, prints one JSON line of results and exits.
//
// closed: `connections` loops, each sending its next request when the last one answered.
// open:   requests start on a fixed schedule (`rate` a second) whatever the server does, and each
//         latency counts from the request's scheduled start, so a stalled server is charged for
//         the queue it causes (no coordinated omission).
import { Agent, request } from 'node:http';

export type LoadJob = {
  url: string;
  mode: 'closed' | 'open';
  seconds: number;
  connections: number;
  rate?: number;
  /** `{{ID}}` is replaced by a fresh id per request (unique MessageIDs). */
  body: string;
  headers: Record<string, string>;
  idPrefix: string;
};

export type LoadResult = {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU the load generator itself used, for reference. */
  cpuMs: number;
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const run = async (job: LoadJob): Promise<LoadResult> => {
  const target = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  let n = 0;
  const send = () =>
    new Promise<number>((resolve) => {
      const body = Buffer.from(job.body.replaceAll('{{ID}}', `${job.idPrefix}-${n++}`));
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...job.headers, 'content-length': String(body.length) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const latencies: number[] = [];
  let errors = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  if (job.mode === 'closed') {
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        while (performance.now() < deadline) {
          const at = performance.now();
          const status = await send();
          latencies.push(performance.now() - at);
          if (status < 200 || status >= 300) errors += 1;
        }
      }),
    );
  } else {
    const interval = 1000 / job.rate!;
    const total = Math.floor(job.seconds * job.rate!);
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const scheduled = started + i * interval;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        send().then((status) => {
          latencies.push(performance.now() - scheduled);
          if (status < 200 || status >= 300) errors += 1;
        }),
      );
    }
    await Promise.all(inFlight);
  }
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / Math.max(elapsed, job.seconds),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMs: (used.user + used.system) / 1000,
  };
};

if (process.env.LOADGEN) {
  run(JSON.parse(process.env.LOADGEN) as LoadJob).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
