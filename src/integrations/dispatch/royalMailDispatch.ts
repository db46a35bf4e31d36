import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Clock, systemClock } from '../../platform/clock.js';
import { VendorRejectedError } from '../errors.js';
import { createVendorHttp } from '../identity/vendorHttp.js';
import { readSignedJson, UnreadableWebhookError } from '../prescribing/signedWebhook.js';
import type { CreateShipmentInput, DispatchService, TrackingEvent } from './port.js';
import { trackingStatusOf } from './royalMailTracking.js';

export type RoyalMailDispatchConfig = {
  /** Click & Drop's API, `https://api.parcel.royalmail.com/api/v1` by default. */
  baseUrl?: string;
  apiKey: string;
  /** Royal Mail's Tracking API, `https://api.royalmail.net` by default. */
  trackingBaseUrl?: string;
  trackingClientId: string;
  trackingClientSecret: string;
  /** The secret tracking push webhooks are signed with. */
  webhookSecret: string;
  /** Printed as the sender on labels and notifications. */
  sender?: { tradingName: string; emailAddress?: string };
  /** Bounds each call; the platform's retry schedule does the rest. */
  timeoutMs?: number;
  clock?: Clock;
};

const VENDOR = 'royalmail';
const TAG_MAX = 100;

const createResponse = z.object({
  createdOrders: z.array(
    z.object({
      orderIdentifier: z.number().int(),
      trackingNumber: z.string().min(1).optional(),
    }),
  ),
  failedOrders: z
    .array(
      z.object({
        errors: z.array(z.object({ errorCode: z.number(), errorMessage: z.string() })),
      }),
    )
    .default([]),
});

const orderInfo = z.array(
  z.object({
    orderIdentifier: z.number().int(),
    orderReference: z.string().nullish(),
    trackingNumber: z.string().nullish(),
  }),
);

const mailPiece = z.object({
  mailPieces: z.object({
    mailPieceId: z.string(),
    summary: z.object({
      lastEventCode: z.string(),
      lastEventName: z.string().optional(),
      lastEventDateTime: z.iso.datetime({ offset: true }),
      statusCategory: z.string().nullish(),
    }),
  }),
});

const pushEvent = z.object({
  id: z.string(),
  type: z.string(),
  mailPieceId: z.string().min(1),
  event: z.object({
    eventCode: z.string(),
    eventName: z.string().optional(),
    eventDateTime: z.iso.datetime({ offset: true }),
    statusCategory: z.string().nullish(),
  }),
});

const cndError = z.object({ code: z.string(), message: z.string() });
const trackingError = z.object({
  httpMessage: z.string(),
  errors: z.array(z.object({ errorCode: z.string(), errorDescription: z.string() })).optional(),
});

/** Tags hold 100 characters: longer keys are hashed, not cut, so they stay unique. */
const tagValue = (key: string) =>
  key.length <= TAG_MAX ? key : createHash('sha256').update(key).digest('hex');

const toOrder = (input: CreateShipmentInput, sender: RoyalMailDispatchConfig['sender'], orderDate: Date) => ({
  orderReference: input.orderReference,
  recipient: {
    address: {
      fullName: input.recipient.name,
      addressLine1: input.recipient.addressLine1,
      ...(input.recipient.addressLine2 ? { addressLine2: input.recipient.addressLine2 } : {}),
      city: input.recipient.city,
      postcode: input.recipient.postcode,
      countryCode: input.recipient.countryCode,
    },
    ...(input.recipient.email ? { emailAddress: input.recipient.email } : {}),
    ...(input.recipient.phone ? { phoneNumber: input.recipient.phone } : {}),
  },
  ...(sender ? { sender } : {}),
  // No `contents`: the label and customs data must not reveal the medicine inside.
  packages: input.packages.map((p) => ({
    weightInGrams: p.weightGrams,
    packageFormatIdentifier: p.packageFormat,
  })),
  orderDate: orderDate.toISOString(),
  // Click & Drop requires order values; a domestic prescription parcel declares none.
  subtotal: 0,
  shippingCostCharged: 0,
  total: 0,
  currencyCode: 'GBP',
  postageDetails: {
    serviceCode: input.serviceCode,
    sendNotificationsTo: 'recipient',
    receiveEmailNotification: Boolean(input.recipient.email),
    receiveSmsNotification: Boolean(input.recipient.phone),
  },
  // Click & Drop has no idempotency keys; the tag lets a duplicate be found in its dashboard.
  tags: [{ key: 'idempotencyKey', value: tagValue(input.idempotencyKey) }],
});

export const createRoyalMailDispatch = (config: RoyalMailDispatchConfig): DispatchService => {
  const clock = config.clock ?? systemClock;
  const timeoutMs = config.timeoutMs ?? 15_000;
  const clickAndDrop = createVendorHttp({
    vendor: VENDOR,
    label: 'Royal Mail Click & Drop',
    baseUrl: config.baseUrl ?? 'https://api.parcel.royalmail.com/api/v1',
    timeoutMs,
    headers: { authorization: `Bearer ${config.apiKey}` },
    readError: (body) => {
      const parsed = cndError.safeParse(body);
      return parsed.success ? parsed.data : undefined;
    },
  });
  const tracking = createVendorHttp({
    vendor: VENDOR,
    label: 'Royal Mail Tracking',
    baseUrl: config.trackingBaseUrl ?? 'https://api.royalmail.net',
    timeoutMs,
    headers: {
      'x-ibm-client-id': config.trackingClientId,
      'x-ibm-client-secret': config.trackingClientSecret,
      'x-accept-rmg-terms': 'yes',
    },
    readError: (body) => {
      const parsed = trackingError.safeParse(body);
      if (!parsed.success) return undefined;
      const first = parsed.data.errors?.[0];
      return first
        ? { code: first.errorCode, message: first.errorDescription }
        : { code: 'tracking_error', message: parsed.data.httpMessage };
    },
  });

  const getLabel = async (orderIdentifier: string): Promise<Buffer> => {
    const { body } = await clickAndDrop.bytes({
      method: 'GET',
      path: `orders/${encodeURIComponent(orderIdentifier)}/label?documentType=postageLabel`,
      headers: { accept: 'application/pdf' },
    });
    return body;
  };

  return {
    async createShipment(input) {
      const response = await clickAndDrop.json(
        {
          method: 'POST',
          path: 'orders',
          headers: { 'idempotency-key': input.idempotencyKey },
          body: { items: [toOrder(input, config.sender, clock.now())] },
        },
        createResponse,
      );
      const failed = response.failedOrders[0];
      if (failed) {
        const reasons = failed.errors.map((e) => `${e.errorMessage} (${e.errorCode})`).join('; ');
        throw new VendorRejectedError(
          VENDOR,
          'order_failed',
          `Royal Mail refused order ${input.orderReference}: ${reasons}`,
          failed.errors,
        );
      }
      const created = response.createdOrders[0];
      if (!created) {
        throw new VendorRejectedError(
          VENDOR,
          'order_failed',
          `Royal Mail created no order for ${input.orderReference}`,
        );
      }
      if (!created.trackingNumber) {
        // Postage was not applied (the account has no shipping rule for this service): a person must act.
        throw new VendorRejectedError(
          VENDOR,
          'no_tracking_number',
          `Royal Mail order ${created.orderIdentifier} has no tracking number`,
          { orderIdentifier: created.orderIdentifier },
        );
      }
      const orderIdentifier = String(created.orderIdentifier);
      // The booking stands whatever happens to the label: failing here would book a second parcel.
      const labelPdf = await getLabel(orderIdentifier).catch(() => null);
      return { orderIdentifier, trackingNumber: created.trackingNumber, labelPdf };
    },

    async findShipment(orderReference) {
      let found: z.infer<typeof orderInfo>;
      try {
        // A reference is asked for in double quotes; a bare number would be an order identifier.
        found = await clickAndDrop.json(
          { method: 'GET', path: `orders/${encodeURIComponent(`"${orderReference}"`)}` },
          orderInfo,
        );
      } catch (error) {
        if (error instanceof VendorRejectedError && (error.details as { status?: number })?.status === 404) {
          return null;
        }
        throw error;
      }
      const booked = found.find((o) => o.orderReference === orderReference && o.trackingNumber);
      if (!booked?.trackingNumber) return null;
      const orderIdentifier = String(booked.orderIdentifier);
      const labelPdf = await getLabel(orderIdentifier).catch(() => null);
      return { orderIdentifier, trackingNumber: booked.trackingNumber, labelPdf };
    },

    getLabel,

    async getTracking(trackingNumber) {
      const body = await tracking.json(
        { method: 'GET', path: `mailpieces/v2/${encodeURIComponent(trackingNumber)}/events` },
        mailPiece,
      );
      const { summary } = body.mailPieces;
      return {
        trackingNumber: body.mailPieces.mailPieceId,
        status: trackingStatusOf(summary.lastEventCode, summary.statusCategory),
        occurredAt: new Date(summary.lastEventDateTime).toISOString(),
        ...(summary.lastEventName ? { description: summary.lastEventName } : {}),
      };
    },

    parseWebhook(rawBody, headers): TrackingEvent {
      const body = readSignedJson({ vendor: VENDOR, rawBody, headers, secret: config.webhookSecret, clock });
      const parsed = pushEvent.safeParse(body);
      if (!parsed.success) {
        throw new UnreadableWebhookError(
          VENDOR,
          'malformed',
          'Royal Mail push is not in the shape we read',
          parsed.error,
        );
      }
      const { type, mailPieceId, event } = parsed.data;
      if (type !== 'tracking.event') {
        throw new UnreadableWebhookError(
          VENDOR,
          'unsupported_event',
          `Royal Mail push ${type} is not one we act on`,
        );
      }
      return {
        trackingNumber: mailPieceId,
        status: trackingStatusOf(event.eventCode, event.statusCategory),
        occurredAt: new Date(event.eventDateTime).toISOString(),
        ...(event.eventName ? { description: event.eventName } : {}),
      };
    },
  };
};
