import { acquireLease } from '../eventstore/postgres/lease.js';
import type { Database } from '../platform/database.js';
import { allProjections, findProjection } from '../projections/index.js';
import { projectionSubscriptionId, type RebuildReport, rebuildProjection } from '../projections/runtime.js';

/**
 * Rebuilds under the projection's own lease, so a running platform is never projecting into the
 * tables while they are emptied and replayed.
 */
export const rebuild = async (
  db: Database,
  name: string,
  options: { waitMs?: number } = {},
): Promise<RebuildReport> => {
  const projection = findProjection(name);
  if (!projection) {
    throw new Error(
      `no projection named "${name}"; known: ${allProjections()
        .map((p) => p.name)
        .join(', ')}`,
    );
  }
  const lease = acquireLease({
    connectionString: db.connectionString,
    subscriptionId: projectionSubscriptionId(projection),
    holder: `rebuild:${process.pid}`,
  });
  const waitMs = options.waitMs ?? 10_000;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs).unref());
  try {
    if ((await Promise.race([lease.acquired.then(() => 'held' as const), timeout])) === 'timeout') {
      throw new Error(
        `projection "${name}" is being run by another process; stop the platform before rebuilding it`,
      );
    }
    return await rebuildProjection(db.pool, projection, { progress: process.stderr.isTTY ?? false });
  } finally {
    await lease.release();
  }
};
