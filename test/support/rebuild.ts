import { openPostgresReplay } from '../../src/eventstore/postgres/replay.js';
import { silentLogger } from '../../src/platform/logger.js';
import type { SqlPool } from '../../src/platform/sql.js';
import { type Projection, type RebuildProgress, rebuildProjection } from '../../src/projections/runtime.js';

/** Rebuilds a projection from the PostgreSQL store's events, as `cli rebuild` composes it. */
export const rebuildOnPostgres = async (
  db: { pool: SqlPool; connectionString: string },
  projection: Projection,
  options: { progress?: RebuildProgress; batchSize?: number } = {},
) => {
  const events = openPostgresReplay({
    pool: db.pool,
    connectionString: db.connectionString,
    log: silentLogger,
  });
  try {
    return await rebuildProjection(db.pool, events.replay, events.checkpoints, projection, options);
  } finally {
    await events.close();
  }
};
