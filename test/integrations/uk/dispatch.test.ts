import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s10CheckDigit } from '../../../sandbox/royalmail/orders.js';
import { type RoyalMailStandIn, startRoyalMailStandIn } from '../../../sandbox/royalmail/server.js';
import { signPayload } from '../../../sandbox/signaturerx/webhookOutbox.js';
import {
  type CreateShipmentInput,
  type DispatchService,
  InvalidSignatureError,
} from '../../../src/integrations/dispatch/port.js';
import {
  createRoyalMailDispatch,
  type RoyalMailDispatchConfig,
} from '../../../src/integrations/dispatch/royalMailDispatch.js';
import { VendorRejectedError, VendorUnavailableError } from '../../../src/integrations/errors.js';
import { manualClock } from '../../../src/platform/clock.js';
import { pdfText } from './support/pdfText.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhookReceiver.js';

let rm: RoyalMailStandIn;
let receiver: WebhookReceiver;
let dispatch: DispatchService;
const clock = manualClock();

const configFor = (
  standIn: RoyalMailStandIn,
  overrides: Partial<RoyalMailDispatchConfig> = {},
): RoyalMailDispatchConfig => ({
  baseUrl: standIn.clickAndDropUrl,
  apiKey: standIn.apiKey,
  trackingBaseUrl: standIn.url,
  trackingClientId: standIn.trackingClientId,
  trackingClientSecret: standIn.trackingClientSecret,
  webhookSecret: standIn.webhookSecret,
  sender: { tradingName: 'Northfield Online Pharmacy' },
  timeoutMs: 2_000,
  clock,
  ...overrides,
});

const shipment = (overrides: Partial<CreateShipmentInput> = {}): CreateShipmentInput => ({
  idempotencyKey: randomUUID(),
  orderReference: `UK-${randomUUID().slice(0, 8)}`,
  recipient: {
    name: 'Amelia Hart',
    addressLine1: '7 Orchard Row',
    city: 'Bath',
    postcode: 'BA1 2LX',
    countryCode: 'GB',
    email: 'amelia@example.co.uk',
  },
  packages: [{ weightGrams: 180, packageFormat: 'largeLetter' }],
  serviceCode: 'TPN',
  ...overrides,
});

const pushesFor = (trackingNumber: string) =>
  receiver
    .received()
    .filter((w) => (w.json as unknown as { mailPieceId: string }).mailPieceId === trackingNumber);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  rm = await startRoyalMailStandIn({ webhookUrl: receiver.url, retryDelaysMs: [20, 40] });
  dispatch = createRoyalMailDispatch(configFor(rm));
});

beforeEach(() => clock.set(new Date()));

afterAll(async () => {
  await rm?.close();
  await receiver?.close();
});

describe('booking a shipment with Click & Drop', () => {
  it('finds a shipment already booked under an order reference, so a retry adopts it instead of booking again', async () => {
    const input = shipment();
    expect(await dispatch.findShipment(input.orderReference)).toBeNull();
    const booked = await dispatch.createShipment(input);
    const found = await dispatch.findShipment(input.orderReference);
    expect(found).toMatchObject({
      orderIdentifier: booked.orderIdentifier,
      trackingNumber: booked.trackingNumber,
    });
    expect(found?.labelPdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(rm.orders().filter((o) => o.orderReference === input.orderReference)).toHaveLength(1);
  });

  it('books Tracked 24 and brings back a valid S10 tracking number and a label that hides the contents', async () => {
    const input = shipment();
    const booked = await dispatch.createShipment(input);
    expect(booked.orderIdentifier).toMatch(/^\d+$/);
    expect(booked.trackingNumber).toMatch(/^TT\d{9}GB$/);
    const serial = booked.trackingNumber.slice(2, 10);
    expect(Number(booked.trackingNumber[10])).toBe(s10CheckDigit(serial));

    expect(booked.labelPdf).not.toBeNull();
    const label = await PDFDocument.load(booked.labelPdf!);
    expect(label.getPageCount()).toBe(1);
    const text = await pdfText(booked.labelPdf!);
    expect(text).toContain('Royal Mail Tracked 24');
    expect(text).toContain('Amelia Hart');
    expect(text).toContain(booked.trackingNumber);
    expect(text).not.toContain('Mounjaro');

    const [order] = rm.orders().filter((o) => o.orderReference === input.orderReference);
    expect(order?.request).toMatchObject({
      postageDetails: { serviceCode: 'TPN', sendNotificationsTo: 'recipient' },
      packages: [{ weightInGrams: 180, packageFormatIdentifier: 'largeLetter' }],
      tags: [{ key: 'idempotencyKey', value: input.idempotencyKey }],
    });
  });

  it('books Special Delivery with its own prefix', async () => {
    const booked = await dispatch.createShipment(
      shipment({ serviceCode: 'SD1', packages: [{ weightGrams: 90, packageFormat: 'letter' }] }),
    );
    expect(booked.trackingNumber).toMatch(/^SD\d{9}GB$/);
  });

  it('returns the first booking to a retried create', async () => {
    const input = shipment();
    const first = await dispatch.createShipment(input);
    const again = await dispatch.createShipment(input);
    expect({ ...again, labelPdf: null }).toEqual({ ...first, labelPdf: null });
    expect(rm.orders().filter((o) => o.orderReference === input.orderReference)).toHaveLength(1);
  });

  it('keeps the booking when the label is not ready, and fetches the label later', async () => {
    rm.setLabelsAvailable(false);
    const booked = await dispatch.createShipment(shipment()).finally(() => rm.setLabelsAvailable(true));
    expect(booked.labelPdf).toBeNull();
    const label = await dispatch.getLabel(booked.orderIdentifier);
    expect(await pdfText(label)).toContain(booked.trackingNumber);
  });

  it('rejects orders Royal Mail will not take, naming every reason', async () => {
    const badPostcode = dispatch.createShipment(
      shipment({ recipient: { ...shipment().recipient, postcode: 'NOT A CODE' } }),
    );
    await expect(badPostcode).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(badPostcode).rejects.toMatchObject({
      code: 'order_failed',
      message: expect.stringContaining('Invalid postcode'),
    });

    await expect(
      dispatch.createShipment(shipment({ packages: [{ weightGrams: 2_500, packageFormat: 'letter' }] })),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/does not take format letter.*at most 100 g/),
    });
  });
});

describe('tracking', () => {
  it('has nothing to report before the first scan', async () => {
    const booked = await dispatch.createShipment(shipment());
    await expect(dispatch.getTracking(booked.trackingNumber)).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'E1142',
    });
  });

  it('pushes every scan as a signed webhook, in order, until delivery', async () => {
    const { trackingNumber } = await dispatch.createShipment(shipment());
    const statuses = ['accepted', 'in_transit', 'out_for_delivery', 'delivered'] as const;
    for (const status of statuses) rm.advance(trackingNumber, status, { location: 'Bath Delivery Office' });

    const pushes = await receiver.waitFor((w) => pushesFor(trackingNumber).includes(w), statuses.length);
    const events = pushes.map((w) => dispatch.parseWebhook(w.rawBody, w.headers));
    expect(events.map((e) => e.status)).toEqual([...statuses]);
    expect(events[3]).toEqual({
      trackingNumber,
      status: 'delivered',
      occurredAt: expect.any(String),
      description: 'Delivered',
    });
    expect(await dispatch.getTracking(trackingNumber)).toMatchObject({ trackingNumber, status: 'delivered' });
  });

  it('reports a failed delivery and a return', async () => {
    const { trackingNumber } = await dispatch.createShipment(shipment());
    rm.advance(trackingNumber, 'delivery_failed', { at: new Date('2026-07-02T10:15:00Z') });
    expect(await dispatch.getTracking(trackingNumber)).toEqual({
      trackingNumber,
      status: 'delivery_failed',
      occurredAt: '2026-07-02T10:15:00.000Z',
      description: 'Delivery attempted - no answer',
    });
    rm.advance(trackingNumber, 'returned');
    expect(await dispatch.getTracking(trackingNumber)).toMatchObject({ status: 'returned' });
  });

  it('retries a push the receiver failed, and logs each attempt', async () => {
    const { trackingNumber } = await dispatch.createShipment(shipment());
    receiver.failNext(1);
    rm.advance(trackingNumber, 'accepted');
    await rm.webhooksIdle();
    const attempts = rm.deliveries().slice(-2);
    expect(attempts.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
    expect(pushesFor(trackingNumber)).toHaveLength(1);
  });

  it('refuses a forged or old push', async () => {
    const { trackingNumber } = await dispatch.createShipment(shipment());
    rm.advance(trackingNumber, 'delivered');
    const [push] = await receiver.waitFor((w) => pushesFor(trackingNumber).includes(w));
    const forged = signPayload(
      push!.rawBody.toString(),
      'guessed-secret',
      Math.floor(clock.now().getTime() / 1000),
    );
    expect(() => dispatch.parseWebhook(push!.rawBody, { 'x-signature': forged })).toThrow(
      InvalidSignatureError,
    );

    clock.advance(-10 * 60_000);
    expect(() => dispatch.parseWebhook(push!.rawBody, push!.headers)).toThrow(/s old/);
  });
});

describe('outages and refusals', () => {
  it('reports 503 and 429 as VendorUnavailableError and books once when retried', async () => {
    const input = shipment();
    rm.failNextRequests(1);
    await expect(dispatch.createShipment(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    rm.failNextRequests(1, 429);
    await expect(dispatch.createShipment(input)).rejects.toBeInstanceOf(VendorUnavailableError);
    await dispatch.createShipment(input);
    expect(rm.orders().filter((o) => o.orderReference === input.orderReference)).toHaveLength(1);
  });

  it('reports a timeout and a closed port as VendorUnavailableError', async () => {
    const impatient = createRoyalMailDispatch(configFor(rm, { timeoutMs: 100 }));
    rm.delayNextRequests(1, 400);
    await expect(impatient.createShipment(shipment())).rejects.toMatchObject({
      name: 'VendorUnavailableError',
      message: expect.stringContaining('timed out'),
    });

    const gone = await startRoyalMailStandIn();
    await gone.close();
    const unreachable = createRoyalMailDispatch(configFor(gone));
    await expect(unreachable.createShipment(shipment())).rejects.toBeInstanceOf(VendorUnavailableError);
    await expect(unreachable.getTracking('TT000000011GB')).rejects.toBeInstanceOf(VendorUnavailableError);
  });

  it('reports wrong credentials for either API as VendorRejectedError', async () => {
    const wrongKey = createRoyalMailDispatch(configFor(rm, { apiKey: 'revoked' }));
    await expect(wrongKey.createShipment(shipment())).rejects.toMatchObject({
      name: 'VendorRejectedError',
      vendor: 'royalmail',
      code: 'unauthorized',
    });
    const wrongSecret = createRoyalMailDispatch(configFor(rm, { trackingClientSecret: 'revoked' }));
    await expect(wrongSecret.getTracking('TT000000011GB')).rejects.toMatchObject({
      name: 'VendorRejectedError',
      details: { status: 401 },
    });
  });
});
