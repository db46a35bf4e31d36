/**
 * Stand-in for Royal Mail: the Click & Drop API (orders and labels) and the Tracking API v2,
 * modelled on their published OpenAPI descriptions, plus tracking push webhooks.
 *
 * Click & Drop — `Authorization: Bearer <apiKey>` (a bare key is accepted too, as Click & Drop does)
 *   POST /api/v1/orders
 *   { "items": [{ "orderReference", "recipient": { "address": { "fullName", "addressLine1",
 *       "addressLine2"?, "city", "postcode", "countryCode": "GB" }, "emailAddress"?, "phoneNumber"? },
 *       "packages": [{ "weightInGrams", "packageFormatIdentifier": "letter" | "largeLetter" |
 *       "smallParcel" | "mediumParcel" }], "orderDate", "subtotal", "shippingCostCharged", "total",
 *       "postageDetails": { "serviceCode": "TPN" | "TPS" | "SD1", … }, "tags"?,
 *       "label"?: { "includeLabelInResponse": true } }] }
 *   200 { "successCount", "errorsCount",
 *         "createdOrders": [{ "orderIdentifier": 1000001, "orderReference", "createdOn", "orderDate",
 *                             "trackingNumber", "packages": [{ "packageNumber", "trackingNumber" }],
 *                             "label"?: "<base64 PDF>" }],
 *         "failedOrders": [{ "order": <item>, "errors": [{ "errorCode", "errorMessage", "fields" }] }] }
 *   As in Click & Drop, an order Royal Mail will not take comes back in `failedOrders` inside a 200.
 *   Click & Drop publishes no idempotency key; this stand-in honours `Idempotency-Key` so retries
 *   are safe here (same key and body → the same answer; other body → 422).
 *
 *   GET /api/v1/orders/{orderIdentifiers}/label?documentType=postageLabel   application/pdf
 *       `orderIdentifiers` is one id or several joined by `;`. 404 while labels are withheld.
 *
 *   Errors: `{ "code", "message", "details"? }` — 400, 401, 404, 422, 503.
 *
 * Tracking API v2 — `X-IBM-Client-Id`, `X-IBM-Client-Secret`, `X-Accept-RMG-Terms: yes`
 *   GET /mailpieces/v2/{trackingNumber}/events
 *   200 { "mailPieces": { "mailPieceId", "summary": { "lastEventCode", "lastEventName",
 *         "lastEventDateTime", "statusCategory", … }, "events": [newest first] } }
 *   Errors: `{ "httpCode", "httpMessage", "moreInformation", "errors"?: [{ "errorCode",
 *   "errorDescription" }] }` — 404 E1142 before the first scan or for an unknown number.
 *
 * Push webhooks, one per scan, POSTed to the registered URL and signed as
 * ../signaturerx/webhookOutbox.ts describes:
 *   { "id": "evt_…", "type": "tracking.event", "mailPieceId", "orderReference",
 *     "event": { "eventCode", "eventName", "eventDateTime", "locationName", "statusCategory" } }
 * Scans happen only when a test calls `advance`, so flows are deterministic.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  type Answer,
  bearerToken,
  createIdempotency,
  createStandInApp,
  type FaultControls,
  guardApi,
  type ListenOptions,
  listen,
  type StandInClock,
  singleHeader,
  wallClock,
} from '../lexisnexis/standInKit.js';
import { createWebhookOutbox, type WebhookDelivery } from '../signaturerx/webhookOutbox.js';
import { labelPdf } from './labelPdf.js';
import {
  createOrdersBody,
  type OrderItem,
  orderErrors,
  SERVICES,
  type ServiceCode,
  trackingNumber,
} from './orders.js';
import { mailPieceBody, SCAN_EVENTS, type ScanEvent, type StandInStatus, trackingError } from './tracking.js';

export type RoyalMailStandInOptions = ListenOptions & {
  apiKey?: string;
  trackingClientId?: string;
  trackingClientSecret?: string;
  webhookSecret?: string;
  webhookUrl?: string;
  clock?: StandInClock;
  retryDelaysMs?: readonly number[];
};

export type RoyalMailOrder = {
  orderIdentifier: number;
  orderReference: string | undefined;
  serviceCode: ServiceCode;
  trackingNumber: string;
  packages: { packageNumber: number; trackingNumber: string }[];
  request: OrderItem;
  createdOn: string;
  events: ScanEvent[];
};

export type RoyalMailStandIn = FaultControls & {
  /** The root: the Tracking API's base URL. */
  url: string;
  /** `<url>/api/v1`: Click & Drop's base URL, as its real one ends in `/api/v1`. */
  clickAndDropUrl: string;
  apiKey: string;
  trackingClientId: string;
  trackingClientSecret: string;
  webhookSecret: string;
  close(): Promise<void>;
  setWebhookUrl(url: string | undefined): void;
  /** Records a scan on the item and pushes it as a webhook. */
  advance(trackingNumber: string, status: StandInStatus, scan?: { at?: Date; location?: string }): ScanEvent;
  /** While false, labels answer 404, as before Click & Drop has generated them. */
  setLabelsAvailable(available: boolean): void;
  orders(): readonly RoyalMailOrder[];
  deliveries(): readonly WebhookDelivery[];
  webhooksIdle(): Promise<void>;
};

export const DEFAULT_ROYAL_MAIL_API_KEY = 'rm_cnd_sandbox_key';
export const DEFAULT_TRACKING_CLIENT_ID = 'rm_tracking_client';
export const DEFAULT_TRACKING_CLIENT_SECRET = 'rm_tracking_secret';
export const DEFAULT_ROYAL_MAIL_WEBHOOK_SECRET = 'rm_whsec_sandbox';

const isTracking = (request: FastifyRequest) => request.url.startsWith('/mailpieces/');
const cndError = (code: string, message: string, details?: string) => ({
  code,
  message,
  ...(details ? { details } : {}),
});

const recipientLines = (order: OrderItem): string[] => {
  const a = order.recipient.address;
  return [
    a.fullName,
    a.companyName,
    a.addressLine1,
    a.addressLine2,
    a.addressLine3,
    a.city,
    a.postcode,
  ].filter((line): line is string => Boolean(line));
};

export const startRoyalMailStandIn = async (
  options: RoyalMailStandInOptions = {},
): Promise<RoyalMailStandIn> => {
  const apiKey = options.apiKey ?? DEFAULT_ROYAL_MAIL_API_KEY;
  const trackingClientId = options.trackingClientId ?? DEFAULT_TRACKING_CLIENT_ID;
  const trackingClientSecret = options.trackingClientSecret ?? DEFAULT_TRACKING_CLIENT_SECRET;
  const webhookSecret = options.webhookSecret ?? DEFAULT_ROYAL_MAIL_WEBHOOK_SECRET;
  const clock = options.clock ?? wallClock;
  let webhookUrl = options.webhookUrl;
  let labelsAvailable = true;
  const orders = new Map<number, RoyalMailOrder>();
  const byTracking = new Map<string, RoyalMailOrder>();
  let nextOrder = 1_000_001;
  let nextSerial = 1;
  const outbox = createWebhookOutbox({
    secret: webhookSecret,
    url: () => webhookUrl,
    clock,
    retryDelaysMs: options.retryDelaysMs ?? [50, 200, 800],
    attemptTimeoutMs: 2_000,
    userAgent: 'RoyalMail-TrackingPush/1.0 (sandbox)',
  });
  const idempotency = createIdempotency((key) => ({
    status: 422,
    body: cndError('IdempotencyKeyReused', `Idempotency-Key ${key} was used for a different request`),
  }));

  const app = createStandInApp();
  const faults = guardApi(app, {
    // Injected outages hit Click & Drop (booking); the Tracking API stays up.
    faultable: (request) => !isTracking(request),
    authorized: (request) =>
      isTracking(request)
        ? singleHeader(request, 'x-ibm-client-id') === trackingClientId &&
          singleHeader(request, 'x-ibm-client-secret') === trackingClientSecret
        : (bearerToken(request) ?? request.headers.authorization) === apiKey,
    errorBody: (status, code, message, request) =>
      isTracking(request) ? trackingError(status, message) : cndError(code, message),
  });

  const book = async (order: OrderItem): Promise<Record<string, unknown>> => {
    const serviceCode = order.postageDetails.serviceCode as ServiceCode;
    const service = SERVICES[serviceCode];
    const packages = order.packages.map((_pkg, i) => ({
      packageNumber: i + 1,
      trackingNumber: trackingNumber(service.prefix, nextSerial++),
    }));
    const record: RoyalMailOrder = {
      orderIdentifier: nextOrder++,
      orderReference: order.orderReference,
      serviceCode,
      trackingNumber: packages[0]?.trackingNumber ?? '',
      packages,
      request: order,
      createdOn: clock.now().toISOString(),
      events: [],
    };
    orders.set(record.orderIdentifier, record);
    for (const pkg of packages) byTracking.set(pkg.trackingNumber, record);
    const label = order.label?.includeLabelInResponse
      ? (await labelsFor([record])).toString('base64')
      : undefined;
    return {
      orderIdentifier: record.orderIdentifier,
      orderReference: record.orderReference,
      createdOn: record.createdOn,
      orderDate: order.orderDate,
      trackingNumber: record.trackingNumber,
      packages,
      ...(label ? { label } : {}),
    };
  };

  const labelsFor = (records: readonly RoyalMailOrder[]) =>
    labelPdf(
      records.flatMap((record) =>
        record.packages.map((pkg) => ({
          serviceName: SERVICES[record.serviceCode].name,
          trackingNumber: pkg.trackingNumber,
          orderReference: record.orderReference ?? String(record.orderIdentifier),
          recipientLines: recipientLines(record.request),
        })),
      ),
    );

  const createOrders = async (body: unknown): Promise<Answer> => {
    const parsed = createOrdersBody.safeParse(body);
    if (!parsed.success) {
      return { status: 400, body: cndError('BadRequest', 'The request must hold 1 to 100 items') };
    }
    const createdOrders: Record<string, unknown>[] = [];
    const failedOrders: unknown[] = [];
    for (const item of parsed.data.items) {
      const { order, errors } = orderErrors(item);
      if (order && errors.length === 0) createdOrders.push(await book(order));
      else failedOrders.push({ order: item, errors });
    }
    return {
      status: 200,
      body: {
        successCount: createdOrders.length,
        errorsCount: failedOrders.length,
        createdOrders,
        failedOrders,
      },
    };
  };

  app.post('/api/v1/orders', async (request, reply) => {
    const answer = await idempotency.run(singleHeader(request, 'idempotency-key'), request.body, () =>
      createOrders(request.body),
    );
    return reply.code(answer.status).send(answer.body);
  });

  // Orders by identifier (a number) or by reference (a string in double quotes), `;`-separated.
  app.get<{ Params: { ids: string } }>('/api/v1/orders/:ids', async (request, reply) => {
    const found = request.params.ids.split(';').flatMap((id) => {
      const reference = /^"(.*)"$/.exec(id)?.[1];
      return reference === undefined
        ? [orders.get(Number(id))].filter((o): o is RoyalMailOrder => o !== undefined)
        : [...orders.values()].filter((o) => o.orderReference === reference);
    });
    if (found.length === 0)
      return reply.code(404).send(cndError('NotFound', `No order ${request.params.ids}`));
    return found.map((o) => ({
      orderIdentifier: o.orderIdentifier,
      orderReference: o.orderReference,
      createdOn: o.createdOn,
      orderDate: o.request.orderDate,
      trackingNumber: o.trackingNumber,
      packages: o.packages,
    }));
  });

  app.get<{ Params: { ids: string }; Querystring: { documentType?: string } }>(
    '/api/v1/orders/:ids/label',
    async (request, reply) => {
      if (request.query.documentType !== 'postageLabel') {
        return reply
          .code(400)
          .send(cndError('BadRequest', 'documentType must be postageLabel for domestic orders'));
      }
      const records = request.params.ids.split(';').map((id) => orders.get(Number(id)));
      if (records.some((record) => !record)) {
        return reply.code(404).send(cndError('NotFound', `No order ${request.params.ids}`));
      }
      if (!labelsAvailable) {
        return reply.code(404).send(cndError('LabelNotFound', 'The label has not been generated yet'));
      }
      const pdf = await labelsFor(records as RoyalMailOrder[]);
      return reply.type('application/pdf').send(pdf);
    },
  );

  app.get<{ Params: { id: string } }>('/mailpieces/v2/:id/events', async (request, reply) => {
    if (request.headers['x-accept-rmg-terms'] !== 'yes') {
      return reply.code(400).send(trackingError(400, 'X-Accept-RMG-Terms must be yes', 'E1140'));
    }
    const record = byTracking.get(request.params.id);
    if (!record || record.events.length === 0) {
      return reply.code(404).send(trackingError(404, 'No tracking information for this item yet', 'E1142'));
    }
    return mailPieceBody(request.params.id, SERVICES[record.serviceCode].name, record.events);
  });

  app.addHook('onClose', async () => outbox.close());
  const url = await listen(app, options);

  return {
    url,
    clickAndDropUrl: `${url}/api/v1`,
    apiKey,
    trackingClientId,
    trackingClientSecret,
    webhookSecret,
    close: () => app.close(),
    ...faults,
    setWebhookUrl(next) {
      webhookUrl = next;
    },
    advance(number, status, scan = {}) {
      const record = byTracking.get(number);
      if (!record) throw new Error(`No Royal Mail item ${number}`);
      const event: ScanEvent = {
        ...SCAN_EVENTS[status],
        eventDateTime: (scan.at ?? clock.now()).toISOString(),
        locationName: scan.location ?? null,
      };
      record.events.push(event);
      const id = `evt_${randomBytes(12).toString('hex')}`;
      outbox.send({
        id,
        type: 'tracking.event',
        payload: {
          id,
          type: 'tracking.event',
          mailPieceId: number,
          orderReference: record.orderReference,
          event,
        },
      });
      return { ...event };
    },
    setLabelsAvailable(available) {
      labelsAvailable = available;
    },
    orders: () => [...orders.values()].map((record) => structuredClone(record)),
    deliveries: () => outbox.deliveries(),
    webhooksIdle: () => outbox.idle(),
  };
};
