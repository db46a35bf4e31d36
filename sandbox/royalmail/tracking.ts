/**
 * Royal Mail scan events the stand-in emits, by the status a test asks for. The codes follow
 * Royal Mail's tracking vocabulary (EVPPA accepted at a Post Office, EVKOP delivered, …); EVRTS
 * for a return to sender is the stand-in's own, as no public list names one.
 */
export type StandInStatus =
  | 'accepted'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'delivery_failed'
  | 'returned';

export const SCAN_EVENTS: Record<
  StandInStatus,
  { eventCode: string; eventName: string; statusCategory: string }
> = {
  accepted: { eventCode: 'EVPPA', eventName: 'Accepted at Post Office', statusCategory: 'IN TRANSIT' },
  in_transit: { eventCode: 'EVDAC', eventName: 'Item in transit', statusCategory: 'IN TRANSIT' },
  out_for_delivery: { eventCode: 'EVGPD', eventName: 'Out for delivery', statusCategory: 'IN TRANSIT' },
  delivered: { eventCode: 'EVKOP', eventName: 'Delivered', statusCategory: 'DELIVERED' },
  delivery_failed: {
    eventCode: 'EVKNA',
    eventName: 'Delivery attempted - no answer',
    statusCategory: 'ATTEMPTED DELIVERY',
  },
  returned: { eventCode: 'EVRTS', eventName: 'Returned to sender', statusCategory: 'RETURNED' },
};

export type ScanEvent = {
  eventCode: string;
  eventName: string;
  eventDateTime: string;
  locationName: string | null;
  statusCategory: string;
};

/** Tracking API v2's `GET /mailpieces/v2/{id}/events` body: newest event first, as Royal Mail orders them. */
export const mailPieceBody = (mailPieceId: string, productName: string, events: readonly ScanEvent[]) => {
  const newestFirst = [...events].reverse();
  const last = newestFirst[0];
  return {
    mailPieces: {
      mailPieceId,
      carrierShortName: 'RM',
      carrierFullName: 'Royal Mail Group Ltd',
      summary: {
        uniqueItemId: mailPieceId,
        productName,
        lastEventCode: last?.eventCode,
        lastEventName: last?.eventName,
        lastEventDateTime: last?.eventDateTime,
        lastEventLocationName: last?.locationName,
        statusDescription: last?.eventName,
        statusCategory: last?.statusCategory,
      },
      events: newestFirst.map(({ statusCategory: _category, ...event }) => event),
    },
  };
};

/** The IBM API Connect error body Royal Mail's tracking API answers with. */
export const trackingError = (status: number, message: string, errorCode?: string) => ({
  httpCode: String(status),
  httpMessage: message,
  moreInformation: message,
  ...(errorCode ? { errors: [{ errorCode, errorDescription: message }] } : {}),
});
