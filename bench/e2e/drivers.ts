// The drivers in a process of their own, for the end-to-end bench: the NewRx sender, the ops team
// and the patients of sandbox/demo, driving the platform over HTTP and playing the vendors through
// the stand-ins' controls. Reads its job from DRIVERS_JOB; prints the demo's report as one JSON line.
import { runDemoAgainst } from '../../sandbox/demo/run.js';
import type { PlatformReady } from './platform.js';

export type DriversJob = PlatformReady & {
  sandboxUrl: string;
  orders: number;
  concurrency: number;
  /** Open loop at this many orders a second instead of `concurrency` orders in flight. */
  ratePerSecond?: number;
};

const job = JSON.parse(process.env.DRIVERS_JOB!) as DriversJob;
runDemoAgainst(job, {
  orders: job.orders,
  concurrency: job.concurrency,
  // As the ops console does: one websocket for every order's status, REST reads only for details.
  followLive: true,
  ...(job.ratePerSecond ? { ratePerSecond: job.ratePerSecond } : {}),
}).then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
