import { randomUUID } from 'node:crypto';
import type { CarrierService } from './rateCard.js';
import type { AddressInput, ParcelInput } from './requests.js';

// Response bodies in Shippo's snake_case shape. The SDK validates every response with zod, so each
// builder fills all fields its model marks required (node_modules/shippo/src/models/components).

/** Shippo object ids are 32 lowercase hex characters. */
export const objectId = (): string => randomUUID().replaceAll('-', '');

export const OBJECT_OWNER = 'sandbox@pharmacy.example';

const stamps = (at: string) => ({
  object_id: objectId(),
  object_created: at,
  object_updated: at,
  object_owner: OBJECT_OWNER,
});

export const addressBody = (input: AddressInput, at: string) => ({
  ...input,
  ...stamps(at),
  is_complete: true,
  test: true,
});

export const parcelBody = (input: ParcelInput, at: string) => ({
  ...input,
  ...stamps(at),
  object_state: 'VALID' as const,
  test: true,
});

export type RateAttribute = 'CHEAPEST' | 'FASTEST' | 'BESTVALUE';

export const rateBody = (
  service: CarrierService,
  amount: string,
  shipmentId: string,
  carrierAccount: string,
  attributes: RateAttribute[],
  at: string,
) => ({
  ...stamps(at),
  shipment: shipmentId,
  attributes,
  amount,
  currency: 'USD',
  amount_local: amount,
  currency_local: 'USD',
  provider: service.provider,
  servicelevel: { name: service.name, token: service.token, terms: '' },
  estimated_days: service.estimatedDays,
  duration_terms: service.durationTerms,
  carrier_account: carrierAccount,
  zone: '4',
  messages: [],
  test: true,
});

/** Shippo tags one rate each as the cheapest, the fastest and the best value. */
export const rateAttributes = (
  quotes: readonly { amountMinor: number; days: number }[],
): RateAttribute[][] => {
  const argmin = (score: (q: { amountMinor: number; days: number }) => number) =>
    quotes.reduce((best, q, i) => (score(q) < score(quotes[best]!) ? i : best), 0);
  const cheapest = argmin((q) => q.amountMinor);
  const fastest = argmin((q) => q.days * 1e9 + q.amountMinor);
  const bestValue = argmin((q) => q.amountMinor * q.days);
  return quotes.map((_, i) => {
    const tags: RateAttribute[] = [];
    if (i === cheapest) tags.push('CHEAPEST');
    if (i === fastest) tags.push('FASTEST');
    if (i === bestValue) tags.push('BESTVALUE');
    return tags;
  });
};

export type ShippoTrackingStatus =
  | 'PRE_TRANSIT'
  | 'TRANSIT'
  | 'DELIVERED'
  | 'FAILURE'
  | 'RETURNED'
  | 'UNKNOWN';
export type TrackLocation = { city?: string; state?: string; zip?: string; country?: string };

export type TrackingEvent = {
  objectId: string;
  status: ShippoTrackingStatus;
  details: string;
  statusDate: string;
  recordedAt: string;
  substatus?: string;
  location?: TrackLocation;
};

// Shippo's substatus codes with their usual wording; an unknown code is shown as given.
const SUBSTATUS_TEXT: Record<string, string> = {
  information_received: 'Information about the package received.',
  package_accepted: 'Package has been accepted into the carrier network for delivery.',
  package_departed: 'Package has departed from an intermediate location in the carrier network.',
  package_arrived: 'Package has arrived at an intermediate location in the carrier network.',
  out_for_delivery: 'Package is out for delivery.',
  delivered: 'Package has been delivered.',
  delivery_attempted: 'Delivery of the package was attempted.',
  package_undeliverable: 'Package is undeliverable.',
  return_to_sender: 'Package is being returned to the sender.',
};

export const DEFAULT_DETAILS: Record<
  ShippoTrackingStatus,
  { details: string; substatus: string | undefined }
> = {
  PRE_TRANSIT: {
    details: 'Shipping label created, carrier awaiting item.',
    substatus: 'information_received',
  },
  TRANSIT: { details: 'Your item departed a transfer facility.', substatus: 'package_departed' },
  DELIVERED: { details: 'Your item was delivered in or at the mailbox.', substatus: 'delivered' },
  FAILURE: {
    details: 'Delivery attempted: no authorized recipient available.',
    substatus: 'delivery_attempted',
  },
  RETURNED: { details: 'Your item is being returned to the sender.', substatus: 'return_to_sender' },
  UNKNOWN: {
    details: 'The carrier has not received tracking information for this number.',
    substatus: undefined,
  },
};

export const trackingStatusBody = (event: TrackingEvent) => ({
  object_id: event.objectId,
  object_created: event.recordedAt,
  object_updated: event.recordedAt,
  status: event.status,
  status_details: event.details,
  status_date: event.statusDate,
  ...(event.substatus
    ? {
        substatus: {
          code: event.substatus,
          text: SUBSTATUS_TEXT[event.substatus] ?? event.substatus,
          action_required: event.status === 'FAILURE',
        },
      }
    : {}),
  ...(event.location ? { location: event.location } : {}),
});

export type TrackRecord = {
  carrier: string;
  trackingNumber: string;
  transactionId?: string;
  metadata?: string;
  servicelevel?: { name: string; token: string };
  from?: TrackLocation;
  to?: TrackLocation;
  eta?: string;
  history: TrackingEvent[];
};

export const trackBody = (track: TrackRecord) => {
  const latest = track.history.at(-1);
  return {
    carrier: track.carrier,
    tracking_number: track.trackingNumber,
    ...(track.from ? { address_from: track.from } : {}),
    ...(track.to ? { address_to: track.to } : {}),
    ...(track.eta ? { eta: track.eta, original_eta: track.eta } : {}),
    ...(track.servicelevel ? { servicelevel: track.servicelevel } : {}),
    ...(track.metadata !== undefined ? { metadata: track.metadata } : {}),
    ...(track.transactionId ? { transaction: track.transactionId } : {}),
    ...(latest ? { tracking_status: trackingStatusBody(latest) } : {}),
    tracking_history: track.history.map(trackingStatusBody),
    messages: [],
  };
};

export const locationOf = (address: AddressInput): TrackLocation => ({
  city: address.city,
  ...(address.state ? { state: address.state } : {}),
  zip: address.zip,
  country: address.country,
});
