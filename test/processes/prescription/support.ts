import { createOrderCommands } from '../../../src/commands/prescription/orderCommands.js';
import { orderStream } from '../../../src/domain/prescription/order.js';
import type { OrderEvent } from '../../../src/domain/prescription/orderEvents.js';
import {
  createMemoryEventStore,
  type MemoryEventStore,
} from '../../../src/eventstore/memory/memoryEventStore.js';
import type { RecordedEvent } from '../../../src/eventstore/types.js';
import type {
  ClaimAdjudicator,
  ClaimResult,
  PharmacyClaim,
} from '../../../src/integrations/adjudication/port.js';
import type { OutgoingMail } from '../../../src/integrations/email/port.js';
import type {
  CheckoutRequest,
  CheckoutState,
  PaymentGateway,
  RefundCreated,
  RefundRequest,
} from '../../../src/integrations/payments/port.js';
import type {
  LabelQuote,
  LabelRequest,
  PurchasedLabel,
  ShippingCarrier,
  TrackingUpdate,
} from '../../../src/integrations/shipping/port.js';
import type { OutgoingSms } from '../../../src/integrations/sms/port.js';
import { type Clock, manualClock } from '../../../src/platform/clock.js';
import { deterministicId } from '../../../src/platform/ids.js';
import { silentLogger } from '../../../src/platform/logger.js';
import type { SqlPool } from '../../../src/platform/sql.js';
import type { PrescriptionProcessDeps } from '../../../src/processes/prescription/deps.js';
import type { ProcessContext } from '../../../src/processes/runtime.js';
import { NOW, parsedFixture } from '../../domain/prescription/fixtures.js';
import { enrolled, history, linkIssued, validated } from '../../domain/prescription/orderHistory.js';

export { NOW };
export const ORDER_ID = '01JORDERPROCESSTEST0000001';
export const LINK_SECRET = 'a-link-secret-for-process-tests-0123456789';

/** The valid specialty sample (adalimumab, Ohio patient with an e-mail address). */
export const samplePrescription = () => parsedFixture('newrx-specialty-valid.xml');

/** One event as the store hands it to a process manager; `at` is when it happened. */
export const recordedEvent = (
  streamName: string,
  event: { type: string; data: unknown },
  options: { revision?: number; at?: Date; id?: string } = {},
): RecordedEvent => ({
  id: options.id ?? deterministicId('given', streamName, options.revision ?? 0, event.type),
  type: event.type,
  data: event.data,
  metadata: {
    correlationId: streamName,
    causationId: null,
    actor: 'test',
    occurredAt: (options.at ?? NOW).toISOString(),
  },
  streamName,
  streamRevision: options.revision ?? 0,
  globalPosition: (options.revision ?? 0) + 1,
});

/** Puts an order's history in the store; returns the last event, the one a process manager handles. */
export const givenOrder = async (
  deps: { store: MemoryEventStore },
  history: OrderEvent[],
  orderId = ORDER_ID,
): Promise<RecordedEvent> => {
  const events = history.map((event, revision) => recordedEvent(orderStream(orderId), event, { revision }));
  await deps.store.appendToStream(
    orderStream(orderId),
    events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })),
  );
  return events.at(-1)!;
};

export type Scheduled = Parameters<ProcessContext['schedule']>[0];

/**
 * A hand-made context: ids derived as the runtime derives them, timers recorded, read models current.
 * A timer handler gets the same context, keyed by the timer instead of an event.
 */
export const processContext = (processName: string, event: Pick<RecordedEvent, 'id'>, clock: Clock) => {
  const scheduled: Scheduled[] = [];
  const readModelsAwaited: string[] = [];
  const context: ProcessContext = {
    clock,
    log: silentLogger,
    attempt: 1,
    idempotencyKey: (purpose) => deterministicId(processName, event.id, purpose),
    commandId: (purpose) => deterministicId(processName, event.id, 'command', purpose),
    schedule: async (timer) => {
      scheduled.push(timer);
    },
    readModelCaughtUp: async (projection) => {
      readModelsAwaited.push(projection.name);
    },
    // One event at a time, as a test delivers them: none comes after it.
    laterEventOfType: async () => false,
  };
  return { context, scheduled, readModelsAwaited };
};

type Rows = Record<string, unknown>[];

/**
 * A pool that answers the read-model queries a test names, by a fragment of their SQL, and records
 * every statement; any other query fails the test.
 */
export const fakePool = (answers: [sqlFragment: string, rows: Rows][] = []) => {
  const statements: { sql: string; params: unknown[] }[] = [];
  const pool = {
    async query(sql: string, params: unknown[] = []) {
      statements.push({ sql, params });
      const answer = answers.find(([fragment]) => sql.includes(fragment));
      if (!answer) throw new Error(`unexpected query: ${sql}`);
      return { rows: answer[1], rowCount: answer[1].length };
    },
  };
  return { pool: pool as unknown as SqlPool, statements };
};

export const sampleQuote: LabelQuote = {
  shipmentId: 'shp_1',
  rateId: 'rate_1',
  carrier: 'ups',
  serviceLevel: 'Next Day Air',
  amountMinor: 4_200,
  currency: 'usd',
};

export const sampleLabel: PurchasedLabel = {
  shipmentId: 'shp_1',
  transactionId: 'txn_1',
  carrier: 'ups',
  serviceLevel: 'Next Day Air',
  trackingNumber: '1Z999AA10123456784',
  labelUrl: 'https://labels.example/txn_1.pdf',
  trackingUrl: 'https://track.example/1Z999AA10123456784',
  amountMinor: 4_200,
  currency: 'usd',
};

export const paidClaim = (claim: PharmacyClaim): ClaimResult => ({
  outcome: 'paid',
  claimId: claim.claimId,
  authorizationNumber: 'AUTH-1',
  plan: { name: 'Buckeye Commercial', type: 'commercial' },
  tier: 3,
  currency: 'usd',
  ingredientCostMinor: 650_000,
  planPaysMinor: 647_500,
  patientPaysMinor: 2_500,
  deductibleAppliedMinor: 0,
  coupon: null,
  patientOwesMinor: 2_500,
});

/** Vendor ports as plain objects recording each call; answers can be replaced per test. */
export const fakeVendors = () => {
  const mail: OutgoingMail[] = [];
  const texts: OutgoingSms[] = [];
  const claims: PharmacyClaim[] = [];
  const checkouts: CheckoutRequest[] = [];
  const expired: string[] = [];
  const refunds: RefundRequest[] = [];
  const quotes: LabelRequest[] = [];
  const purchases: LabelQuote[] = [];
  const tracked: string[] = [];
  const answers = {
    adjudicate: async (claim: PharmacyClaim): Promise<ClaimResult> => paidClaim(claim),
    findPurchasedLabel: async (_quote: LabelQuote): Promise<PurchasedLabel | null> => null,
    getTracking: async (carrier: string, trackingNumber: string): Promise<TrackingUpdate> => ({
      carrier,
      trackingNumber,
      status: 'in_transit',
      statusDate: '2026-11-22T09:00:00Z',
    }),
    getCheckout: async (sessionId: string): Promise<CheckoutState> => ({
      sessionId,
      status: 'open',
      paid: false,
      paymentIntentId: null,
      customerId: null,
      amountMinor: null,
      currency: null,
      metadata: {},
    }),
    refund: async (request: RefundRequest): Promise<RefundCreated> => ({
      refundId: 're_1',
      status: 'succeeded',
      // Stripe refunds the whole payment when no amount is given; these tests always give one.
      amountMinor: request.amountMinor ?? 0,
    }),
  };
  const adjudicator: ClaimAdjudicator = {
    async adjudicate(claim) {
      claims.push(claim);
      return answers.adjudicate(claim);
    },
  };
  const payments = {
    async createCheckout(request: CheckoutRequest) {
      checkouts.push(request);
      return {
        sessionId: `cs_test_${checkouts.length}`,
        url: `https://checkout.example/cs_test_${checkouts.length}`,
        expiresAt: request.expiresAt!.toISOString(),
      };
    },
    async expireCheckout({ sessionId }: { sessionId: string }) {
      expired.push(sessionId);
      return { status: 'expired' as const };
    },
    async getCheckout(sessionId: string) {
      return answers.getCheckout(sessionId);
    },
    async refund(request: RefundRequest) {
      refunds.push(request);
      return answers.refund(request);
    },
  } as unknown as PaymentGateway;
  const carrier = {
    async quoteLabel(request: LabelRequest) {
      quotes.push(request);
      return sampleQuote;
    },
    async purchaseLabel({ quote }: { quote: LabelQuote }) {
      purchases.push(quote);
      return sampleLabel;
    },
    async findPurchasedLabel(quote: LabelQuote) {
      return answers.findPurchasedLabel(quote);
    },
    async getTracking(carrierName: string, trackingNumber: string) {
      tracked.push(trackingNumber);
      return answers.getTracking(carrierName, trackingNumber);
    },
  } as unknown as ShippingCarrier;
  return {
    answers,
    calls: { mail, texts, claims, checkouts, expired, refunds, quotes, purchases, tracked },
    ports: {
      adjudicator,
      payments,
      carrier,
      mailer: {
        async send(message: OutgoingMail) {
          mail.push(message);
          return { messageId: `m${mail.length}` };
        },
      },
      sms: {
        async send(message: OutgoingSms) {
          texts.push(message);
        },
      },
    },
  };
};

/** The prescription flow's dependencies over an in-memory store, the real order commands and fakes. */
export const prescriptionDeps = (pool: SqlPool = fakePool().pool) => {
  const clock = manualClock(NOW);
  const store = createMemoryEventStore();
  const vendors = fakeVendors();
  const commands = createOrderCommands({
    store,
    pool,
    clock,
    documents: {} as never,
    linkSecret: LINK_SECRET,
    linkTtlHours: 72,
  });
  const deps: PrescriptionProcessDeps & { store: typeof store } = {
    store,
    commands,
    catalogue: { load: async () => null },
    pool,
    clock,
    ...vendors.ports,
    linkSecret: LINK_SECRET,
    pharmacyName: 'Riverbend Specialty Pharmacy',
    publicUrl: 'https://pharmacy.example.org',
    trackingPollMs: 15 * 60_000,
    paymentCheckMs: 30 * 60_000,
  };
  return { deps, clock, calls: vendors.calls, answers: vendors.answers };
};

/** The events the order stream holds after `history`, by type: what a process manager added. */
export const eventsAfter = async (deps: { store: MemoryEventStore }, from: number) =>
  (await deps.store.readStream(orderStream(ORDER_ID))).slice(from).map(({ type, data }) => ({ type, data }));

/** The sample prescription as received for ORDER_ID. */
export const received = (patientKey: string | null = null): OrderEvent => ({
  type: 'PrescriptionReceived',
  data: {
    orderId: ORDER_ID,
    messageId: 'M1',
    patientKey,
    prescription: samplePrescription(),
    rawMessage: '<Message/>',
    receivedAt: NOW.toISOString(),
  },
});

/** An order's common paths over the sample prescription, for tests that start part-way. */
export const orderHistory = {
  get enrolled(): OrderEvent[] {
    return [received(), validated, linkIssued, enrolled];
  },
  get selected(): OrderEvent[] {
    return [received(), ...history.selected.slice(1)];
  },
  get awaitingPayment(): OrderEvent[] {
    return [received(), ...history.awaitingPayment.slice(1)];
  },
  get paid(): OrderEvent[] {
    return [received(), ...history.paid.slice(1)];
  },
  get inTransit(): OrderEvent[] {
    return [received(), ...history.inTransit.slice(1)];
  },
};

/** A catalogue row (drug_catalogue) for the sample's adalimumab, classified as given. */
export const catalogueRow = (handling: { storageClass: 'ambient' | 'refrigerated' | 'frozen' | null }) => ({
  data: {
    ndc11: '00074055402',
    proprietaryName: 'Humira',
    genericName: 'adalimumab',
    strength: '40 mg/0.4 mL',
    dosageForm: 'INJECTION',
    route: 'SUBCUTANEOUS',
    labeler: 'AbbVie',
    packageDescription: null,
    deaSchedule: null,
    storageClass: handling.storageClass,
    specialty: true,
    limitedDistribution: null,
    rems: false,
  },
  added_by: 'admin',
  source: 'admin',
  classified_by: handling.storageClass ? 'pharmacist' : null,
  classified_at: handling.storageClass ? NOW : null,
  updated_at: NOW,
  updated_by: 'admin',
});

/** A pharmacies row: an Ohio specialty pharmacy with cold chain, in network for the sample plan. */
export const pharmacyRow = (id = 'PH-1', openOrders = 0) => ({
  data: {
    id,
    name: 'Scioto Specialty Pharmacy',
    npi: '1234567893',
    ncpdpId: '3612345',
    address: { line1: '50 W Broad St', city: 'Columbus', state: 'OH', postalCode: '43215' },
    location: null,
    licensedStates: ['OH'],
    acceptedPlans: [{ bin: '610014', pcn: 'P' }],
    capabilities: { specialty: true, coldChain: true, frozen: false, limitedDistribution: [] },
    capacityPerDay: 40,
    turnaroundHours: 24,
  },
  status: 'active',
  suspension: null,
  open_orders: openOrders,
});
