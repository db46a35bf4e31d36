/**
 * Phases 11–12: a packed order is booked with the carrier, labelled and tracked to the door. A
 * failed or returned delivery goes to the pharmacy team to re-dispatch, contact or refund.
 */
import type { WebhookHeaders } from '../prescribing/signedWebhook.js';

export {
  InvalidSignatureError,
  UnreadableWebhookError,
  type WebhookHeaders,
} from '../prescribing/signedWebhook.js';

/** Royal Mail service codes the pharmacy books. */
export const DISPATCH_SERVICES = {
  /** Royal Mail Tracked 24. */
  TPN: 'Tracked 24',
  /** Royal Mail Tracked 48. */
  TPS: 'Tracked 48',
  /** Special Delivery Guaranteed by 1pm: signed for, for high-value or urgent supplies. */
  SD1: 'Special Delivery Guaranteed by 1pm',
} as const;
export type DispatchServiceCode = keyof typeof DISPATCH_SERVICES;

export type PackageFormat = 'letter' | 'largeLetter' | 'smallParcel' | 'mediumParcel';

export type CreateShipmentInput = {
  /** From the triggering event id: a retry returns the shipment the first call booked. */
  idempotencyKey: string;
  /** Printed on the label and shown in the carrier's dashboard. */
  orderReference: string;
  recipient: {
    name: string;
    addressLine1: string;
    addressLine2?: string;
    city: string;
    postcode: string;
    countryCode: 'GB';
    /** For the carrier's delivery notifications. */
    email?: string;
    phone?: string;
  };
  packages: { weightGrams: number; packageFormat: PackageFormat }[];
  serviceCode: DispatchServiceCode;
};

export type BookedShipment = {
  /** The carrier's order id: what the label is fetched by. */
  orderIdentifier: string;
  trackingNumber: string;
  /**
   * Null when the label could not be fetched straight after booking: the booking stands, and
   * `getLabel` (or the carrier's dashboard) prints it later. Never a reason to book again.
   */
  labelPdf: Buffer | null;
};

export type TrackingStatus =
  | 'accepted'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'delivery_failed'
  | 'returned';

export type TrackingEvent = {
  trackingNumber: string;
  status: TrackingStatus;
  /** When the carrier scanned the item (UTC ISO-8601). */
  occurredAt: string;
  description?: string;
};

/**
 * Calls throw VendorUnavailableError (retry on the platform's schedule) or VendorRejectedError
 * (never retried: a bad address, an unknown tracking number).
 */
export type DispatchService = {
  createShipment(input: CreateShipmentInput): Promise<BookedShipment>;
  /**
   * The shipment already booked under this order reference, if any. Click & Drop has no
   * idempotency keys: a retry after a crash or a timeout asks this first and adopts what it finds.
   */
  findShipment(orderReference: string): Promise<BookedShipment | null>;
  /** The postage label again, e.g. when it was not ready at booking time. */
  getLabel(orderIdentifier: string): Promise<Buffer>;
  /** The latest scan. */
  getTracking(trackingNumber: string): Promise<TrackingEvent>;
  /** Throws InvalidSignatureError (answer 401) or UnreadableWebhookError. */
  parseWebhook(rawBody: Buffer | string, headers: WebhookHeaders): TrackingEvent;
};
