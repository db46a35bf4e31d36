import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/eventstore/types.js';
import { FIXTURE_PATIENT_PHI, type LogRecord, logCapture, phiFoundIn } from '../support/logCapture.js';
import { type Harness, startHarness } from '../support/platformHarness.js';
import { insurance, prescriptionSteps, waitForStatus } from '../support/prescriptionSteps.js';

// One NewRx from intake to its checkout, read back from the platform's log: the request that
// starts a chain, every process manager delivery it causes and the vendor calls they make share
// the request's correlation id, and each delivery's causation id is the event that caused it.

const logs = logCapture();
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ logStream: logs.stream, env: { LOG_LEVEL: 'info' } });
}, 120_000);
afterAll(() => harness?.close());

const short = (id: string | undefined) => id?.slice(0, 8) ?? '-';
const shown = (record: LogRecord) =>
  `corr=${short(record.correlationId)} cause=${short(record.causationId)} ${record.msg}`;

/** The request line for `method path` and the correlation id it carries. */
const requestLine = (records: LogRecord[], start: string) => {
  const line = records.find((r) => r.msg.startsWith(start) && r.correlationId);
  expect(line, start).toBeDefined();
  return line!;
};

describe('correlated logs', () => {
  it('follow one order by correlation id from each request through its process managers and vendor calls', async () => {
    const steps = prescriptionSteps(harness);
    await steps.api.signIn('ops@pharmacy.example.org', harness.passwords.ops!);
    const orderId = await steps.validatedOrder(`correlated-${Date.now()}`);
    const token = await steps.startEnrollment(orderId);
    await steps.enroll(token, `${insurance.memberId}C`);
    await steps.selectBestPharmacy(orderId);
    await waitForStatus(steps.api, orderId, 'awaiting_payment');
    await harness.composition.platform.drain(20_000);

    const stream = `order-${orderId}`;
    const events = await harness.composition.platform.store.readStream(stream);
    const byId = new Map<string, RecordedEvent>(events.map((e) => [e.id, e]));
    const records = logs.records();
    const deliveries = records.filter((r) => r.stream === stream && r.processManager);
    const chains = new Set(events.map((e) => e.metadata.correlationId));
    const correlated = records.filter((r) => r.correlationId && chains.has(r.correlationId));
    console.log(
      `order ${orderId}: ${correlated.length} correlated lines\n${correlated.map(shown).join('\n')}`,
    );

    // The intake request's id is the correlation of the prescription it received and of what followed.
    const intake = requestLine(records, 'POST /api/intake 202');
    const received = events.find((e) => e.type === 'PrescriptionReceived')!;
    expect(received.metadata.correlationId).toBe(intake.correlationId);
    const validation = deliveries.find((r) => r.eventId === received.id && r.msg.includes('handled'));
    expect(validation?.correlationId).toBe(intake.correlationId);
    const validated = events.find((e) => e.metadata.causationId === received.id);
    expect(validated?.metadata.correlationId).toBe(intake.correlationId);

    // Ops choosing a pharmacy starts a chain of its own: adjudication calls the payer, then payment
    // opens a Stripe checkout, every line carrying that request's id.
    const selection = requestLine(records, `POST /api/orders/${orderId}/pharmacy 200`);
    const selected = events.find((e) => e.type === 'PharmacySelected')!;
    expect(selected.metadata.correlationId).toBe(selection.correlationId);
    const payer = records.find((r) => r.vendor === 'payer' && r.operation === 'adjudicate');
    expect(payer).toMatchObject({
      outcome: 'ok',
      correlationId: selection.correlationId,
      causationId: selected.id,
      processManager: 'prescription-adjudication',
    });
    const adjudicated = events.find((e) => e.type === 'ClaimAdjudicated')!;
    expect(adjudicated.metadata).toMatchObject({
      correlationId: selection.correlationId,
      causationId: selected.id,
    });
    const checkout = records.find((r) => r.vendor === 'stripe' && r.operation === 'createCheckout');
    expect(checkout).toMatchObject({
      outcome: 'ok',
      correlationId: selection.correlationId,
      causationId: adjudicated.id,
    });

    // Every delivery line names the event it handled as its causation, under that event's correlation.
    expect(deliveries.length).toBeGreaterThan(5);
    for (const line of deliveries) {
      const cause = byId.get(line.causationId!);
      expect(cause, line.msg).toBeDefined();
      expect(line.eventId).toBe(cause!.id);
      expect(line.correlationId).toBe(cause!.metadata.correlationId);
    }
    // And every event a process manager caused points back at an event of the order, in its chain.
    for (const event of events.filter((e) => e.metadata.actor.startsWith('system:'))) {
      const cause = byId.get(event.metadata.causationId ?? '');
      if (!cause) continue; // caused from outside the order's stream (a webhook, a drug's review)
      expect(event.metadata.correlationId, event.type).toBe(cause.metadata.correlationId);
    }
  }, 180_000);

  it('carry no patient data on any of those lines', () => {
    expect(logs.records().some((r) => r.vendor && r.operation)).toBe(true);
    expect(phiFoundIn(logs.lines, FIXTURE_PATIENT_PHI)).toEqual([]);
  });
});
