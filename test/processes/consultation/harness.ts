import { createConsultationCommands } from '../../../src/commands/consultation/consultationCommands.js';
import { createStockCommands } from '../../../src/commands/consultation/stock.js';
import { type AccountEvent, accountStream } from '../../../src/domain/consultation/account.js';
import { consultationStream } from '../../../src/domain/consultation/consultation.js';
import type { ConsultationEvent } from '../../../src/domain/consultation/consultationEvents.js';
import { createMemoryEventStore } from '../../../src/eventstore/memory/memoryEventStore.js';
import type { RecordedEvent } from '../../../src/eventstore/types.js';
import type { DispatchService } from '../../../src/integrations/dispatch/port.js';
import type { DocumentStore } from '../../../src/integrations/documents/port.js';
import type { Mailer, OutgoingMail } from '../../../src/integrations/email/port.js';
import type { IdentityVerifier } from '../../../src/integrations/identity/port.js';
import type { PaymentGateway } from '../../../src/integrations/payments/port.js';
import type { PmrSync } from '../../../src/integrations/pmr/port.js';
import type { PrescribingService } from '../../../src/integrations/prescribing/port.js';
import type { OutgoingSms, SmsSender } from '../../../src/integrations/sms/port.js';
import { manualClock } from '../../../src/platform/clock.js';
import { deterministicId } from '../../../src/platform/ids.js';
import { silentLogger } from '../../../src/platform/logger.js';
import type { SqlPool } from '../../../src/platform/sql.js';
import type { ConsultationProcessDeps } from '../../../src/processes/consultation/deps.js';
import type { ProcessContext, ProcessManager } from '../../../src/processes/runtime.js';
import { CONSULTATION_ID } from '../../domain/consultation/fixtures.js';

export { CONSULTATION_ID };

export const NOW = '2026-03-05T09:00:00.000Z';

export const team = {
  pharmacyTeamEmail: 'pharmacy@northfield.example',
  prescriberTeamEmail: 'prescribers@northfield.example',
  pharmacistTeamEmail: 'pharmacists@northfield.example',
  gpLetterMailbox: 'gp-letters@nhs.example',
  reviewNotifications: 'immediate',
  digestMinutes: 30,
  pharmacy: { name: 'Northfield Online Pharmacy', address: ['1 High Street', 'Leeds LS1 1AA'] },
} satisfies ConsultationProcessDeps['team'];

export const patientDetails = {
  consultationId: CONSULTATION_ID,
  patientRef: 'patient-42',
  firstName: 'Sam',
  lastName: 'Carter',
  email: 'sam@example.com',
  phone: '+447700900123',
  address: { line1: '2 Mill Lane', town: 'Leeds', postcode: 'LS2 7EW' },
  nhsNumber: null,
  gpConsent: { given: true, recordedAt: '2026-03-02T09:00:00.000Z' },
};

/** A vendor call as a fake port saw it. */
export type Call = { port: string; method: string; input: unknown };

type Fakes = {
  /** Answers a read-model query by its SQL; no rows unless a test says otherwise. */
  rows?: (sql: string, params: readonly unknown[]) => unknown[];
  team?: Partial<ConsultationProcessDeps['team']>;
  withoutSms?: boolean;
  verification?: 'pass' | 'refer' | 'fail';
  checkout?: Awaited<ReturnType<PaymentGateway['getCheckout']>>;
};

/**
 * One consultation's world in memory: the real command services on the in-memory event store, a
 * manual clock, and vendor ports that record what they were asked and answer the obvious thing.
 */
export const consultationWorld = (fakes: Fakes = {}) => {
  const store = createMemoryEventStore();
  const clock = manualClock(NOW);
  const calls: Call[] = [];
  const mails: OutgoingMail[] = [];
  const texts: OutgoingSms[] = [];
  const queries: { sql: string; params: readonly unknown[] }[] = [];
  const stored = new Map<string, { body: Buffer; contentType: string }>();
  const record = (port: string, method: string, input: unknown) => calls.push({ port, method, input });

  const pool = {
    async query(sql: string, params: readonly unknown[] = []) {
      queries.push({ sql, params });
      return { rows: fakes.rows?.(sql, params) ?? [] };
    },
  } as unknown as SqlPool;

  const mailer: Mailer = {
    async send(mail) {
      mails.push(mail);
      return { messageId: `msg-${mails.length}` };
    },
  };
  const sms: SmsSender = {
    async send(text) {
      texts.push(text);
    },
  };
  const documents = {
    async put(input: { key: string; body: Buffer; contentType: string }) {
      record('documents', 'put', input);
      stored.set(input.key, { body: input.body, contentType: input.contentType });
    },
    async get(key: string) {
      return stored.get(key) ?? null;
    },
  } as unknown as DocumentStore;
  const payments = {
    async refund(input: unknown) {
      record('payments', 'refund', input);
      return { refundId: `re_${calls.length}`, status: 'pending', amountMinor: 0 };
    },
    async expireCheckout(input: unknown) {
      record('payments', 'expireCheckout', input);
      return { status: 'expired' };
    },
    async chargeSavedCard(input: unknown) {
      record('payments', 'chargeSavedCard', input);
      return { ok: true, paymentIntentId: 'pi_month_2' };
    },
    async getCheckout(sessionId: string) {
      record('payments', 'getCheckout', sessionId);
      if (!fakes.checkout) throw new Error('no checkout answer given to the fake');
      return fakes.checkout;
    },
  } as unknown as PaymentGateway;
  const identity = {
    async verify(input: unknown) {
      record('identity', 'verify', input);
      return { outcome: fakes.verification ?? 'pass', reference: 'idu-1', score: 90, checks: [] };
    },
    async submitDocument(input: unknown) {
      record('identity', 'submitDocument', input);
      return { outcome: 'pass', reference: 'idu-doc-1' };
    },
  } as unknown as IdentityVerifier;
  const prescribing = {
    async createPrescription(input: unknown) {
      record('prescribing', 'createPrescription', input);
      return {
        prescriptionId: 'srx_rx_1001',
        status: 'awaiting_signature',
        signingUrl: 'https://srx.example/s/1',
      };
    },
    async findPrescription(consultationRef: string) {
      record('prescribing', 'findPrescription', consultationRef);
      return null;
    },
    async cancelPrescription(input: unknown) {
      record('prescribing', 'cancelPrescription', input);
    },
  } as unknown as PrescribingService;
  const pmr = {
    async pushPatientAndOrder(input: unknown) {
      record('pmr', 'pushPatientAndOrder', input);
      return { pmrPatientId: 'titan-77', pmrOrderId: 'titan-order-1' };
    },
  } as unknown as PmrSync;
  const dispatch = {
    async createShipment(input: unknown) {
      record('dispatch', 'createShipment', input);
      return {
        orderIdentifier: 'rm-ship-1',
        trackingNumber: 'RM123456785GB',
        labelPdf: Buffer.from('%PDF-label'),
      };
    },
    async findShipment(orderReference: string) {
      record('dispatch', 'findShipment', orderReference);
      return null;
    },
  } as unknown as DispatchService;

  const stock = createStockCommands({ store, clock });
  const commands = createConsultationCommands({
    store,
    pool,
    clock,
    documents,
    payments,
    stock,
    linkSecret: 'test-link-secret',
    publicUrl: 'https://pharmacy.example',
  });
  const deps: ConsultationProcessDeps = {
    commands,
    pool,
    clock,
    mailer,
    ...(fakes.withoutSms ? {} : { sms }),
    documents,
    payments,
    identity,
    prescribing,
    pmr,
    dispatch,
    linkSecret: 'test-link-secret',
    publicUrl: 'https://pharmacy.example',
    team: { ...team, ...fakes.team },
    paymentCheckMs: 15 * 60_000,
    trackingPollMs: 30 * 60_000,
  };

  let sequence = 0;
  const nextSequence = () => {
    sequence += 1;
    return sequence;
  };
  const metadata = (occurredAt: string) => ({
    correlationId: CONSULTATION_ID,
    causationId: null,
    actor: 'test',
    occurredAt,
  });

  /** Appends a consultation's history as its own stream holds it, and returns it as recorded. */
  const given = async (history: readonly ConsultationEvent[], occurredAt = NOW) => {
    await store.appendToStream(
      consultationStream(CONSULTATION_ID),
      history.map((event) => ({
        id: deterministicId('history', CONSULTATION_ID, nextSequence()),
        type: event.type,
        data: event.data,
        metadata: metadata(occurredAt),
      })),
    );
    return store.readStream(consultationStream(CONSULTATION_ID));
  };

  /** Facts on the consultation's account stream (patient details, card, clinicians…). */
  const givenAccount = async (...facts: AccountEvent[]) => {
    for (const fact of facts) {
      await commands.recordFact(CONSULTATION_ID, fact, { actor: 'test', idParts: [nextSequence()] });
    }
    return store.readStream(accountStream(CONSULTATION_ID));
  };

  /** The last event of a type in a stream, as the subscription would deliver it. */
  const last = async (type: string, stream = consultationStream(CONSULTATION_ID)) => {
    const found = (await store.readStream(stream)).findLast((e) => e.type === type);
    if (!found) throw new Error(`no ${type} in ${stream}`);
    return found;
  };

  /** The events a handling appended to the consultation's stream after `after`. */
  const appendedAfter = async (after: RecordedEvent) =>
    (await store.readStream(consultationStream(CONSULTATION_ID))).filter(
      (e) => e.streamRevision > after.streamRevision,
    );

  const scheduled: Parameters<ProcessContext['schedule']>[0][] = [];
  const contextFor = (pm: ProcessManager, event: RecordedEvent): ProcessContext => ({
    clock,
    log: silentLogger,
    attempt: 1,
    idempotencyKey: (purpose) => deterministicId(pm.name, event.id, purpose),
    commandId: (purpose) => deterministicId(pm.name, event.id, 'command', purpose),
    async schedule(timer) {
      scheduled.push(timer);
    },
    readModelCaughtUp: async () => {},
    laterEventOfType: async () => false,
  });

  /** Delivers one recorded event to a process manager, as the runtime would on its first attempt. */
  const deliver = (pm: ProcessManager, event: RecordedEvent) => pm.handle(event, contextFor(pm, event));

  return {
    store,
    clock,
    deps,
    commands,
    stock,
    calls,
    mails,
    texts,
    queries,
    stored,
    scheduled,
    given,
    givenAccount,
    last,
    appendedAfter,
    contextFor,
    deliver,
  };
};

export type ConsultationWorld = ReturnType<typeof consultationWorld>;

/** An event as a subscription delivers it, for a stream the test does not otherwise build. */
export const recordedEvent = (
  streamName: string,
  type: string,
  data: unknown,
  occurredAt = NOW,
): RecordedEvent => ({
  id: deterministicId('recorded', streamName, type, JSON.stringify(data)),
  type,
  data,
  metadata: { correlationId: CONSULTATION_ID, causationId: null, actor: 'test', occurredAt },
  streamName,
  streamRevision: 0,
  globalPosition: 1,
});

export const patientRecorded: AccountEvent = { type: 'PatientDetailsRecorded', data: patientDetails };

export const prescriberRecorded: AccountEvent = {
  type: 'ClinicianCredentialsRecorded',
  data: {
    clinicianId: 'dr-patel',
    fullName: 'Dr Anita Patel',
    registrationNumber: '7654321',
    role: 'prescriber',
  },
};
