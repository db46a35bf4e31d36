import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Shippo } from 'shippo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShippoStandIn, startShippoStandIn } from '../../sandbox/shippo/server.js';
import { VendorRejectedError, VendorUnavailableError } from '../../src/integrations/errors.js';
import {
  chooseRate,
  decimalToMinor,
  keepsInRange,
  OVERNIGHT_SERVICES,
} from '../../src/integrations/shipping/chooseRate.js';
import {
  type Address,
  type LabelRequest,
  type ShippingCarrier,
  ShippingWebhookError,
} from '../../src/integrations/shipping/port.js';
import { classifyShippoError, createShippoCarrier } from '../../src/integrations/shipping/shippoCarrier.js';
import { HOUR, manualClock } from '../../src/platform/clock.js';

const API_KEY = 'shippo_test_5d1e0c';
const WEBHOOK_TOKEN = 'whtok_9b61f2e4';

const pharmacy: Address = {
  name: 'Pharmonico Specialty Pharmacy',
  street1: '215 Clayton St',
  city: 'San Francisco',
  state: 'CA',
  zip: '94117',
  country: 'US',
  phone: '+1 415 555 0100',
};
const patient: Address = {
  name: 'Dana Rivera',
  street1: '1100 Congress Ave',
  city: 'Austin',
  state: 'TX',
  zip: '78701',
  country: 'US',
  residential: true,
};
const tabletBottleBox = { lengthIn: 6, widthIn: 4, heightIn: 4, weightOz: 8 };
const insulatedShipper = { lengthIn: 12, widthIn: 10, heightIn: 10, weightOz: 80 };
const dryIceShipper = { lengthIn: 14, widthIn: 12, heightIn: 11, weightOz: 136 };

type Received = { token: string | null; body: unknown };

/** The platform's webhook edge, reduced to recording what arrives. */
const startReceiver = async () => {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let data = '';
    request.on('data', (chunk) => {
      data += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver');
      received.push({ token: url.searchParams.get('token'), body: JSON.parse(data) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/shippo`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const clock = manualClock('2026-03-02T15:00:00Z');
let standIn: ShippoStandIn;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let carrier: ShippingCarrier;
let shippo: Shippo;

beforeAll(async () => {
  receiver = await startReceiver();
  standIn = await startShippoStandIn({
    apiToken: API_KEY,
    webhookUrl: () => receiver.url,
    webhookToken: WEBHOOK_TOKEN,
    clock,
  });
  carrier = createShippoCarrier({
    apiKey: API_KEY,
    serverUrl: standIn.url,
    webhookToken: WEBHOOK_TOKEN,
    clock,
  });
  // The raw SDK, to look at every rate Shippo offered for a shipment.
  shippo = new Shippo({ apiKeyHeader: `ShippoToken ${API_KEY}`, serverURL: standIn.url });
});

afterAll(async () => {
  await standIn?.close();
  await receiver?.close();
});

const labelRequest = (overrides: Partial<LabelRequest> = {}): LabelRequest => ({
  idempotencyKey: randomUUID(),
  from: pharmacy,
  to: patient,
  parcel: tabletBottleBox,
  storageClass: 'ambient',
  orderRef: 'ORD-1001',
  ...overrides,
});

/** Quote, then buy: the two steps the shipping process takes with the intent recorded between them. */
const buyLabel = async (request: LabelRequest) => {
  const quote = await carrier.quoteLabel(request);
  return carrier.purchaseLabel({ quote, idempotencyKey: request.idempotencyKey });
};

const cheapestOf = <R extends { amount: string }>(rates: readonly R[]): R =>
  [...rates].sort((a, b) => decimalToMinor(a.amount) - decimalToMinor(b.amount))[0]!;

describe('buying a label through the Shippo SDK', () => {
  it('buys the cheapest rate arriving within three days for a room-temperature parcel', async () => {
    const request = labelRequest();
    const label = await buyLabel(request);

    const { rates } = await shippo.shipments.get(label.shipmentId);
    const fastEnough = rates.filter((r) => (r.estimatedDays ?? 99) <= 3);
    const expected = cheapestOf(fastEnough);
    // A cheaper but slower rate was on offer and passed over.
    expect(decimalToMinor(cheapestOf(rates).amount)).toBeLessThan(decimalToMinor(expected.amount));
    expect(label).toMatchObject({
      carrier: 'usps',
      serviceLevel: expected.servicelevel.token,
      amountMinor: decimalToMinor(expected.amount),
      currency: 'USD',
    });
    expect(label.serviceLevel).toBe('usps_priority');
    expect(label.trackingUrl).toContain(label.trackingNumber);
    expect(standIn.purchases().find((p) => p.transactionId === label.transactionId)?.metadata).toBe(
      request.idempotencyKey,
    );
  });

  it('buys the cheapest committed-overnight rate for a refrigerated parcel, never a 1–2 day service', async () => {
    const label = await buyLabel(labelRequest({ parcel: insulatedShipper, storageClass: 'refrigerated' }));

    const { rates } = await shippo.shipments.get(label.shipmentId);
    const overnight = rates.filter((r) => r.estimatedDays === 1);
    expect(overnight.length).toBeGreaterThan(1);
    const expected = cheapestOf(overnight.filter((r) => OVERNIGHT_SERVICES.has(r.servicelevel.token ?? '')));
    expect(decimalToMinor(cheapestOf(rates).amount)).toBeLessThan(decimalToMinor(expected.amount));
    expect(label).toMatchObject({
      carrier: 'fedex',
      serviceLevel: 'fedex_standard_overnight',
      amountMinor: decimalToMinor(expected.amount),
    });
  });

  it('buys an overnight-by-morning rate for a frozen parcel, even when an afternoon overnight costs less', async () => {
    const label = await buyLabel(labelRequest({ parcel: dryIceShipper, storageClass: 'frozen' }));

    const { rates } = await shippo.shipments.get(label.shipmentId);
    const afternoon = rates.find((r) => r.servicelevel.token === 'fedex_standard_overnight');
    expect(afternoon).toBeDefined();
    expect(decimalToMinor(afternoon!.amount)).toBeLessThan(label.amountMinor);
    expect(label).toMatchObject({ carrier: 'ups', serviceLevel: 'ups_next_day_air' });
  });

  it('serves the bought label as a well-formed PDF', async () => {
    const label = await buyLabel(labelRequest());
    const response = await fetch(label.labelUrl);
    const pdf = Buffer.from(await response.arrayBuffer()).toString('latin1');

    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf).toContain(label.trackingNumber);
    // Every xref entry points at its object, and startxref at the table.
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...pdf.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => {
      expect(pdf.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
  });

  it('finds a label already bought for a quote, so a retry adopts it instead of buying again', async () => {
    const request = labelRequest();
    const quote = await carrier.quoteLabel(request);
    expect(await carrier.findPurchasedLabel(quote)).toBeNull();

    const bought = await carrier.purchaseLabel({ quote, idempotencyKey: request.idempotencyKey });
    const found = await carrier.findPurchasedLabel(quote);

    expect(found).toEqual(bought);
    expect(standIn.purchases().filter((p) => p.shipmentId === quote.shipmentId)).toHaveLength(1);
  });

  it('refuses a rate Shippo no longer sells as rate_unavailable: nothing was bought', async () => {
    const quote = await carrier.quoteLabel(labelRequest());
    const refused = carrier.purchaseLabel({
      quote: { ...quote, rateId: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0' },
      idempotencyKey: 'k',
    });
    await expect(refused).rejects.toMatchObject({ vendor: 'shippo', code: 'rate_unavailable' });
  });

  it('reports an address Shippo refuses as VendorRejectedError', async () => {
    const refused = buyLabel(labelRequest({ to: { ...patient, country: 'USA' } }));
    await expect(refused).rejects.toBeInstanceOf(VendorRejectedError);
    await expect(refused).rejects.toMatchObject({ vendor: 'shippo', code: 'http_400' });
  });
});

describe('tracking', () => {
  it('follows the parcel from label to doorstep through getTracking', async () => {
    const label = await buyLabel(labelRequest());
    const track = () => carrier.getTracking(label.carrier, label.trackingNumber);

    expect((await track()).status).toBe('pre_transit');

    clock.advance(6 * HOUR);
    await standIn.advanceTracking(label.trackingNumber, 'TRANSIT');
    expect(await track()).toMatchObject({ status: 'in_transit', statusDate: '2026-03-02T21:00:00.000Z' });

    clock.advance(12 * HOUR);
    await standIn.advanceTracking(label.trackingNumber, 'TRANSIT', { substatus: 'out_for_delivery' });
    expect((await track()).status).toBe('out_for_delivery');

    await standIn.advanceTracking(label.trackingNumber, 'DELIVERED', { statusDate: '2026-03-03T16:42:00Z' });
    expect(await track()).toEqual({
      trackingNumber: label.trackingNumber,
      carrier: 'usps',
      status: 'delivered',
      statusDate: '2026-03-03T16:42:00.000Z',
      details: expect.any(String),
      // Label, transit, out for delivery, delivered: the carrier's own count of scans orders them.
      sequence: 4,
    });
  });

  it('lets a tester move a parcel over HTTP through the sandbox control', async () => {
    const label = await buyLabel(labelRequest());
    const moved = await fetch(`${standIn.url}/sandbox/tracks/${label.trackingNumber}`, {
      method: 'POST',
      headers: { authorization: `ShippoToken ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'TRANSIT' }),
    });
    expect(moved.status).toBe(200);
    expect((await carrier.getTracking(label.carrier, label.trackingNumber)).status).toBe('in_transit');
    const unknown = await fetch(`${standIn.url}/sandbox/tracks/NOPE`, {
      method: 'POST',
      headers: { authorization: `ShippoToken ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'TRANSIT' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('reads a number the carrier has never seen as unknown', async () => {
    const update = await carrier.getTracking('usps', '9400100000000000000000');
    expect(update.status).toBe('unknown');
  });
});

describe('track_updated webhooks', () => {
  it('accepts a webhook that carries the shared token', async () => {
    const label = await buyLabel(labelRequest());
    const delivery = await standIn.advanceTracking(label.trackingNumber, 'TRANSIT', {
      substatus: 'out_for_delivery',
      statusDate: '2026-03-03T13:05:00Z',
    });
    expect(delivery).toEqual({ status: 200 });

    const webhook = receiver.received.at(-1)!;
    expect(webhook.token).toBe(WEBHOOK_TOKEN);
    expect(carrier.parseWebhook(webhook.body, webhook.token ?? undefined)).toEqual({
      trackingNumber: label.trackingNumber,
      carrier: 'usps',
      status: 'out_for_delivery',
      statusDate: '2026-03-03T13:05:00.000Z',
      details: 'Out for delivery.',
      sequence: 2,
    });
  });

  it('refuses a webhook with a wrong or missing token', async () => {
    const label = await buyLabel(labelRequest());
    await standIn.sendTrackUpdate(label.trackingNumber, { token: 'guessed' });
    const forged = receiver.received.at(-1)!;
    await standIn.sendTrackUpdate(label.trackingNumber, { token: null });
    const anonymous = receiver.received.at(-1)!;

    expect(forged.token).toBe('guessed');
    expect(() => carrier.parseWebhook(forged.body, 'guessed')).toThrow(
      expect.objectContaining({ reason: 'unauthorized' }),
    );
    expect(anonymous.token).toBeNull();
    expect(() => carrier.parseWebhook(anonymous.body, undefined)).toThrow(ShippingWebhookError);
  });

  it('refuses a malformed body and sets other events aside', () => {
    const reasonFor = (body: unknown) => {
      try {
        carrier.parseWebhook(body, WEBHOOK_TOKEN);
        return 'accepted';
      } catch (error) {
        return error instanceof ShippingWebhookError ? error.reason : 'crashed';
      }
    };
    expect(reasonFor('not json')).toBe('malformed');
    expect(reasonFor({ event: 'track_updated', data: { carrier: 'usps' } })).toBe('malformed');
    expect(
      reasonFor({
        event: 'transaction_created',
        data: { carrier: 'usps', tracking_number: '92055', tracking_status: null },
      }),
    ).toBe('unsupported_event');
  });
});

describe('when Shippo is unavailable', () => {
  it('reports a 503 as VendorUnavailableError and recovers once Shippo does', async () => {
    standIn.failNextRequests(1);
    await expect(buyLabel(labelRequest())).rejects.toBeInstanceOf(VendorUnavailableError);
    await expect(buyLabel(labelRequest())).resolves.toMatchObject({ serviceLevel: 'usps_priority' });
  });

  it('reports a closed port as VendorUnavailableError', async () => {
    const gone = await startShippoStandIn();
    await gone.close();
    const unreachable = createShippoCarrier({
      apiKey: API_KEY,
      serverUrl: gone.url,
      webhookToken: WEBHOOK_TOKEN,
    });
    await expect(unreachable.getTracking('usps', '9205500000000000000001')).rejects.toBeInstanceOf(
      VendorUnavailableError,
    );
  });

  it('reports a wrong API key as VendorRejectedError, never to be retried', async () => {
    const misconfigured = createShippoCarrier({
      apiKey: 'shippo_test_revoked',
      serverUrl: standIn.url,
      webhookToken: WEBHOOK_TOKEN,
    });
    await expect(misconfigured.quoteLabel(labelRequest())).rejects.toMatchObject({
      name: 'VendorRejectedError',
      code: 'http_401',
    });
  });
});

describe('chooseRate', () => {
  const rate = (id: string, amount: string, estimatedDays?: number) => ({
    id,
    amount,
    estimatedDays,
    servicelevel: { token: id },
  });
  const offered = [
    rate('usps_ground_advantage', '6.10'),
    rate('ground-5d-est', '5.45', 5),
    rate('usps_priority', '9.25', 2),
    rate('ups_ground', '9.20', 3),
    rate('usps_priority_express', '24.50', 1),
    rate('fedex_standard_overnight', '28.75', 1),
    rate('ups_next_day_air', '31.50', 1),
  ];
  const ambient = { storageClass: 'ambient' } as const;

  it('refrigerated: takes the cheapest committed-overnight rate, passing over a cheaper 1–2 day express', () => {
    expect(chooseRate(offered, { storageClass: 'refrigerated' })?.id).toBe('fedex_standard_overnight');
  });

  it('frozen: takes only an overnight-by-morning service', () => {
    expect(chooseRate(offered, { storageClass: 'frozen' })?.id).toBe('ups_next_day_air');
    expect(chooseRate(offered.slice(0, 6), { storageClass: 'frozen' })).toBeUndefined();
  });

  it('cold: an overnight service the carrier estimates at two days to this address is not taken', () => {
    expect(
      chooseRate([rate('fedex_standard_overnight', '28.75', 2)], { storageClass: 'refrigerated' }),
    ).toBeUndefined();
  });

  it('offers nothing for a cold drug when no service keeps it cold', () => {
    expect(chooseRate(offered.slice(0, 5), { storageClass: 'refrigerated' })).toBeUndefined();
  });

  it('ambient: takes the cheapest rate within three days', () => {
    expect(chooseRate(offered, ambient)?.id).toBe('ups_ground');
  });

  it('ambient: falls back to the cheapest rate when none arrives within three days', () => {
    expect(chooseRate(offered.slice(0, 2), ambient)?.id).toBe('ground-5d-est');
  });

  it('compares amounts as money, not as text', () => {
    expect(chooseRate([rate('a', '10.5', 2), rate('b', '9.99', 2)], ambient)?.id).toBe('b');
    expect(decimalToMinor('10.5')).toBe(1050);
    expect(decimalToMinor('7')).toBe(700);
  });

  it('has nothing to choose from an empty list', () => {
    expect(chooseRate([], ambient)).toBeUndefined();
  });

  it('says which services keep each storage class in range', () => {
    expect(keepsInRange('usps_priority', 'ambient')).toBe(true);
    expect(keepsInRange('usps_priority_express', 'refrigerated')).toBe(false);
    expect(keepsInRange('fedex_standard_overnight', 'refrigerated')).toBe(true);
    expect(keepsInRange('fedex_standard_overnight', 'frozen')).toBe(false);
    expect(keepsInRange('fedex_priority_overnight', 'frozen')).toBe(true);
  });
});

describe('a Shippo call the client gave up on', () => {
  it('is unavailable (retried later) however the abort surfaces, also while the answer was being read', () => {
    for (const error of [
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      new DOMException('This operation was aborted', 'AbortError'),
    ]) {
      expect(classifyShippoError(error)).toBeInstanceOf(VendorUnavailableError);
    }
    expect(classifyShippoError(new TypeError('Cannot read properties of undefined'))).toBeInstanceOf(
      TypeError,
    );
  });
});
