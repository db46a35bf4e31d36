// `npm run bench`: each figure of the platform beside an anchor measured in the same run, as a ratio.
import { benchAppends, benchCatchUp } from './eventStore.js';
import { benchEndToEnd, benchIntake } from './flow.js';
import { benchDatabase } from './support.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const catchUpEvents = Number(process.env.BENCH_CATCHUP_EVENTS ?? 200_000);

const main = async () => {
  const db = await benchDatabase();
  const server = (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  console.log(
    `PostgreSQL ${server} (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}), ${seconds} s per figure\n`,
  );
  console.log(
    `${'figure'.padEnd(44)} ${'value'.padStart(12)}   ${'anchor (same run)'.padEnd(34)} ${'value'.padStart(12)}   ratio`,
  );
  try {
    for (const line of await benchAppends(db.pool, db.connectionString, seconds)) console.log(line);
    for (const line of await benchCatchUp(db.pool, db.connectionString, catchUpEvents)) console.log(line);
    for (const line of await benchIntake(db.connectionString, db.pool, seconds, 16)) console.log(line);
    for (const line of await benchEndToEnd(Number(process.env.BENCH_ORDERS ?? 40), 8)) console.log(line);
  } finally {
    await db.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
