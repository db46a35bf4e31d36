import type { Leases } from '../eventstore/leases.js';
import type { Database } from '../eventstore/postgres/database.js';
import type { AuditKey } from '../projections/audit/auditRecord.js';
import { allProjections, findProjection } from '../projections/index.js';
import { projectionSubscriptionId, type RebuildReport, rebuildProjection } from '../projections/runtime.js';
import { terminalProgress } from './progressBar.js';

/**
 * Rebuilds under the projection's own lease, so a running platform is never projecting into the
 * tables while they are emptied and replayed.
 */
export const rebuild = async (
  db: Database,
  name: string,
  options: { leases: Leases; waitMs?: number; auditKey: AuditKey },
): Promise<RebuildReport> => {
  const projection = findProjection(name, options.auditKey);
  if (!projection) {
    throw new Error(
      `no projection named "${name}"; known: ${allProjections(options.auditKey)
        .map((p) => p.name)
        .join(', ')}`,
    );
  }
  const lease = options.leases.acquire(projectionSubscriptionId(projection), `rebuild:${process.pid}`);
  const waitMs = options.waitMs ?? 10_000;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs).unref());
  try {
    if ((await Promise.race([lease.acquired.then(() => 'held' as const), timeout])) === 'timeout') {
      throw new Error(
        `projection "${name}" is being run by another process; stop the platform before rebuilding it`,
      );
    }
    return await rebuildProjection(db.pool, projection, {
      progress: process.stderr.isTTY ? terminalProgress(`rebuild ${projection.name}`, ' events') : undefined,
    });
  } finally {
    await lease.release();
  }
};
