import { type Decider, DomainError } from '../decider.js';
import { decideClaim } from './decideClaim.js';
import { decideDelivery, IN_CARRIER_HANDS } from './decideDelivery.js';
import { decideEnrollment } from './decideEnrollment.js';
import { decideIntake } from './decideIntake.js';
import { decidePayment, refundEverything } from './decidePayment.js';
import { decideRouting } from './decideRouting.js';
import type { OrderCommand } from './orderCommand.js';
import type { OrderEvent, OrderStatus } from './orderEvents.js';
import { evolveOrder, initialOrderState, type OrderState, requireStatus } from './orderState.js';
import { TERMINAL_STATUSES } from './terminal.js';

export { requireUsableLink } from './decideEnrollment.js';
export type { OrderCommand } from './orderCommand.js';
export type { OrderState } from './orderState.js';
export { TERMINAL_STATUSES };

/**
 * Cancelling refunds whatever the patient paid. Once the parcel is with the carrier it cannot be
 * cancelled here: a return (or a failed delivery) brings it back to a delivery exception first.
 */
const CANCELLABLE: readonly OrderStatus[] = [
  'received',
  'validated',
  'validation_issue',
  'awaiting_enrollment',
  'awaiting_routing',
  'awaiting_drug_review',
  'awaiting_pharmacy_selection',
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'payment_mismatch',
  'paid',
  'delivery_exception',
];

const decide = (command: OrderCommand, state: OrderState): OrderEvent[] => {
  // Each stage of the order decides its own commands; only cancelling, which ends any of them, is here.
  const delegated =
    decideIntake(command, state) ??
    decideEnrollment(command, state) ??
    decideRouting(command, state) ??
    decideClaim(command, state) ??
    decidePayment(command, state) ??
    decideDelivery(command, state);
  if (delegated) return delegated;
  switch (command.type) {
    case 'CancelOrder': {
      requireStatus(state, CANCELLABLE, 'cancel the order');
      if (state.status === 'paid' && state.labelPurchase) {
        throw new DomainError(
          'conflict',
          'LABEL_BEING_BOUGHT',
          'the shipping label is being bought; once the parcel ships, record its return to cancel',
        );
      }
      return [
        { type: 'OrderCancelled', data: { reason: command.reason, fromStatus: state.status as OrderStatus } },
        ...refundEverything(state, command.refundId, 'cancellation', command.reason),
      ];
    }

    default:
      throw new DomainError(
        'invalid',
        'UNKNOWN_COMMAND',
        `unknown command ${(command as { type: string }).type}`,
      );
  }
};

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = {
  decide,
  evolve: evolveOrder,
  initialState: initialOrderState,
};

export const orderStream = (orderId: string) => `order-${orderId}`;

export { IN_CARRIER_HANDS };
