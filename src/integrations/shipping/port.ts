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
  /**
   * Derived from the triggering event id. Shippo has no idempotency keys, so the key is written
   * into the shipment's and the transaction's `metadata`, where a duplicate can be found by hand.
   * The process manager records the purchased label as an event and only calls `buyLabel` while
   * none is recorded; that record, not the vendor, is what prevents a second label.
   */
  idempotencyKey: string;
  from: Address;
  to: Address;
  parcel: Parcel;
  /** Refrigerated biologics: only an overnight service keeps them in range. */
  coldChain: boolean;
  /** Printed on the label as a reference, e.g. the order number. */
  orderRef: string;
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
  buyLabel(input: LabelRequest): Promise<PurchasedLabel>;
  getTracking(carrier: string, trackingNumber: string): Promise<TrackingUpdate>;
  /** `token` is the secret the webhook URL carried (`?token=`); throws ShippingWebhookError. */
  parseWebhook(body: unknown, token: string | undefined): TrackingUpdate;
};
