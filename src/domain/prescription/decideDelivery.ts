import type { OrderCommand } from './orderCommand.js';
import type { DeliveryStatus, OrderEvent } from './orderEvents.js';
import { type OrderState, requireStatus } from './orderState.js';

type Command<T extends OrderCommand['type']> = Extract<OrderCommand, { type: T }>;

const DELIVERY_ORDER: Record<DeliveryStatus, number> = { in_transit: 1, out_for_delivery: 2, delivered: 3 };

/** The parcel is with the carrier: only tracking moves the order now. */
export const IN_CARRIER_HANDS = ['shipped', 'in_transit', 'out_for_delivery'] as const;

/** A scan dated further ahead than this is a carrier's clock error, never the parcel's news. */
export const MAX_TRACKING_LEAD_MS = 24 * 60 * 60 * 1000;

export const decideDelivery = (command: OrderCommand, state: OrderState): OrderEvent[] | null => {
  switch (command.type) {
    case 'StartLabelPurchase':
      // One purchase at a time: a retry looks up the recorded one instead of starting another.
      if (state.status !== 'paid' || state.label || state.labelPurchase) return [];
      return [
        {
          type: 'ShippingLabelPurchaseStarted',
          data: {
            shipmentId: command.shipmentId,
            rateId: command.rateId,
            carrier: command.carrier,
            serviceLevel: command.serviceLevel,
            amountMinor: command.amountMinor,
            currency: command.currency,
            coldChain: command.coldChain,
          },
        },
      ];

    case 'AbandonLabelPurchase':
      if (state.labelPurchase?.rateId !== command.rateId || state.label) return [];
      return [
        { type: 'ShippingLabelPurchaseAbandoned', data: { rateId: command.rateId, reason: command.reason } },
      ];

    case 'RecordShippingLabel':
      if (state.status !== 'paid') return [];
      return [
        {
          type: 'ShippingLabelPurchased',
          data: {
            ...command.label,
            coldChain: command.coldChain,
            ...(command.storageClass ? { storageClass: command.storageClass } : {}),
          },
        },
      ];

    case 'RecordTracking':
      return recordTracking(command, state);

    case 'RequestReshipment':
      requireStatus(state, ['delivery_exception'], 'reship the order');
      return [
        {
          type: 'ReshipmentRequested',
          data: { reason: command.reason, ...(command.address ? { address: command.address } : {}) },
        },
      ];

    case 'CompleteOrder':
      if (state.status !== 'delivered') return [];
      return [{ type: 'OrderCompleted', data: { completedAt: command.now } }];

    default:
      return null;
  }
};

/**
 * Carriers deliver updates late, twice and out of order. An update is news only if it is newer
 * than what we know — by the carrier's own sequence where it gives one, by scan time otherwise —
 * and never if it is dated in the future: one scan stamped 2099 would otherwise hide every real one.
 */
const recordTracking = (command: Command<'RecordTracking'>, state: OrderState): OrderEvent[] => {
  if (!(IN_CARRIER_HANDS as readonly string[]).includes(state.status)) return [];
  const at = Date.parse(command.statusDate);
  if (Number.isNaN(at) || at > Date.parse(command.now) + MAX_TRACKING_LEAD_MS) return [];
  if (command.sequence !== undefined && state.lastTrackingSequence !== null) {
    if (command.sequence <= state.lastTrackingSequence) return [];
  } else if (state.lastTrackingDate && at < Date.parse(state.lastTrackingDate)) {
    return [];
  }
  const provenance = {
    source: command.source,
    ...(command.sequence !== undefined ? { sequence: command.sequence } : {}),
  };
  if (command.status === 'failure' || command.status === 'returned') {
    return [
      {
        type: 'DeliveryExceptionRaised',
        data: {
          carrierStatus: command.status,
          statusDate: command.statusDate,
          details: command.details,
          ...provenance,
        },
      },
    ];
  }
  if (
    state.status !== 'shipped' &&
    DELIVERY_ORDER[command.status] <= DELIVERY_ORDER[state.status as DeliveryStatus]
  ) {
    return [];
  }
  return [
    {
      type: 'DeliveryStatusUpdated',
      data: {
        status: command.status,
        statusDate: command.statusDate,
        details: command.details,
        ...provenance,
      },
    },
  ];
};
