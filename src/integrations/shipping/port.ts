import type { StorageClass } from '../../domain/catalogue/drug.js';

export type Address = {
  name: string;
  company?: string;
  street1: string;
  street2?: string;
  city: string;
  /** State or province code, e.g. `CA`. */
  state: string;
  zip: string;
  /** ISO 3166-1 alpha-2, e.g. `US`. */
  country: string;
  phone?: string;
  email?: string;
  residential?: boolean;
};

export type Parcel = { lengthIn: number; widthIn: number; heightIn: number; weightOz: number };

export type LabelRequest = {
  /** Derived from the triggering event id; written into the shipment's `metadata`. */
  idempotencyKey: string;
  from: Address;
  to: Address;
  parcel: Parcel;
  /** From the drug catalogue: refrigerated and frozen drugs travel only on services that keep them cold. */
  storageClass: StorageClass;
  /** Printed on the label as a reference, e.g. the order number. */
  orderRef: string;
};

/** A shipment with the rate chosen for it: nothing is bought yet, so quoting twice costs nothing. */
export type LabelQuote = {
  shipmentId: string;
  rateId: string;
  carrier: string;
  serviceLevel: string;
  amountMinor: number;
  currency: string;
};

export type PurchasedLabel = {
  shipmentId: string;
  transactionId: string;
  /** The vendor's carrier token (`usps`, `ups`, `fedex`): what `getTracking` takes. */
  carrier: string;
  /** The vendor's service level token, e.g. `fedex_standard_overnight`. */
  serviceLevel: string;
  trackingNumber: string;
  labelUrl: string;
  trackingUrl?: string;
  amountMinor: number;
  currency: string;
};

export type TrackingStatus =
  | 'pre_transit'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'failure'
  | 'returned'
  | 'unknown';

export type TrackingUpdate = {
  trackingNumber: string;
  carrier: string;
  status: TrackingStatus;
  /** When the carrier scanned the parcel (UTC ISO-8601). */
  statusDate: string;
  details?: string;
  /** How many scans the carrier has reported so far: its own order of events, where it gives one. */
  sequence?: number;
};

export type WebhookRefusal = 'unauthorized' | 'malformed' | 'unsupported_event';

/**
 * A webhook the edge must not act on. `unauthorized` and `malformed` answer 4xx; an
 * `unsupported_event` is acknowledged with 2xx so the vendor stops redelivering it.
 */
export class ShippingWebhookError extends Error {
  constructor(
    readonly reason: WebhookRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ShippingWebhookError';
  }
}

/**
 * Labels and tracking. Calls throw VendorUnavailableError (retry on the platform's schedule) or
 * VendorRejectedError (a business outcome, never retried).
 */
export type ShippingCarrier = {
  /** Creates the shipment and picks the rate (overnight for cold chain); throws if none fits. */
  quoteLabel(input: LabelRequest): Promise<LabelQuote>;
  /**
   * Buys the quoted rate. Shippo has no idempotency keys: the caller records the quote before
   * buying and, on any later attempt, asks `findPurchasedLabel` first. A rate Shippo no longer
   * sells is refused with `VendorRejectedError` code `rate_unavailable`.
   */
  purchaseLabel(input: { quote: LabelQuote; idempotencyKey: string }): Promise<PurchasedLabel>;
  /** The label already bought for this quote's rate, if any: what a retry adopts instead of buying. */
  findPurchasedLabel(quote: LabelQuote): Promise<PurchasedLabel | null>;
  getTracking(carrier: string, trackingNumber: string): Promise<TrackingUpdate>;
  /** `token` is the secret the webhook URL carried (`?token=`); throws ShippingWebhookError. */
  parseWebhook(body: unknown, token: string | undefined): TrackingUpdate;
};
