import type { Consumer, Consumers } from '../eventstore/consumers.js';
import type { OpaqueCheckpoint } from '../eventstore/subscriptions.js';
import type { RecordedEvent, SubscriptionFilter } from '../eventstore/types.js';
import { type RebuildProgress, type RebuildReport, type ReplaySource, replayAll } from './runtime.js';

/** The dashboard views a document read model keeps: orders, consultations (and so their queues), incidents. */
export type ViewCollection = 'orders' | 'consultations' | 'incidents';

/** One view as a document: the whole view, the fields dashboards filter and sort by, its version. */
export type ViewDocument<V> = {
  id: string;
  view: V;
  /** The stream revision the view reflects + 1 (the order's ETag), as in the PostgreSQL rows. */
  version: number;
  /** The global position of the last event folded in. */
  position: number;
};

/**
 * A projection that folds events into one document per key and knows nothing of where documents
 * live: a `ReadModelSink` loads and stores them.
 */
export type DocumentProjection<V> = {
  name: string;
  collection: ViewCollection;
  filter: SubscriptionFilter;
  /** The document an event belongs to; null for an event the projection passes over. */
  keyOf(event: RecordedEvent): string | null;
  /** The document after the event: undefined leaves it as it was, null removes it. */
  fold(current: ViewDocument<V> | undefined, event: RecordedEvent): ViewDocument<V> | null | undefined;
  /** The fields stored beside the view for the dashboards' filters, sorts and searches. */
  fields(document: ViewDocument<V>): Record<string, unknown>;
};

/** What a projection's batch sees of its collection inside the sink's transaction. */
export type ViewWriter = {
  load<V>(collection: ViewCollection, ids: readonly string[]): Promise<Map<string, ViewDocument<V>>>;
  /** Upserts `put` (with its fields) and deletes `removed`. */
  save<V>(
    collection: ViewCollection,
    changes: {
      put: readonly { document: ViewDocument<V>; fields: Record<string, unknown> }[];
      removed: readonly string[];
    },
  ): Promise<void>;
};

/**
 * Where document read models are written: each batch's documents and the projection's checkpoint
 * commit in one transaction, so each event counts once, and the checkpoint moves only from where
 * this consumer read it (another holder's move refuses the batch).
 */
export type ReadModelSink = {
  /**
   * Where the projection stands in this sink, as the event store's subscription wrote it (the
   * sink keeps it unread); undefined before its first batch.
   */
  checkpoint(subscriptionId: string): Promise<OpaqueCheckpoint | undefined>;
  transact(
    subscriptionId: string,
    move: { from: OpaqueCheckpoint | undefined; to: OpaqueCheckpoint },
    write: (views: ViewWriter) => Promise<void>,
  ): Promise<void>;
  /** Every checkpoint the sink holds, for the lag metrics. */
  checkpoints(): Promise<{ subscriptionId: string; checkpoint: OpaqueCheckpoint }[]>;
  /** Empties the projection's collection and forgets its checkpoint (a rebuild starts from the first event). */
  reset(subscriptionId: string, collection: ViewCollection): Promise<void>;
};

/** Folds one batch into its documents: one load and one save per batch, whatever its size. */
export const applyDocumentBatch = async <V>(
  projection: DocumentProjection<V>,
  views: ViewWriter,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const keys = [...new Set(events.flatMap((e) => projection.keyOf(e) ?? []))];
  if (keys.length === 0) return;
  const documents = await views.load<V>(projection.collection, keys);
  const current = new Map<string, ViewDocument<V> | null>(documents);
  const touched = new Set<string>();
  for (const event of events) {
    const key = projection.keyOf(event);
    if (key === null) continue;
    const next = projection.fold(current.get(key) ?? undefined, event);
    if (next === undefined) continue;
    current.set(key, next);
    touched.add(key);
  }
  const put = [...touched].flatMap((key) => {
    const document = current.get(key);
    return document ? [{ document, fields: projection.fields(document) }] : [];
  });
  const removed = [...touched].filter((key) => current.get(key) === null && documents.has(key));
  await views.save(projection.collection, { put, removed });
};

export const documentSubscriptionId = (
  sinkName: string,
  projection: Pick<DocumentProjection<unknown>, 'name'>,
) => `${sinkName}:${projection.name}`;

/**
 * Runs a document projection into a sink on the event store's consumers: it starts from the
 * checkpoint the sink holds and commits each batch with its checkpoint there, whichever store the
 * events come from.
 */
export const startDocumentProjection = <V>(
  consumers: Consumers,
  sink: ReadModelSink & { name: string },
  projection: DocumentProjection<V>,
  options: { holder?: string; batchSize?: number; pollIntervalMs?: number } = {},
): Consumer => {
  const subscriptionId = documentSubscriptionId(sink.name, projection);
  return consumers.start({
    subscriptionId,
    filter: projection.filter,
    batchSize: options.batchSize ?? 1_000,
    pollIntervalMs: options.pollIntervalMs,
    holder: options.holder ?? `pid-${process.pid}`,
    from: () => sink.checkpoint(subscriptionId),
    handle: (batch, from) =>
      sink.transact(subscriptionId, { from, to: batch.checkpoint }, (views) =>
        applyDocumentBatch(projection, views, batch.events),
      ),
  });
};

/**
 * Empties the projection's collection in the sink and replays every event into it. Callers must make
 * sure no live consumer of it runs meanwhile (the CLI takes its lease first).
 */
export const rebuildDocumentProjection = async <V>(
  replay: ReplaySource,
  sink: ReadModelSink & { name: string },
  projection: DocumentProjection<V>,
  options: { progress?: RebuildProgress; batchSize?: number } = {},
): Promise<RebuildReport> => {
  const subscriptionId = documentSubscriptionId(sink.name, projection);
  await sink.reset(subscriptionId, projection.collection);
  return replayAll(
    replay,
    projection.filter,
    (events, from, to) =>
      sink.transact(subscriptionId, { from, to }, (views) => applyDocumentBatch(projection, views, events)),
    options,
  );
};
