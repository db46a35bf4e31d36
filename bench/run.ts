// `npm run bench`: each figure of the platform beside an anchor measured in the same run, as a ratio.

import { benchEndToEnd } from './endToEnd.js';
import { benchAppends, benchCatchUp } from './eventStore.js';
import { benchIntake } from './flow.js';
import { benchDatabase, machineLoad, settleServer } from './support.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const intakeSeconds = Number(process.env.BENCH_INTAKE_SECONDS ?? 1.5);
// BENCH_ONLY=appends,catchup,intake,e2e (any of them) runs those parts only.
const only = new Set((process.env.BENCH_ONLY ?? 'appends,catchup,intake,e2e').split(','));
const catchUpEvents = Number(process.env.BENCH_CATCHUP_EVENTS ?? 200_000);

const main = async () => {
  const db = await benchDatabase();
  const server = (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  console.log(await machineLoad());
  console.log(
    `PostgreSQL ${server} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}), ${seconds} s per figure\n`,
  );
  console.log(
    `${'figure'.padEnd(44)} ${'value'.padStart(12)}   ${'anchor (same run)'.padEnd(34)} ${'value'.padStart(12)}   ratio`,
  );
  try {
    if (only.has('appends')) {
      for (const line of await benchAppends(db.pool, db.connectionString, seconds)) console.log(line);
      console.log(`appends: ${await machineLoad()} (after)`);
    }
    if (only.has('catchup')) {
      for (const line of await benchCatchUp(db.pool, db.connectionString, catchUpEvents)) console.log(line);
      console.log(`catch-up: ${await machineLoad()} (after)`);
    }
    if (only.has('intake')) {
      console.log(`intake: the server settled in ${(await settleServer(db.pool)).toFixed(1)} s first`);
      for (const line of await benchIntake(db.connectionString, db.pool, intakeSeconds, 16))
        console.log(line);
    }
    if (only.has('e2e')) {
      console.log(`end to end: the server settled in ${(await settleServer(db.pool)).toFixed(1)} s first`);
      const orders = Number(process.env.BENCH_ORDERS ?? 60);
      const options = {
        orders,
        concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
        openRate: Number(process.env.BENCH_OPEN_RATE ?? 20),
        openOrders: Number(process.env.BENCH_OPEN_ORDERS ?? orders),
        cpuProfileDir: process.env.BENCH_CPU_PROF,
        instances: Number(process.env.BENCH_INSTANCES ?? 1),
      };
      for (const line of await benchEndToEnd(db.pool, db.connectionString, options)) console.log(line);
    }
  } finally {
    await db.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
