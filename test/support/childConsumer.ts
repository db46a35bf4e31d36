// Runs the `seen` projection in its own process, so tests can kill it like a crashed server.

import { createPostgresConsumers } from '../../src/eventstore/postgres/consumers.js';
import { createPool } from '../../src/eventstore/postgres/database.js';
import { createNotifier } from '../../src/eventstore/postgres/notifier.js';
import { createLogger } from '../../src/platform/logger.js';
import { startProjection } from '../../src/projections/runtime.js';
import { seenProjection } from './seenProjection.js';

const connectionString = process.env.TEST_DB_URL!;
const pool = createPool(connectionString);
const notifier = createNotifier(connectionString);
startProjection(
  createPostgresConsumers({
    pool,
    connectionString,
    notifier,
    log: createLogger({ level: 'warn', destination: process.stderr }),
  }),
  pool,
  seenProjection({
    crashAtPosition: process.env.CRASH_AT_POSITION ? Number(process.env.CRASH_AT_POSITION) : undefined,
    delayMs: Number(process.env.DELAY_MS ?? 0),
  }),
  { holder: `child-${process.pid}`, batchSize: Number(process.env.BATCH_SIZE ?? 1000), pollIntervalMs: 200 },
);
console.log('started');
