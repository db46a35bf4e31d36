/**
 * Local stand-in for Shippo's REST API, close enough that the official `shippo` SDK talks to it
 * unchanged: `new Shippo({ apiKeyHeader: 'ShippoToken shippo_test_…', serverURL: standIn.url })`.
 *
 *   POST /shipments                 201 shipment with `rates[]` inline (`async` is ignored)
 *   GET  /shipments/{id}
 *   POST /transactions              201 label bought at once from a rate `object_id`, status SUCCESS
 *   GET  /transactions/{id}
 *   GET  /tracks/{carrier}/{number} the track; Shippo's test numbers (`shippo`/`SHIPPO_DELIVERED`…) work too
 *   GET  /labels/{id}.pdf           the label itself, public like Shippo's label URLs
 *
 * Every route but the label needs `Authorization: ShippoToken <token>` (401 otherwise). Tracking
 * only moves when a test calls `advanceTracking`, so flows are deterministic.
 *
 * Webhooks: Shippo offers IP allow-listing, HMAC signatures or a self-generated token in the
 * webhook URL. The platform uses the URL token: it works on every Shippo account, needs no signing
 * key rotation, and the receiving edge compares `?token=` with its secret. So the stand-in POSTs
 * `{ event: 'track_updated', test: true, data: <track> }` to `webhookUrl?token=<webhookToken>`.
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { labelPdf } from './labelPdf.js';
import {
  addressBody,
  DEFAULT_DETAILS,
  locationOf,
  OBJECT_OWNER,
  objectId,
  parcelBody,
  rateAttributes,
  rateBody,
  type ShippoTrackingStatus,
  type TrackRecord,
  trackBody,
} from './objects.js';
import {
  billablePounds,
  CARRIER_SERVICES,
  type CarrierService,
  minorToDecimal,
  priceMinor,
  toInches,
  toOunces,
  trackingNumberFor,
  trackingUrlFor,
} from './rateCard.js';
import { fieldErrors, shipmentInput, transactionInput } from './requests.js';

export type ShippoStandInOptions = {
  port?: number;
  host?: string;
  /** When set, only `ShippoToken <apiToken>` is accepted; otherwise any ShippoToken is. */
  apiToken?: string;
  /** A function lets the receiver's address be decided after the stand-in starts. */
  webhookUrl?: string | (() => string | undefined);
  webhookToken?: string;
  clock?: { now(): Date };
};

export type AdvanceStatus = Exclude<ShippoTrackingStatus, 'UNKNOWN'>;
export type WebhookDelivery = { status: number } | { error: string };

/** A label bought through the stand-in, for tests that check what (and how often) was bought. */
export type PurchasedLabel = {
  transactionId: string;
  shipmentId: string;
  metadata: string;
  carrier: string;
  serviceLevel: string;
  amount: string;
  trackingNumber: string;
};

export type ShippoStandIn = {
  url: string;
  close(): Promise<void>;
  /** Records a carrier scan and, when a webhook URL is set, delivers `track_updated`. */
  advanceTracking(
    trackingNumber: string,
    status: AdvanceStatus,
    opts?: { substatus?: string; statusDate?: Date | string; details?: string },
  ): Promise<WebhookDelivery | undefined>;
  /** The next `n` requests answer `status` (default 503) with Shippo's error body. */
  failNextRequests(n: number, status?: number): void;
  /** (Re)sends the current track as a webhook; `token: null` sends none, a string overrides it. */
  sendTrackUpdate(trackingNumber: string, opts?: { token?: string | null }): Promise<WebhookDelivery>;
  purchases(): PurchasedLabel[];
  /**
   * Runs `hold` once the next label is sold and recorded, before Shippo's answer goes out: a test
   * kills the platform there, or waits past the client's timeout, to see the sale is not repeated.
   */
  holdNextPurchaseAnswer(hold: () => Promise<void>): void;
};

type StoredRate = {
  body: ReturnType<typeof rateBody>;
  service: CarrierService;
  shipment: Record<string, unknown>;
};
type Shipment = { body: Record<string, unknown>; input: ReturnType<typeof shipmentInput.parse> };

const DAY_MS = 86_400_000;
const SHIPPO_TEST_NUMBER = /^SHIPPO_(PRE_TRANSIT|TRANSIT|DELIVERED|RETURNED|FAILURE|UNKNOWN)$/;

export const startShippoStandIn = async (options: ShippoStandInOptions = {}): Promise<ShippoStandIn> => {
  const clock = options.clock ?? { now: () => new Date() };
  const iso = () => clock.now().toISOString();
  const shipments = new Map<string, Shipment>();
  const rates = new Map<string, StoredRate>();
  const transactions = new Map<string, Record<string, unknown>>();
  const tracks = new Map<string, TrackRecord>();
  const labels: PurchasedLabel[] = [];
  const carrierAccounts = Object.fromEntries(CARRIER_SERVICES.map((s) => [s.carrier, objectId()]));
  // A per-instance salt keeps tracking numbers unique across restarts that share one database.
  const salt = String(Math.floor(Math.random() * 100_000)).padStart(5, '0');
  let sequence = 0;
  const failures = { remaining: 0, status: 503 };
  let baseUrl = '';
  let holdNext: (() => Promise<void>) | undefined;

  const app = Fastify({ logger: false });

  app.addHook('onRequest', async (request, reply) => {
    if (failures.remaining > 0) {
      failures.remaining -= 1;
      return reply.code(failures.status).send({ detail: 'The service is temporarily unavailable.' });
    }
    if (request.url.startsWith('/labels/')) return;
    const match = /^ShippoToken (\S+)$/.exec(request.headers.authorization ?? '');
    if (!match || (options.apiToken !== undefined && match[1] !== options.apiToken)) {
      return reply.code(401).send({ detail: 'Invalid token.' });
    }
  });

  const idParam = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

  app.post('/shipments', async (request, reply) => {
    const parsed = shipmentInput.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(fieldErrors(parsed.error));
    const input = parsed.data;
    const at = iso();
    const shipmentId = objectId();
    const pounds = billablePounds(
      input.parcels.map((p) => ({
        lengthIn: toInches(Number(p.length), p.distance_unit),
        widthIn: toInches(Number(p.width), p.distance_unit),
        heightIn: toInches(Number(p.height), p.distance_unit),
        weightOz: toOunces(Number(p.weight), p.mass_unit),
      })),
    );
    const quotes = CARRIER_SERVICES.map((service) => ({
      service,
      amountMinor: priceMinor(service, pounds),
      days: service.estimatedDays,
    }));
    const tags = rateAttributes(quotes);
    const rateBodies = quotes.map((q, i) =>
      rateBody(
        q.service,
        minorToDecimal(q.amountMinor),
        shipmentId,
        carrierAccounts[q.service.carrier]!,
        tags[i]!,
        at,
      ),
    );
    const body: Record<string, unknown> = {
      object_id: shipmentId,
      object_created: at,
      object_updated: at,
      object_owner: OBJECT_OWNER,
      status: 'SUCCESS',
      address_from: addressBody(input.address_from, at),
      address_to: addressBody(input.address_to, at),
      ...(input.address_return ? { address_return: addressBody(input.address_return, at) } : {}),
      parcels: input.parcels.map((p) => parcelBody(p, at)),
      shipment_date: input.shipment_date ?? at,
      extra: input.extra ?? {},
      metadata: input.metadata ?? '',
      carrier_accounts: input.carrier_accounts ?? [],
      rates: rateBodies,
      messages: [],
      test: true,
    };
    shipments.set(shipmentId, { body, input });
    rateBodies.forEach((rate, i) => {
      rates.set(rate.object_id, { body: rate, service: quotes[i]!.service, shipment: body });
    });
    return reply.code(201).send(body);
  });

  app.get('/shipments/:id', { schema: { params: idParam } }, async (request, reply) => {
    const shipment = shipments.get((request.params as { id: string }).id);
    return shipment ? shipment.body : reply.code(404).send({ detail: 'Not found.' });
  });

  app.post('/transactions', async (request, reply) => {
    const parsed = transactionInput.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(fieldErrors(parsed.error));
    const input = parsed.data;
    const rate = rates.get(input.rate);
    if (!rate) return reply.code(400).send({ rate: [`Rate with object_id ${input.rate} does not exist.`] });
    const shipment = shipments.get(rate.body.shipment)!;
    const at = clock.now();
    const transactionId = objectId();
    sequence += 1;
    const trackingNumber = trackingNumberFor(rate.service.carrier, salt, sequence);
    const eta = new Date(at.getTime() + rate.service.estimatedDays * DAY_MS).toISOString();
    const metadata = input.metadata ?? '';
    const body: Record<string, unknown> = {
      object_id: transactionId,
      object_created: at.toISOString(),
      object_updated: at.toISOString(),
      object_owner: OBJECT_OWNER,
      object_state: 'VALID',
      status: 'SUCCESS',
      test: true,
      rate: input.rate,
      parcel: (shipment.body.parcels as { object_id: string }[])[0]!.object_id,
      metadata,
      label_file_type: input.label_file_type ?? 'PDF_4x6',
      label_url: `${baseUrl}/labels/${transactionId}.pdf`,
      tracking_number: trackingNumber,
      tracking_status: 'PRE_TRANSIT',
      tracking_url_provider: trackingUrlFor(rate.service.carrier, trackingNumber),
      eta,
      messages: [],
    };
    transactions.set(transactionId, body);
    tracks.set(trackingNumber, {
      carrier: rate.service.carrier,
      trackingNumber,
      transactionId,
      metadata,
      servicelevel: { name: rate.service.name, token: rate.service.token },
      from: locationOf(shipment.input.address_from),
      to: locationOf(shipment.input.address_to),
      eta,
      history: [
        {
          objectId: objectId(),
          status: 'PRE_TRANSIT',
          details: DEFAULT_DETAILS.PRE_TRANSIT.details,
          substatus: DEFAULT_DETAILS.PRE_TRANSIT.substatus,
          statusDate: at.toISOString(),
          recordedAt: at.toISOString(),
          location: locationOf(shipment.input.address_from),
        },
      ],
    });
    labels.push({
      transactionId,
      shipmentId: rate.body.shipment,
      metadata,
      carrier: rate.service.carrier,
      serviceLevel: rate.service.token,
      amount: rate.body.amount,
      trackingNumber,
    });
    const hold = holdNext;
    holdNext = undefined;
    if (hold) await hold();
    return reply.code(201).send(body);
  });

  // Shippo's list filters by `rate` and `object_status`; newest first, one page is plenty here.
  app.get('/transactions', async (request) => {
    const query = request.query as { rate?: string; object_status?: string; results?: string };
    const results = [...transactions.values()]
      .filter(
        (t) =>
          (!query.rate || t.rate === query.rate) &&
          (!query.object_status || t.status === query.object_status),
      )
      .reverse()
      .slice(0, Math.min(Number(query.results ?? 25) || 25, 100));
    return { results };
  });

  app.get('/transactions/:id', { schema: { params: idParam } }, async (request, reply) => {
    const transaction = transactions.get((request.params as { id: string }).id);
    return transaction ?? reply.code(404).send({ detail: 'Not found.' });
  });

  app.get(
    '/tracks/:carrier/:number',
    {
      schema: {
        params: {
          type: 'object',
          properties: { carrier: { type: 'string' }, number: { type: 'string' } },
          required: ['carrier', 'number'],
        },
      },
    },
    async (request) => {
      const { carrier, number } = request.params as { carrier: string; number: string };
      const known = tracks.get(number);
      if (known && known.carrier === carrier) return trackBody(known);
      // Shippo answers unknown numbers with an UNKNOWN track rather than 404; its test
      // numbers (carrier `shippo`) report the status their name spells.
      const testStatus = carrier === 'shippo' ? SHIPPO_TEST_NUMBER.exec(number)?.[1] : undefined;
      const status = (testStatus ?? 'UNKNOWN') as ShippoTrackingStatus;
      const at = iso();
      return trackBody({
        carrier,
        trackingNumber: number,
        history: [
          {
            objectId: objectId(),
            status,
            details: DEFAULT_DETAILS[status].details,
            substatus: DEFAULT_DETAILS[status].substatus,
            statusDate: at,
            recordedAt: at,
          },
        ],
      });
    },
  );

  app.get('/labels/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const transaction = transactions.get(file.replace(/\.pdf$/, ''));
    if (!file.endsWith('.pdf') || !transaction) return reply.code(404).send({ detail: 'Not found.' });
    const track = tracks.get(transaction.tracking_number as string)!;
    const pdf = labelPdf([
      'SHIPPO SANDBOX LABEL - NOT FOR MAILING',
      `${track.carrier.toUpperCase()} ${track.servicelevel?.name ?? ''}`,
      `TRACKING # ${track.trackingNumber}`,
      `TO: ${track.to?.city ?? ''} ${track.to?.state ?? ''} ${track.to?.zip ?? ''}`,
      `REF: ${String(transaction.metadata)}`,
    ]);
    return reply.type('application/pdf').send(pdf);
  });

  const webhookTarget = () =>
    typeof options.webhookUrl === 'function' ? options.webhookUrl() : options.webhookUrl;

  const deliver = async (track: TrackRecord, token: string | null | undefined): Promise<WebhookDelivery> => {
    const target = webhookTarget();
    if (!target) throw new Error('The Shippo stand-in has no webhook URL configured');
    const url = new URL(target);
    const secret = token === undefined ? options.webhookToken : token;
    if (secret) url.searchParams.set('token', secret);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'track_updated', test: true, data: trackBody(track) }),
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };

  const trackOrThrow = (trackingNumber: string) => {
    const track = tracks.get(trackingNumber);
    if (!track) throw new Error(`The Shippo stand-in sold no label with tracking number ${trackingNumber}`);
    return track;
  };

  const advanceTracking: ShippoStandIn['advanceTracking'] = async (trackingNumber, status, opts = {}) => {
    const track = trackOrThrow(trackingNumber);
    const substatus = opts.substatus ?? DEFAULT_DETAILS[status].substatus;
    const outForDelivery = substatus === 'out_for_delivery';
    const at = iso();
    track.history.push({
      objectId: objectId(),
      status,
      substatus,
      details: opts.details ?? (outForDelivery ? 'Out for delivery.' : DEFAULT_DETAILS[status].details),
      statusDate: opts.statusDate ? new Date(opts.statusDate).toISOString() : at,
      recordedAt: at,
      location:
        (status === 'DELIVERED' || status === 'FAILURE' || outForDelivery ? track.to : track.from) ?? {},
    });
    const transaction = track.transactionId ? transactions.get(track.transactionId) : undefined;
    if (transaction) {
      transaction.tracking_status = status;
      transaction.object_updated = at;
    }
    return webhookTarget() ? deliver(track, undefined) : undefined;
  };

  // Sandbox control, not part of Shippo's API: move a parcel along as the carrier would, so a
  // tester can drive an order to delivery (or failure) over HTTP.
  const ADVANCE_STATUSES = ['PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE'] as const;
  app.post<{ Params: { number: string }; Body: Record<string, unknown> | undefined }>(
    '/sandbox/tracks/:number',
    async (request, reply) => {
      const body = request.body ?? {};
      const status = String(body.status ?? '') as AdvanceStatus;
      if (!(ADVANCE_STATUSES as readonly string[]).includes(status)) {
        return reply.code(400).send({ status: [`One of ${ADVANCE_STATUSES.join(', ')}.`] });
      }
      if (!tracks.get(request.params.number)) {
        return reply.code(404).send({ detail: `No label with tracking number ${request.params.number}.` });
      }
      const delivery = await advanceTracking(request.params.number, status, {
        ...(typeof body.substatus === 'string' ? { substatus: body.substatus } : {}),
        ...(typeof body.details === 'string' ? { details: body.details } : {}),
        ...(typeof body.statusDate === 'string' ? { statusDate: body.statusDate } : {}),
      } as Parameters<ShippoStandIn['advanceTracking']>[2]);
      return { trackingNumber: request.params.number, status, webhook: delivery ?? null };
    },
  );

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  baseUrl = `http://${address.address}:${address.port}`;

  return {
    url: baseUrl,
    close: () => app.close(),
    advanceTracking,
    failNextRequests(n, status = 503) {
      failures.remaining = n;
      failures.status = status;
    },
    sendTrackUpdate: (trackingNumber, opts = {}) => deliver(trackOrThrow(trackingNumber), opts.token),
    purchases: () => labels.map((label) => ({ ...label })),
    holdNextPurchaseAnswer(hold) {
      holdNext = hold;
    },
  };
};
