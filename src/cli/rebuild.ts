import type { CheckpointStore } from '../eventstore/consumers.js';
import type { Leases } from '../eventstore/leases.js';
import type { EventStore } from '../eventstore/types.js';
import type { SqlPool } from '../platform/sql.js';
import type { AuditKey } from '../projections/audit/auditRecord.js';
import { DASHBOARD_DOCUMENTS } from '../projections/dashboardDocuments.js';
import { allProjections, findProjection } from '../projections/index.js';
import {
  projectionSubscriptionId,
  type RebuildReport,
  type ReplaySource,
  rebuildProjection,
} from '../projections/runtime.js';
import {
  type DocumentProjection,
  documentSubscriptionId,
  type ReadModelSink,
  rebuildDocumentProjection,
} from '../projections/viewDocuments.js';
import { terminalProgress } from './progressBar.js';

/**
 * Rebuilds under the projection's own lease, so a running platform is never projecting into the
 * tables while they are emptied and replayed.
 */
export const rebuild = async (
  /** The read models' database. */
  db: { pool: SqlPool },
  name: string,
  options: {
    /** The event store's events, read again from the first. */
    replay: ReplaySource;
    /** The platform's consumer checkpoints, where a rebuilt projection's place is handed back. */
    checkpoints: CheckpointStore;
    leases: Leases;
    waitMs?: number;
    auditKey: AuditKey;
    /** The event store the platform runs on, for projections that fold whole streams. */
    store: Pick<EventStore, 'readStream'>;
    /** The document sink READ_MODELS names (MongoDB), for `<sink>:<view>` names such as `mongodb:orders`. */
    documents?: ReadModelSink & { name: string };
  },
): Promise<RebuildReport> => {
  const [sinkName, viewName] = name.includes(':') ? name.split(':', 2) : [null, name];
  const documents = sinkName === null ? undefined : DASHBOARD_DOCUMENTS.find((p) => p.name === viewName);
  const projection = sinkName === null ? findProjection(name, options) : undefined;
  if (sinkName !== null && (!options.documents || options.documents.name !== sinkName))
    throw new Error(
      `"${name}" names the ${sinkName} read models, but READ_MODELS does not choose ${sinkName}`,
    );
  if (!projection && !documents) {
    throw new Error(
      `no projection named "${name}"; known: ${[
        ...allProjections(options).map((p) => p.name),
        ...(options.documents ? DASHBOARD_DOCUMENTS.map((p) => `${options.documents!.name}:${p.name}`) : []),
      ].join(', ')}`,
    );
  }
  const leaseName = projection
    ? projectionSubscriptionId(projection)
    : documentSubscriptionId(options.documents!.name, documents!);
  const lease = options.leases.acquire(leaseName, `rebuild:${process.pid}`);
  const waitMs = options.waitMs ?? 10_000;
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs).unref());
  try {
    if ((await Promise.race([lease.acquired.then(() => 'held' as const), timeout])) === 'timeout') {
      throw new Error(
        `projection "${name}" is being run by another process; stop the platform before rebuilding it`,
      );
    }
    const progress = process.stderr.isTTY ? terminalProgress(`rebuild ${name}`, ' events') : undefined;
    return projection
      ? await rebuildProjection(db.pool, options.replay, options.checkpoints, projection, { progress })
      : await rebuildDocumentProjection(
          options.replay,
          options.documents!,
          documents as DocumentProjection<unknown>,
          {
            progress,
          },
        );
  } finally {
    await lease.release();
  }
};
