import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointConflictError } from '../../src/eventstore/errors.js';
import { START_CHECKPOINT } from '../../src/eventstore/postgres/position.js';
import { readBatch } from '../../src/eventstore/postgres/readBatch.js';
import { encodeCheckpoint } from '../../src/eventstore/postgres/subscriptionSource.js';
import type { OpaqueCheckpoint } from '../../src/eventstore/subscriptions.js';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { MINUTE, manualClock } from '../../src/platform/clock.js';
import { PHARMACY_VIEW_NAMES } from '../../src/projections/consultations/consultationQueries.js';
import {
  consultationDocuments,
  incidentDocuments,
  orderDocuments,
} from '../../src/projections/dashboardDocuments.js';
import { type DashboardReads, postgresDashboardReads } from '../../src/projections/dashboardReads.js';
import {
  applyDocumentBatch,
  type DocumentProjection,
  documentSubscriptionId,
  type ReadModelSink,
} from '../../src/projections/viewDocuments.js';
import { memoryReadModels } from '../../src/readmodels/memory/memoryReadModels.js';
import { openMongoReadModels } from '../../src/readmodels/mongodb/mongoReadModels.js';
import { consultationSteps, HAIR_LOSS, SILDENAFIL } from '../support/consultationSteps.js';
import { anEvent } from '../support/events.js';
import { mongodbTarget } from '../support/mongodb.js';
import { type Harness, newRxWith, startHarness } from '../support/platformHarness.js';
import { prescriptionSteps } from '../support/prescriptionSteps.js';

/**
 * The dashboards' read-model port, held to one contract: fed the events of real orders,
 * consultations and vendor incidents (made through the public API with the stand-ins), every
 * adapter answers each dashboard question exactly as the PostgreSQL read models the platform
 * keeps. The in-memory adapter runs everywhere; MongoDB where MONGODB_URL is set or a Docker
 * engine answers, and is reported as skipped with that reason otherwise.
 */
const TRIGGER = [
  '',
  '00000000-0000-4000-8000-000000000001',
  '00000000-0000-4000-8000-000000000002',
  '00000000-0000-4000-8000-000000000003',
];
const clock = manualClock(new Date('2026-11-02T09:00:00Z'));
let harness: Harness;
let postgres: DashboardReads;
const projections = [
  orderDocuments,
  consultationDocuments,
  incidentDocuments,
] as DocumentProjection<unknown>[];
const eventsOf = new Map<string, RecordedEvent[]>();
const transactionsOf = new Map<string, string[]>();

beforeAll(async () => {
  harness = await startHarness({ clock });
  const steps = await consultationSteps(harness, clock);
  const orders = prescriptionSteps(harness);

  const okafor = await orders.intake(await newRxWith('CONTRACT-RX-1'));
  await steps.advance(MINUTE);
  await orders.intake(
    await newRxWith('CONTRACT-RX-2', { '<LastName>Okafor</LastName>': '<LastName>Brennan</LastName>' }),
  );
  await steps.advance(MINUTE);
  await orders.intake(
    await newRxWith('CONTRACT-RX-3', {
      'MRN-0042117': 'MRN-0077001',
      '<FirstName>Adaeze</FirstName>': '<FirstName>Ife</FirstName>',
    }),
  );
  await steps.advance(MINUTE);
  await steps.paidConsultation(HAIR_LOSS, { kind: 'one_off' }, { lastName: 'Achterberg' });
  await steps.advance(MINUTE);
  await steps.paidConsultation(SILDENAFIL, { kind: 'one_off' }, { lastName: 'Bianchi' });
  await steps.advance(MINUTE);
  const draft = await steps.start(HAIR_LOSS, { lastName: 'Castellano' });
  await steps.advance(MINUTE);

  // Vendor incidents: one left open on a consultation, one on an order, one opened and recovered.
  const store = harness.composition.platform.store;
  const incident = (type: string, data: Record<string, unknown>) => ({
    ...anEvent(type, data),
    metadata: { ...anEvent().metadata, occurredAt: clock.now().toISOString() },
  });
  const call = { integration: 'stripe', processManager: 'contract-test', cycle: '1' };
  await store.appendToStream(`consultation-${draft.id}`, [
    incident('IntegrationCallFailed', {
      ...call,
      triggerEventId: TRIGGER[1],
      attempt: 1,
      error: 'HTTP 503',
      nextAttemptAt: clock.now().toISOString(),
    }),
  ]);
  await steps.advance(MINUTE);
  await store.appendToStream(`order-${okafor}`, [
    incident('IntegrationFlaggedForManualHandling', {
      ...call,
      triggerEventId: TRIGGER[2],
      attempts: 5,
      error: 'HTTP 500',
    }),
  ]);
  await steps.advance(MINUTE);
  await store.appendToStream(`order-${okafor}`, [
    incident('IntegrationCallFailed', {
      ...call,
      triggerEventId: TRIGGER[3],
      attempt: 1,
      error: 'timeout',
      nextAttemptAt: null,
    }),
    incident('IntegrationCallRecovered', { ...call, triggerEventId: TRIGGER[3], attempt: 2 }),
  ]);
  await steps.settle();

  postgres = postgresDashboardReads(harness.db.pool);
  for (const projection of projections) {
    const batch = await readBatch(harness.db.pool, {
      filter: projection.filter,
      after: START_CHECKPOINT,
      limit: 100_000,
    });
    eventsOf.set(projection.name, batch.events);
    transactionsOf.set(projection.name, batch.transactionIds);
  }
}, 120_000);
afterAll(() => harness?.close());

/** Projects every event in two batches (the second loads what the first stored), checkpoint to checkpoint. */
const project = async (sink: ReadModelSink & { name: string }) => {
  for (const projection of projections) {
    const events = eventsOf.get(projection.name)!;
    const transactions = transactionsOf.get(projection.name)!;
    const half = Math.floor(events.length / 2);
    const id = documentSubscriptionId(sink.name, projection);
    let from: OpaqueCheckpoint | undefined;
    for (const [start, end] of [
      [0, half],
      [half, events.length],
    ] as const) {
      const part = events.slice(start, end);
      const last = part.at(-1);
      const to = last
        ? encodeCheckpoint({ transactionId: transactions[end - 1]!, globalPosition: last.globalPosition })
        : from;
      if (to === undefined) continue;
      await sink.transact(id, { from, to }, (views) => applyDocumentBatch(projection, views, part));
      from = to;
    }
  }
};

const mongodb = await mongodbTarget();
const adapters: {
  name: string;
  skipped?: string;
  open(): Promise<{ sink: ReadModelSink & { name: string }; reads: DashboardReads; close(): Promise<void> }>;
}[] = [
  { name: 'memory', open: async () => ({ ...memoryReadModels(), close: async () => {} }) },
  {
    name: 'mongodb',
    skipped: mongodb.skipped,
    open: async () => {
      const server = await mongodb.open();
      const models = await openMongoReadModels({ url: server.url, database: `contract_${Date.now()}` });
      return {
        ...models,
        close: async () => {
          await models.close();
          await server.close();
        },
      };
    },
  },
];

for (const adapter of adapters) {
  describe.skipIf(adapter.skipped !== undefined)(
    `dashboard read models on ${adapter.name}${adapter.skipped ? ` (skipped: ${adapter.skipped})` : ''}`,
    () => {
      let models: Awaited<ReturnType<(typeof adapters)[number]['open']>>;
      beforeAll(async () => {
        models = await adapter.open();
        await project(models.sink);
      });
      afterAll(() => models?.close());

      it('counts orders per status as PostgreSQL does', async () => {
        expect(await models.reads.orderStatusCounts()).toEqual(await postgres.orderStatusCounts());
      });

      it.each([
        { sort: 'received' as const },
        { sort: 'waiting' as const },
        { sort: 'received' as const, q: 'okafor' },
        { sort: 'received' as const, q: 'mrn-0077001' },
        { sort: 'received' as const, q: '03/14/1979' },
        { sort: 'received' as const, q: 'bren' },
        { sort: 'waiting' as const, status: 'received' as const },
        { sort: 'received' as const, pageSize: 2, page: 2 },
      ])('lists and searches orders as PostgreSQL does: %o', async (search) => {
        const asked = { page: 1, pageSize: 25, ...search };
        const answer = await models.reads.searchOrders(asked);
        expect(answer).toEqual(await postgres.searchOrders(asked));
        const expectedTotal: Record<string, number> = {
          okafor: 2,
          'mrn-0077001': 1,
          '03/14/1979': 3,
          bren: 1,
        };
        if (search.q) expect(answer.total).toBe(expectedTotal[search.q]);
        else if (!search.status) expect(answer.total).toBe(3);
      });

      it.each(PHARMACY_VIEW_NAMES)('answers the pharmacy queue view %s as PostgreSQL does', async (view) => {
        const page = { view, page: 1, pageSize: 25, stalledBefore: new Date(clock.now().getTime() + 1) };
        expect(await models.reads.pharmacyQueue(page)).toEqual(await postgres.pharmacyQueue(page));
      });

      it.each(['prescriber', 'pharmacist'] as const)(
        'answers the %s review queue as PostgreSQL does',
        async (queue) => {
          expect(await models.reads.openReviewCases(queue)).toEqual(await postgres.openReviewCases(queue));
        },
      );

      it('lists the open vendor incidents as PostgreSQL does (a recovered call is gone)', async () => {
        const open = await models.reads.openIncidents();
        expect(open).toEqual(await postgres.openIncidents());
        expect(open.map((i) => i.trigger_event_id).sort()).toEqual([TRIGGER[1], TRIGGER[2]]);
      });

      it('refuses a batch from a checkpoint another consumer has moved, and keeps nothing of it', async () => {
        const id = documentSubscriptionId(models.sink.name, orderDocuments);
        const stands = await models.sink.checkpoint(id);
        expect(stands).toBeDefined();
        const before = await models.reads.orderStatusCounts();
        const cancelled = eventsOf
          .get('orders')!
          .slice(0, 1)
          .map((e) => ({ ...e, type: 'OrderCancelled', data: { reason: 'contract', cancelledBy: 'x' } }));
        await expect(
          models.sink.transact(id, { from: undefined, to: stands! }, (views) =>
            applyDocumentBatch(orderDocuments as DocumentProjection<unknown>, views, cancelled),
          ),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await models.reads.orderStatusCounts()).toEqual(before);
        expect(await models.sink.checkpoint(id)).toEqual(stands);
      });
    },
  );
}
