import { ORDER_STATUSES, type OrderStatus } from '../../domain/prescription/orderEvents.js';
import { CheckpointConflictError } from '../../eventstore/errors.js';
import type { OpaqueCheckpoint } from '../../eventstore/subscriptions.js';
import {
  OPEN_REVIEW_STATUSES,
  type PharmacyView,
} from '../../projections/consultations/consultationQueries.js';
import type { ConsultationView } from '../../projections/consultations/consultationView.js';
import { queueItemOfDocument } from '../../projections/dashboardDocuments.js';
import type { DashboardReads, ReviewCase } from '../../projections/dashboardReads.js';
import type { IntegrationIncidentRow } from '../../projections/integrationIncidentQueries.js';
import { type OrderListRow, searchTerms } from '../../projections/orders/orderSearch.js';
import type { OrderView } from '../../projections/orders/orderView.js';
import type { ReadModelSink, ViewCollection, ViewDocument } from '../../projections/viewDocuments.js';

type Stored<V> = ViewDocument<V> & { fields: Record<string, unknown> };
type Collections = Record<ViewCollection, Map<string, Stored<unknown>>>;

const copy = <T>(value: T): T => structuredClone(value);

const STALLED_STATUSES = [
  'awaiting_id_verification',
  'id_document_requested',
  'id_manual_review',
  'in_clinical_review',
  'awaiting_response',
];

const time = (value: unknown) => (value instanceof Date ? value.getTime() : Number.NaN);

/**
 * The dashboard read models in process memory: the reference the document adapters are held to in
 * `test/readmodels/dashboardReadsContract.test.ts`, and a sink for tests that need no server. A
 * batch is applied to a copy and swapped in with its checkpoint, so a refused batch leaves nothing.
 */
export const memoryReadModels = (): { sink: ReadModelSink & { name: 'memory' }; reads: DashboardReads } => {
  let collections: Collections = { orders: new Map(), consultations: new Map(), incidents: new Map() };
  const checkpoints = new Map<string, OpaqueCheckpoint>();

  const all = <V>(collection: ViewCollection) => [...collections[collection].values()] as Stored<V>[];
  const incidentStatesOf = (consultationId: string) =>
    all<IntegrationIncidentRow>('incidents')
      .filter(
        (d) =>
          d.fields.caseId === consultationId &&
          ['consultation', 'consultationaccount'].includes(d.fields.category as string),
      )
      .map((d) => d.view.state);

  const pharmacyViewMatches = (view: PharmacyView, d: Stored<ConsultationView>, stalledBefore: Date) => {
    const f = d.fields;
    switch (view) {
      case 'dispensing':
        return ['prescribed', 'dispatch_pending'].includes(f.status as string);
      case 'exceptions':
        return (
          ['delivery_failed', 'instalment_paused'].includes(f.status as string) ||
          (f.cancellationRequestedAt !== null && !['cancelled', 'refunded'].includes(f.status as string)) ||
          f.stockBlocked === true ||
          incidentStatesOf(d.id).length > 0 ||
          (f.refundsFailed as number) > 0
        );
      case 'identity':
        return f.status === 'id_manual_review';
      case 'drafts':
        return f.status === 'draft' && f.draftInactiveSince !== null;
      case 'stalled':
        return (
          STALLED_STATUSES.includes(f.status as string) && time(f.lastActivityAt) <= stalledBefore.getTime()
        );
      case 'all':
        return true;
    }
  };

  const byOverlapThen = (at: string) => (a: Stored<unknown>, b: Stored<unknown>) =>
    Number(b.fields.overlapFlagged) - Number(a.fields.overlapFlagged) ||
    time(a.fields[at]) - time(b.fields[at]) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  // One transaction at a time: each works on a copy of every collection and replaces them all when
  // it commits, so two at once (two projections reading the same events off the shared tail) would
  // each drop what the other wrote, its checkpoint moved past events it no longer shows.
  let previous: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = previous.then(work, work);
    previous = run.catch(() => {});
    return run;
  };

  const sink: ReadModelSink & { name: 'memory' } = {
    name: 'memory',
    checkpoint: async (subscriptionId) => checkpoints.get(subscriptionId),
    transact: (subscriptionId, move, write) => oneAtATime(() => transactNow(subscriptionId, move, write)),
    checkpoints: async () =>
      [...checkpoints].map(([subscriptionId, checkpoint]) => ({ subscriptionId, checkpoint })),
    reset: (subscriptionId, collection) =>
      oneAtATime(async () => {
        collections = { ...collections, [collection]: new Map() };
        checkpoints.delete(subscriptionId);
      }),
  };

  async function transactNow(...[subscriptionId, move, write]: Parameters<ReadModelSink['transact']>) {
    const stored = checkpoints.get(subscriptionId);
    const standsAtFrom = !stored || stored === move.from;
    const draft: Collections = {
      orders: new Map(collections.orders),
      consultations: new Map(collections.consultations),
      incidents: new Map(collections.incidents),
    };
    await write({
      async load<V>(collection: ViewCollection, ids: readonly string[]) {
        return new Map(
          ids.flatMap((id) => {
            const found = draft[collection].get(id);
            return found
              ? [[id, { id, view: copy(found.view) as V, version: found.version, position: found.position }]]
              : [];
          }),
        );
      },
      async save(collection, changes) {
        for (const { document, fields } of changes.put)
          draft[collection].set(document.id, { ...copy(document), fields: copy(fields) });
        for (const id of changes.removed) draft[collection].delete(id);
      },
    });
    if (!standsAtFrom) throw new CheckpointConflictError(subscriptionId);
    collections = draft;
    checkpoints.set(subscriptionId, move.to);
  }

  const reads: DashboardReads = {
    async searchOrders(search) {
      const terms = search.q ? searchTerms(search.q) : null;
      const text = search.q?.trim().toLowerCase() ?? '';
      const contains = (value: unknown) => typeof value === 'string' && value.toLowerCase().includes(text);
      const matching = all<OrderView>('orders').filter(({ fields: f }) => {
        if (search.status && f.status !== search.status) return false;
        if (!terms) return true;
        return (
          f.orderIdUpper === terms.exact ||
          f.trackingUpper === terms.exact ||
          (f.identifiers as string[]).includes(terms.exact) ||
          (terms.dob !== null && f.patientDob === terms.dob) ||
          (terms.ndc11 !== null && f.ndc === terms.ndc11) ||
          [f.patientName, f.drugDescription, f.pharmacyName, f.trackingNumber].some(contains)
        );
      });
      const id = (a: Stored<unknown>, b: Stored<unknown>) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      matching.sort(
        search.sort === 'received'
          ? (a, b) => time(b.fields.receivedAt) - time(a.fields.receivedAt) || id(b, a)
          : (a, b) =>
              Number(a.fields.finished) - Number(b.fields.finished) ||
              time(a.fields.statusSince) - time(b.fields.statusSince) ||
              id(a, b),
      );
      const total = matching.length;
      const rows = matching.slice((search.page - 1) * search.pageSize, search.page * search.pageSize).map(
        ({ id, fields: f }): OrderListRow => ({
          order_id: id,
          status: f.status as OrderStatus,
          status_since: f.statusSince as Date,
          received_at: f.receivedAt as Date,
          updated_at: f.updatedAt as Date,
          patient_name: f.patientName as string | null,
          patient_state: f.patientState as string | null,
          drug_description: f.drugDescription as string | null,
          pharmacy_name: f.pharmacyName as string | null,
          tracking_number: f.trackingNumber as string | null,
          patient_pays_minor: f.patientPaysMinor as number | null,
          incident_states: f.incidentStates as string[],
          total,
        }),
      );
      return { rows, total };
    },

    async orderStatusCounts() {
      const orders = all<OrderView>('orders');
      return Object.fromEntries(
        ORDER_STATUSES.map((s) => [s, orders.filter((d) => d.fields.status === s).length]),
      ) as Record<OrderStatus, number>;
    },

    async pharmacyQueue(page) {
      const matching = all<ConsultationView>('consultations')
        .filter((d) => d.fields.status !== 'none' && pharmacyViewMatches(page.view, d, page.stalledBefore))
        .sort(byOverlapThen('statusSince'));
      return {
        total: matching.length,
        items: matching
          .slice((page.page - 1) * page.pageSize, page.page * page.pageSize)
          .map(({ id, view, fields }) => queueItemOfDocument(id, view, fields, incidentStatesOf(id))),
      };
    },

    async openReviewCases(queue) {
      return all<ConsultationView>('consultations')
        .filter(
          (d) => d.fields.reviewQueue === queue && OPEN_REVIEW_STATUSES.includes(d.fields.status as string),
        )
        .sort(byOverlapThen('queuedAt'))
        .map(
          ({ id, view, fields: f }): ReviewCase => ({
            consultationId: id,
            status: f.status as ReviewCase['status'],
            statusSince: f.statusSince as Date,
            queuedAt: f.queuedAt as Date | null,
            product: f.productName as string | null,
            patientName: f.patientName as string | null,
            renewalOf: f.renewalOf as string | null,
            flags: view.state.flags,
            incidentStates: incidentStatesOf(id),
          }),
        );
    },

    async openIncidents() {
      return all<IntegrationIncidentRow>('incidents')
        .sort(
          (a, b) =>
            time(b.fields.openedOrUpdatedAt) - time(a.fields.openedOrUpdatedAt) || (a.id < b.id ? -1 : 1),
        )
        .map((d) => copy(d.view));
    },
  };

  return { sink, reads };
};
