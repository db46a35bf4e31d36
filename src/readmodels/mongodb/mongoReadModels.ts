import {
  type ClientSession,
  type Collection,
  type Document,
  type Filter,
  MongoClient,
  MongoServerError,
} from 'mongodb';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/prescription/orderEvents.js';
import { CheckpointConflictError } from '../../eventstore/errors.js';
import type { OpaqueCheckpoint } from '../../eventstore/subscriptions.js';
import {
  OPEN_REVIEW_STATUSES,
  type PharmacyView,
} from '../../projections/consultations/consultationQueries.js';
import type { ConsultationView } from '../../projections/consultations/consultationView.js';
import { queueItemOfDocument } from '../../projections/dashboardDocuments.js';
import type { DashboardReads, PharmacyQueueResult, ReviewCase } from '../../projections/dashboardReads.js';
import type { IntegrationIncidentRow } from '../../projections/integrationIncidentQueries.js';
import { type OrderListRow, searchTerms } from '../../projections/orders/orderSearch.js';
import type { OrderView } from '../../projections/orders/orderView.js';
import type {
  ReadModelSink,
  ViewCollection,
  ViewDocument,
  ViewWriter,
} from '../../projections/viewDocuments.js';

/** A stored view: the dashboard fields at the top level, the whole view under `view`. */
type StoredDocument<V> = { _id: string; view: V; version: number; position: number } & Record<
  string,
  unknown
>;
/** The event store's checkpoint as its subscription wrote it: the sink never reads it. */
type StoredCheckpoint = { _id: string; checkpoint: string; updatedAt: Date };

const DUPLICATE_KEY = 11000;

export class MongoReadModelsUnavailableError extends Error {}

/** The servers a connection string names, without its credentials or options, for messages. */
export const mongoHostsOf = (url: string): string =>
  /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url)?.[1] ?? 'MONGODB_URL';

/**
 * Dashboard read models in MongoDB through the official driver: orders, consultations (their
 * queues read them) and vendor incidents as documents, each batch written with the projection's
 * checkpoint in one multi-document transaction, which needs a replica set (a single-node one will
 * do). The audit trail and every other read model stay in PostgreSQL.
 */
export type MongoReadModels = {
  sink: ReadModelSink & { name: 'mongodb' };
  reads: DashboardReads;
  close(): Promise<void>;
};

/** The indexes behind the console's filters, sorts and exact-match searches. */
const INDEXES: Record<ViewCollection, Document[]> = {
  orders: [
    { status: 1, statusSince: 1 },
    { receivedAt: -1, _id: -1 },
    { finished: 1, statusSince: 1, _id: 1 },
    { orderIdUpper: 1 },
    { trackingUpper: 1 },
    { identifiers: 1 },
    { patientDob: 1 },
    { ndc: 1 },
  ],
  consultations: [
    { status: 1, statusSince: 1 },
    { overlapFlagged: -1, statusSince: 1 },
    { reviewQueue: 1, status: 1, overlapFlagged: -1, queuedAt: 1 },
    { lastActivityAt: 1 },
  ],
  incidents: [{ caseId: 1, category: 1 }, { openedOrUpdatedAt: -1 }],
};

/** Stops a search text from being read as a pattern: PostgreSQL's ILIKE '%text%', as a regex. */
const containing = (text: string) => new RegExp(text.trim().replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');

/** The pharmacy team's queue views, as the PostgreSQL query module defines them. */
const pharmacyViewFilter = (view: PharmacyView, stalledBefore: Date): Filter<Document> => {
  switch (view) {
    case 'dispensing':
      return { status: { $in: ['prescribed', 'dispatch_pending'] } };
    case 'exceptions':
      return {
        $or: [
          { status: { $in: ['delivery_failed', 'instalment_paused'] } },
          { cancellationRequestedAt: { $ne: null }, status: { $nin: ['cancelled', 'refunded'] } },
          { stockBlocked: true },
          { 'incidents.0': { $exists: true } },
          { refundsFailed: { $gt: 0 } },
        ],
      };
    case 'identity':
      return { status: 'id_manual_review' };
    case 'drafts':
      return { status: 'draft', draftInactiveSince: { $ne: null } };
    case 'stalled':
      return {
        status: {
          $in: [
            'awaiting_id_verification',
            'id_document_requested',
            'id_manual_review',
            'in_clinical_review',
            'awaiting_response',
          ],
        },
        lastActivityAt: { $lte: stalledBefore },
      };
    case 'all':
      return {};
  }
};

/** A consultation's vendor incidents, from its own stream and its account stream. */
const WITH_INCIDENTS: Document[] = [
  {
    $lookup: {
      from: 'incidents',
      localField: '_id',
      foreignField: 'caseId',
      as: 'incidents',
      pipeline: [
        { $match: { category: { $in: ['consultation', 'consultationaccount'] } } },
        { $project: { state: 1 } },
      ],
    },
  },
];

const statesOf = (incidents: unknown) =>
  ((incidents as { state: string }[] | undefined) ?? []).map((i) => i.state);

const writerIn = (database: ReturnType<MongoClient['db']>, session: ClientSession): ViewWriter => ({
  async load<V>(collection: ViewCollection, ids: readonly string[]) {
    const found = await database
      .collection<StoredDocument<V>>(collection)
      .find({ _id: { $in: [...ids] } } as Filter<StoredDocument<V>>, {
        session,
        projection: { view: 1, version: 1, position: 1 },
      })
      .toArray();
    return new Map(
      found.map((d) => [d._id, { id: d._id, view: d.view as V, version: d.version, position: d.position }]),
    );
  },
  async save<V>(
    collection: ViewCollection,
    changes: {
      put: readonly { document: ViewDocument<V>; fields: Record<string, unknown> }[];
      removed: readonly string[];
    },
  ) {
    const operations = [
      ...changes.put.map(({ document, fields }) => ({
        replaceOne: {
          filter: { _id: document.id },
          replacement: {
            ...fields,
            view: document.view,
            version: document.version,
            position: document.position,
          },
          upsert: true,
        },
      })),
      ...changes.removed.map((id) => ({ deleteOne: { filter: { _id: id } } })),
    ];
    if (operations.length === 0) return;
    await database.collection(collection).bulkWrite(operations as never, { session, ordered: true });
  },
});

/**
 * Connects and checks what the read models need: a server that answers, and a replica set (the
 * transactions that commit a batch with its checkpoint need one). Creates the indexes.
 */
export const openMongoReadModels = async (options: {
  url: string;
  database?: string;
  connectTimeoutMs?: number;
}): Promise<MongoReadModels> => {
  const client = new MongoClient(options.url, {
    serverSelectionTimeoutMS: options.connectTimeoutMs ?? 5_000,
    appName: 'pharmacy-platform',
  });
  const where = mongoHostsOf(options.url);
  try {
    await client.connect();
    const hello = await client.db('admin').command({ hello: 1 });
    // A replica set member names its set; a mongos router (sharded cluster) runs transactions too.
    if (!hello.setName && hello.msg !== 'isdbgrid')
      throw new MongoReadModelsUnavailableError(
        `MongoDB at ${where} is not a replica set member: READ_MODELS=mongodb commits each batch with its checkpoint in a transaction, which needs a replica set (a single node started with --replSet and rs.initiate() will do)`,
      );
  } catch (error) {
    await client.close().catch(() => {});
    if (error instanceof MongoReadModelsUnavailableError) throw error;
    throw new MongoReadModelsUnavailableError(
      `READ_MODELS=mongodb but MongoDB at ${where} does not answer (${(error as Error).message}): start it, or set MONGODB_URL to one that runs, or unset READ_MODELS to keep the read models in PostgreSQL`,
    );
  }
  const database = client.db(options.database ?? 'pharmacy');
  for (const [collection, indexes] of Object.entries(INDEXES))
    for (const keys of indexes) await database.collection(collection).createIndex(keys);

  const checkpoints: Collection<StoredCheckpoint> = database.collection('checkpoints');
  const orders = database.collection<StoredDocument<OrderView>>('orders');
  const consultations = database.collection<StoredDocument<ConsultationView>>('consultations');
  const incidents = database.collection<StoredDocument<IntegrationIncidentRow>>('incidents');

  const sink: MongoReadModels['sink'] = {
    name: 'mongodb',
    async checkpoint(subscriptionId) {
      const found = await checkpoints.findOne({ _id: subscriptionId });
      return found ? (found.checkpoint as OpaqueCheckpoint) : undefined;
    },
    async transact(subscriptionId, move, write) {
      const session = client.startSession();
      try {
        await session.withTransaction(
          async () => {
            await write(writerIn(database, session));
            await moveCheckpoint(checkpoints, session, subscriptionId, move.from, move.to);
          },
          { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
        );
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY)
          throw new CheckpointConflictError(subscriptionId);
        throw error;
      } finally {
        await session.endSession();
      }
    },
    async checkpoints() {
      return (await checkpoints.find({}).toArray()).map((c) => ({
        subscriptionId: c._id,
        checkpoint: c.checkpoint as OpaqueCheckpoint,
      }));
    },
    async reset(subscriptionId, collection) {
      await database.collection(collection).deleteMany({});
      await checkpoints.deleteOne({ _id: subscriptionId });
    },
  };

  const reads: DashboardReads = {
    async searchOrders(search) {
      const filter: Filter<StoredDocument<OrderView>> = {};
      if (search.status) filter.status = search.status;
      if (search.q) {
        const terms = searchTerms(search.q);
        const text = containing(search.q);
        filter.$or = [
          { orderIdUpper: terms.exact },
          { trackingUpper: terms.exact },
          { identifiers: terms.exact },
          ...(terms.dob ? [{ patientDob: terms.dob }] : []),
          ...(terms.ndc11 ? [{ ndc: terms.ndc11 }] : []),
          { patientName: text },
          { drugDescription: text },
          { pharmacyName: text },
          { trackingNumber: text },
        ];
      }
      const sort: Document =
        search.sort === 'received' ? { receivedAt: -1, _id: -1 } : { finished: 1, statusSince: 1, _id: 1 };
      const [total, found] = await Promise.all([
        orders.countDocuments(filter),
        orders
          .find(filter, { projection: { view: 0 } })
          .sort(sort)
          .skip((search.page - 1) * search.pageSize)
          .limit(search.pageSize)
          .toArray(),
      ]);
      const rows = found.map(
        (d): OrderListRow => ({
          order_id: d._id,
          status: d.status as OrderStatus,
          status_since: d.statusSince as Date,
          received_at: d.receivedAt as Date,
          updated_at: d.updatedAt as Date,
          patient_name: (d.patientName as string | null) ?? null,
          patient_state: (d.patientState as string | null) ?? null,
          drug_description: (d.drugDescription as string | null) ?? null,
          pharmacy_name: (d.pharmacyName as string | null) ?? null,
          tracking_number: (d.trackingNumber as string | null) ?? null,
          patient_pays_minor: (d.patientPaysMinor as number | null) ?? null,
          incident_states: (d.incidentStates as string[]) ?? [],
          total,
        }),
      );
      return { rows, total };
    },

    async orderStatusCounts() {
      const counted = await orders
        .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
        .toArray();
      return Object.fromEntries(
        ORDER_STATUSES.map((s) => [s, counted.find((c) => c._id === s)?.n ?? 0]),
      ) as Record<OrderStatus, number>;
    },

    async pharmacyQueue(page): Promise<PharmacyQueueResult> {
      const [result] = await consultations
        .aggregate<{ items: StoredDocument<ConsultationView>[]; total: { n: number }[] }>([
          { $match: { status: { $ne: 'none' } } },
          ...WITH_INCIDENTS,
          { $match: pharmacyViewFilter(page.view, page.stalledBefore) },
          { $sort: { overlapFlagged: -1, statusSince: 1, _id: 1 } },
          {
            $facet: {
              items: [{ $skip: (page.page - 1) * page.pageSize }, { $limit: page.pageSize }],
              total: [{ $count: 'n' }],
            },
          },
        ])
        .toArray();
      return {
        total: result?.total[0]?.n ?? 0,
        items: (result?.items ?? []).map((d) => queueItemOfDocument(d._id, d.view, d, statesOf(d.incidents))),
      };
    },

    async openReviewCases(queue) {
      const found = await consultations
        .aggregate<StoredDocument<ConsultationView>>([
          { $match: { reviewQueue: queue, status: { $in: OPEN_REVIEW_STATUSES } } },
          ...WITH_INCIDENTS,
          { $sort: { overlapFlagged: -1, queuedAt: 1, _id: 1 } },
        ])
        .toArray();
      return found.map(
        (d): ReviewCase => ({
          consultationId: d._id,
          // The match above took open review statuses only.
          status: d.status as ReviewCase['status'],
          statusSince: d.statusSince as Date,
          queuedAt: (d.queuedAt as Date | null) ?? null,
          product: (d.productName as string | null) ?? null,
          patientName: (d.patientName as string | null) ?? null,
          renewalOf: (d.renewalOf as string | null) ?? null,
          flags: d.view.state.flags,
          incidentStates: statesOf(d.incidents),
        }),
      );
    },

    async openIncidents() {
      const found = await incidents.find({}).sort({ openedOrUpdatedAt: -1, _id: 1 }).toArray();
      return found.map((d) => d.view);
    },
  };

  return { sink, reads, close: () => client.close() };
};

/**
 * Compare-and-set, as the PostgreSQL checkpoint table does: the checkpoint moves only from where
 * this consumer read it. A document standing elsewhere makes the upsert insert a second `_id`,
 * which the unique `_id` refuses (duplicate key), and the whole transaction with it.
 */
const moveCheckpoint = async (
  checkpoints: Collection<StoredCheckpoint>,
  session: ClientSession,
  subscriptionId: string,
  from: OpaqueCheckpoint | undefined,
  to: OpaqueCheckpoint,
) => {
  // From none (`from` undefined): the upsert inserts the first, and finds one that exists taken.
  await checkpoints.updateOne(
    { _id: subscriptionId, checkpoint: from === undefined ? { $exists: false } : from },
    { $set: { checkpoint: to, updatedAt: new Date() } },
    { upsert: true, session },
  );
};
