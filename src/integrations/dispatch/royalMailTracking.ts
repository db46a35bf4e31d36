import type { TrackingStatus } from './port.js';

/**
 * Royal Mail scan event codes in the pharmacy's words. Codes are matched first because they are
 * specific (a delivery attempt and a return share no category); the summary's status category is
 * the fallback for codes not listed here.
 */
const BY_EVENT_CODE: Record<string, TrackingStatus> = {
  EVPPA: 'accepted', // accepted at a Post Office
  EVPLA: 'accepted', // accepted at a Parcelshop / collection
  EVAIP: 'accepted', // sender despatching
  EVDAC: 'in_transit',
  EVDAV: 'in_transit',
  EVIMC: 'in_transit',
  EVORI: 'in_transit',
  EVOCO: 'in_transit',
  EVGPD: 'out_for_delivery',
  EVKOP: 'delivered',
  EVKSP: 'delivered', // delivered and signed for
  EVKSF: 'delivered', // left in a safe place
  EVKLS: 'delivered', // delivered to a collection point
  EVKNA: 'delivery_failed', // attempted, no answer
  EVKNR: 'delivery_failed',
  EVNDA: 'delivery_failed', // awaiting redelivery or collection
  EVRTS: 'returned',
};

const BY_CATEGORY: Record<string, TrackingStatus> = {
  DELIVERED: 'delivered',
  'ATTEMPTED DELIVERY': 'delivery_failed',
  RETURNED: 'returned',
  'IN TRANSIT': 'in_transit',
};

/** An unrecognised scan is movement, not an outcome: `in_transit` never closes an order by mistake. */
export const trackingStatusOf = (eventCode: string, statusCategory?: string | null): TrackingStatus =>
  BY_EVENT_CODE[eventCode.toUpperCase()] ??
  (statusCategory ? BY_CATEGORY[statusCategory.toUpperCase()] : undefined) ??
  'in_transit';
