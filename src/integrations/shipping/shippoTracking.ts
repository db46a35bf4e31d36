import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ShippingWebhookError, type TrackingStatus, type TrackingUpdate } from './port.js';

/** Shippo's status (and substatus) in the platform's terms. */
export const trackingStatusFromShippo = (status: string, substatusCode?: string | null): TrackingStatus => {
  switch (status) {
    case 'PRE_TRANSIT':
      return 'pre_transit';
    case 'TRANSIT':
      return substatusCode === 'out_for_delivery' ? 'out_for_delivery' : 'in_transit';
    case 'DELIVERED':
      return 'delivered';
    case 'FAILURE':
      return 'failure';
    case 'RETURNED':
      return 'returned';
    default:
      return 'unknown';
  }
};

// Only what the platform reads; Shippo sends nulls for fields it has no value for.
const webhookBody = z.object({
  event: z.string(),
  data: z.object({
    carrier: z.string().min(1),
    tracking_number: z.string().min(1),
    tracking_status: z
      .object({
        status: z.string(),
        status_details: z.string().nullish(),
        status_date: z.string().nullish(),
        object_updated: z.string().nullish(),
        substatus: z.object({ code: z.string() }).nullish(),
      })
      .nullish(),
    // Every scan so far, oldest first: its length is the carrier's own order of updates.
    tracking_history: z.array(z.unknown()).nullish(),
  }),
});

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const isoOrUndefined = (value: string | null | undefined): string | undefined => {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/**
 * Shippo webhooks carry no signature by default: the platform registers its webhook URL with a
 * secret `?token=` and the edge hands that token here. `receivedAt` dates a track without scans.
 */
export const parseShippoWebhook = (
  body: unknown,
  token: string | undefined,
  expectedToken: string,
  receivedAt: Date,
): TrackingUpdate => {
  if (token === undefined || !sameSecret(token, expectedToken)) {
    throw new ShippingWebhookError('unauthorized', 'The webhook token is missing or wrong');
  }
  const parsed = webhookBody.safeParse(body);
  if (!parsed.success) {
    throw new ShippingWebhookError('malformed', `Not a Shippo track webhook: ${parsed.error.message}`);
  }
  const { event, data } = parsed.data;
  if (event !== 'track_updated') {
    throw new ShippingWebhookError('unsupported_event', `Shippo event ${event} is not handled`);
  }
  const status = data.tracking_status;
  const details = status?.status_details ?? undefined;
  return {
    trackingNumber: data.tracking_number,
    carrier: data.carrier,
    status: status ? trackingStatusFromShippo(status.status, status.substatus?.code) : 'unknown',
    statusDate:
      isoOrUndefined(status?.status_date) ??
      isoOrUndefined(status?.object_updated) ??
      receivedAt.toISOString(),
    ...(details ? { details } : {}),
    ...(data.tracking_history?.length ? { sequence: data.tracking_history.length } : {}),
  };
};
