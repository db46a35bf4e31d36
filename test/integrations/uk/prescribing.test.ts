import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SignatureRxStandIn, startSignatureRxStandIn } from '../../../sandbox/signaturerx/server.js';
import { signPayload } from '../../../sandbox/signaturerx/webhookOutbox.js';
import { VendorRejectedError, VendorUnavailableError } from '../../../src/integrations/errors.js';
import {
  type CreatePrescriptionInput,
  InvalidSignatureError,
  type PrescribingService,
  UnreadableWebhookError,
} from '../../../src/integrations/prescribing/port.js';
import { createSignatureRxPrescribing } from '../../../src/integrations/prescribing/signatureRxClient.js';
import { manualClock } from '../../../src/platform/clock.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhookReceiver.js';

let srx: SignatureRxStandIn;
let receiver: WebhookReceiver;
let prescribing: PrescribingService;
// The platform's clock, set per test to the stand-in's wall clock so signatures are fresh.
const clock = manualClock();

const consultation = (overrides: Partial<CreatePrescriptionInput> = {}): CreatePrescriptionInput => ({
  idempotencyKey: randomUUID(),
  consultationRef: `CONS-${randomUUID().slice(0, 8)}`,
  patient: {
    name: 'Amelia Hart',
    dob: '1980-04-12',
    address: { line1: '7 Orchard Row', town: 'Bath', postcode: 'BA1 2LX' },
    nhsNumber: '943 476 5919',
  },
  prescriber: { id: 'prescriber-17', name: 'Dr Priya Shah', gphcOrGmcNumber: '7654321' },
  items: [
    { productName: 'Mounjaro KwikPen', dosage: '2.5 mg', quantity: 1, instructions: 'Inject once weekly' },
  ],
  coversMonths: 1,
  ...overrides,
});

const webhooksFor = (prescriptionId: string) =>
  receiver
    .received()
    .filter(
      (w) =>
        (w.json as unknown as { data: { prescriptionId: string } }).data.prescriptionId === prescriptionId,
    );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  srx = await startSignatureRxStandIn({ webhookUrl: receiver.url, retryDelaysMs: [20, 40] });
  prescribing = createSignatureRxPrescribing({
    baseUrl: srx.url,
    apiKey: srx.apiKey,
    webhookSecret: srx.webhookSecret,
    timeoutMs: 2_000,
    clock,
  });
});

beforeEach(() => clock.set(new Date()));

afterAll(async () => {
  await srx?.close();
  await receiver?.close();
});

describe('a prescription from approval to signature', () => {
  it('awaits the prescriber, who signs on the signing page, and the signed webhook says so', async () => {
    const input = consultation({ coversMonths: 3 });
    const created = await prescribing.createPrescription(input);
    expect(created).toEqual({
      prescriptionId: expect.stringMatching(/^rx_/),
      status: 'awaiting_signature',
      signingUrl: `${srx.url}/sign/${created.prescriptionId}`,
    });

    const page = await (await fetch(created.signingUrl)).text();
    expect(page).toContain('<button type="submit">Sign prescription</button>');
    expect(page).toContain('Amelia Hart');
    expect(page).toContain('3 months');

    const click = await fetch(created.signingUrl, { method: 'POST', redirect: 'manual' });
    expect(click.status).toBe(303);
    const [delivered] = await receiver.waitFor((w) => webhooksFor(created.prescriptionId).includes(w));
    const event = prescribing.parseWebhook(delivered!.rawBody, delivered!.headers);
    expect(event).toEqual({
      kind: 'signed',
      eventId: expect.stringMatching(/^evt_/),
      prescriptionId: created.prescriptionId,
      consultationRef: input.consultationRef,
      signedAt: expect.any(String),
    });

    const after = await (await fetch(created.signingUrl)).text();
    expect(after).toContain('final and cannot be changed');
    expect(after).not.toContain('<button');
  });

  it('returns the first prescription to a retried create', async () => {
    const input = consultation();
    const first = await prescribing.createPrescription(input);
    expect(await prescribing.createPrescription(input)).toEqual(first);
    expect(srx.prescriptions().filter((rx) => rx.clinicReference === input.consultationRef)).toHaveLength(1);
  });

  it('finds a prescription already created for a consultation (under another key), so a retry adopts it', async () => {
    const input = consultation();
    expect(await prescribing.findPrescription(input.consultationRef)).toBeNull();
    const created = await prescribing.createPrescription(input);
    expect(await prescribing.findPrescription(input.consultationRef)).toEqual(created);
    await prescribing.cancelPrescription({
      idempotencyKey: randomUUID(),
      prescriptionId: created.prescriptionId,
      reason: 'withdrawn',
    });
    // A withdrawn prescription is no longer one to adopt.
    expect(await prescribing.findPrescription(input.consultationRef)).toBeNull();
  });

  it('sends the patient details in the prescription as SignatureRx files them', async () => {
    const input = consultation();
    const { prescriptionId } = await prescribing.createPrescription(input);
    expect(srx.prescriptions().find((rx) => rx.id === prescriptionId)).toMatchObject({
      clinicReference: input.consultationRef,
      patient: { fullName: 'Amelia Hart', nhsNumber: '9434765919', address: { city: 'Bath' } },
      prescriber: { registrationNumber: '7654321' },
      medicines: [
        { name: 'Mounjaro KwikPen', strength: '2.5 mg', quantity: 1, directions: 'Inject once weekly' },
      ],
      durationMonths: 1,
    });
  });
});

describe('Rx is final', () => {
  it('refuses to void or change a signed prescription with 409', async () => {
    const { prescriptionId } = await prescribing.createPrescription(consultation());
    srx.sign(prescriptionId);

    const voiding = prescribing.cancelPrescription({
      idempotencyKey: randomUUID(),
      prescriptionId,
      reason: 'Patient cancelled',
    });
    await expect(voiding).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(voiding).rejects.toMatchObject({ code: 'rx_final', details: { status: 409 } });

    const change = await fetch(`${srx.url}/api/v1/prescriptions/${prescriptionId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${srx.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ durationMonths: 2 }),
    });
    expect(change.status).toBe(409);
    expect(await change.json()).toMatchObject({ error: { code: 'rx_final' } });
    expect(srx.prescriptions().find((rx) => rx.id === prescriptionId)).toMatchObject({
      status: 'signed',
      durationMonths: 1,
    });
  });

  it('lets an unsigned prescription be cancelled, and says so by webhook', async () => {
    const input = consultation();
    const { prescriptionId } = await prescribing.createPrescription(input);
    const cancel = { idempotencyKey: randomUUID(), prescriptionId, reason: 'Patient asked to cancel' };
    expect(await prescribing.cancelPrescription(cancel)).toEqual({ prescriptionId, status: 'cancelled' });
    expect(await prescribing.cancelPrescription(cancel)).toEqual({ prescriptionId, status: 'cancelled' });

    const [delivered] = await receiver.waitFor((w) => webhooksFor(prescriptionId).includes(w));
    expect(prescribing.parseWebhook(delivered!.rawBody, delivered!.headers)).toEqual({
      kind: 'cancelled',
      eventId: expect.any(String),
      prescriptionId,
      consultationRef: input.consultationRef,
      cancelledAt: expect.any(String),
      reason: 'Patient asked to cancel',
    });
    await srx.webhooksIdle();
    expect(webhooksFor(prescriptionId)).toHaveLength(1);
    expect(() => srx.sign(prescriptionId)).toThrow(/cancelled/);
  });
});

describe('webhook delivery and verification', () => {
  it('retries a failing receiver with back-off and logs every attempt', async () => {
    receiver.failNext(2);
    const { prescriptionId } = await prescribing.createPrescription(consultation());
    srx.sign(prescriptionId);
    await srx.webhooksIdle();
    const attempts = srx
      .deliveries()
      .filter((d) => d.type === 'prescription.signed')
      .slice(-3);
    expect(attempts.map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 204],
    ]);
    expect(webhooksFor(prescriptionId)).toHaveLength(1);
  });

  it('refuses a forged, tampered, missing or old signature', async () => {
    const { prescriptionId } = await prescribing.createPrescription(consultation());
    srx.sign(prescriptionId);
    const [genuine] = await receiver.waitFor((w) => webhooksFor(prescriptionId).includes(w));
    const { rawBody, headers } = genuine!;
    const now = Math.floor(Date.now() / 1000);
    const refusal = (body: Buffer | string, h: Record<string, string | undefined>) => {
      try {
        prescribing.parseWebhook(body, h);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidSignatureError);
        return (error as InvalidSignatureError).reason;
      }
      return 'accepted';
    };

    expect(refusal(rawBody, { 'x-signature': signPayload(rawBody.toString(), 'not-the-secret', now) })).toBe(
      'mismatch',
    );
    const tampered = rawBody.toString().replace(prescriptionId, 'rx_someone_else');
    expect(refusal(tampered, { 'x-signature': String(headers['x-signature']) })).toBe('mismatch');
    expect(refusal(rawBody, {})).toBe('missing');
    expect(refusal(rawBody, { 'x-signature': 'sha256=abc' })).toBe('malformed');

    // Genuine, but replayed six minutes later.
    clock.advance(6 * 60_000);
    expect(refusal(rawBody, { 'X-Signature': String(headers['x-signature']) })).toBe('stale');
    clock.advance(-6 * 60_000);
    expect(refusal(rawBody, { 'X-Signature': String(headers['x-signature']) })).toBe('accepted');
  });

  it('reports a correctly signed event it does not act on as unsupported', () => {
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'prescriber.updated',
      data: { prescriptionId: 'rx_1', clinicReference: 'C' },
    });
    const signature = signPayload(body, srx.webhookSecret, Math.floor(clock.now().getTime() / 1000));
    expect(() => prescribing.parseWebhook(body, { 'x-signature': signature })).toThrow(
      UnreadableWebhookError,
    );
    try {
      prescribing.parseWebhook(body, { 'x-signature': signature });
    } catch (error) {
      expect(error).toMatchObject({ reason: 'unsupported_event' });
    }
  });
});

describe('refusals and outages', () => {
  it('rejects a supply longer than a three-month plan and an NHS number that fails its check digit', async () => {
    await expect(prescribing.createPrescription(consultation({ coversMonths: 4 }))).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'invalid_request',
      message: expect.stringContaining('durationMonths'),
    });
    const input = consultation();
    await expect(
      prescribing.createPrescription({ ...input, patient: { ...input.patient, nhsNumber: '943 476 5918' } }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('NHS number') });
  });

  it('reports 503 as VendorUnavailableError and creates once when retried', async () => {
    const input = consultation();
    srx.failNextRequests(1);
    await expect(prescribing.createPrescription(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    await prescribing.createPrescription(input);
    expect(srx.prescriptions().filter((rx) => rx.clinicReference === input.consultationRef)).toHaveLength(1);
  });

  it('reports a timeout and a closed port as VendorUnavailableError', async () => {
    const impatient = createSignatureRxPrescribing({
      baseUrl: srx.url,
      apiKey: srx.apiKey,
      webhookSecret: 'x',
      timeoutMs: 100,
    });
    srx.delayNextRequests(1, 400);
    await expect(impatient.createPrescription(consultation())).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('timed out'),
    });

    const gone = await startSignatureRxStandIn();
    await gone.close();
    const unreachable = createSignatureRxPrescribing({
      baseUrl: gone.url,
      apiKey: gone.apiKey,
      webhookSecret: 'x',
    });
    await expect(unreachable.createPrescription(consultation())).rejects.toBeInstanceOf(
      VendorUnavailableError,
    );
  });

  it('reports a wrong API key as VendorRejectedError', async () => {
    const misconfigured = createSignatureRxPrescribing({
      baseUrl: srx.url,
      apiKey: 'revoked',
      webhookSecret: 'x',
    });
    await expect(misconfigured.createPrescription(consultation())).rejects.toMatchObject({
      name: 'VendorRejectedError',
      vendor: 'signaturerx',
      code: 'unauthorized',
    });
  });
});
