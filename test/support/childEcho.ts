// Runs the `echo` process manager (parallel delivery across streams) in its own process, so a test
// can kill it mid-batch like a crashed server.

import { createPool } from '../../src/eventstore/postgres/database.js';
import { createNotifier } from '../../src/eventstore/postgres/notifier.js';
import { createPostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.js';
import { createLogger, silentLogger } from '../../src/platform/logger.js';
import { createProcessRuntime } from '../../src/processes/runtime.js';
import { echoProcess } from './echoProcess.js';
import { postgresProcessDeps } from './processDeps.js';

const connectionString = process.env.TEST_DB_URL!;
const pool = createPool(connectionString);
const notifier = createNotifier(connectionString, silentLogger, pool);
const store = createPostgresEventStore(pool, { afterAppend: notifier.announce });
const log = createLogger({ level: 'warn', destination: process.stderr });
const runtime = createProcessRuntime(postgresProcessDeps({ pool, connectionString, notifier, log, store }));
runtime.start(
  echoProcess(store, {
    crashAt: process.env.CRASH_AT ? JSON.parse(process.env.CRASH_AT) : undefined,
  }),
  { holder: `child-${process.pid}`, width: Number(process.env.WIDTH ?? 4), pollIntervalMs: 200 },
);
console.log('started');
