import { type Decider, DomainError } from '../decider.js';
import { isLowStock, type Product } from './catalogue.js';

/**
 * Stock of one product as events: received deliveries, one unit reserved each time a supply is
 * packed, and counted corrections. Packing reads the shelf from here, so dispatch stops at zero;
 * crossing the product's threshold on the way down raises one low-stock alert.
 */
export const stockStream = (productId: string) => `stock-${productId}`;

export type StockEvent =
  | {
      type: 'StockReceived';
      data: { productId: string; quantity: number; onHandAfter: number; note: string; receivedAt: string };
    }
  | {
      type: 'StockReserved';
      data: {
        productId: string;
        consultationId: string;
        supplyNumber: number;
        onHandAfter: number;
        reservedAt: string;
      };
    }
  | {
      type: 'StockAdjusted';
      data: { productId: string; delta: number; reason: string; onHandAfter: number; adjustedAt: string };
    }
  | {
      type: 'LowStockReached';
      data: { productId: string; onHand: number; threshold: number; reachedAt: string };
    };

export type StockCommand =
  | { type: 'ReceiveStock'; product: Product; quantity: number; note: string; now: string }
  | {
      type: 'ReserveStock';
      product: Product;
      consultationId: string;
      supplyNumber: number;
      now: string;
    }
  | { type: 'AdjustStock'; product: Product; delta: number; reason: string; now: string };

/** `lowAt`: the threshold of the last alert while stock stays at or under it; null when stock is fine. */
export type StockState = { productId: string | null; onHand: number; lowAt: number | null };

const evolve = (state: StockState, event: { type: string; data: unknown }): StockState => {
  const e = event as StockEvent;
  switch (e.type) {
    case 'StockReceived':
    case 'StockAdjusted':
    case 'StockReserved': {
      const onHand = e.data.onHandAfter;
      // Back above the threshold: the next fall alerts again.
      const lowAt = state.lowAt !== null && onHand > state.lowAt ? null : state.lowAt;
      return { productId: e.data.productId, onHand, lowAt };
    }
    case 'LowStockReached':
      return { ...state, lowAt: e.data.threshold };
    default:
      return state;
  }
};

/** Moving to `onHandAfter`: the change itself, plus an alert when the threshold is crossed downwards. */
const moved = (
  state: StockState,
  product: Product,
  change: StockEvent,
  onHandAfter: number,
  now: string,
): StockEvent[] => {
  return isLowStock(product, onHandAfter) && state.lowAt === null
    ? [
        change,
        {
          type: 'LowStockReached',
          data: {
            productId: product.id,
            onHand: onHandAfter,
            threshold: product.lowStockThreshold,
            reachedAt: now,
          },
        },
      ]
    : [change];
};

const decide = (command: StockCommand, state: StockState): StockEvent[] => {
  const { product, now } = command;
  switch (command.type) {
    case 'ReceiveStock': {
      if (!Number.isInteger(command.quantity) || command.quantity < 1) {
        throw new DomainError(
          'invalid',
          'INVALID_QUANTITY',
          'a delivery is a whole number of units, at least one',
        );
      }
      const onHandAfter = state.onHand + command.quantity;
      return [
        {
          type: 'StockReceived',
          data: {
            productId: product.id,
            quantity: command.quantity,
            onHandAfter,
            note: command.note,
            receivedAt: now,
          },
        },
      ];
    }
    case 'ReserveStock': {
      if (state.onHand < 1) {
        throw new DomainError('conflict', 'OUT_OF_STOCK', `${product.name} is out of stock`, {
          onHand: state.onHand,
        });
      }
      const onHandAfter = state.onHand - 1;
      return moved(
        state,
        product,
        {
          type: 'StockReserved',
          data: {
            productId: product.id,
            consultationId: command.consultationId,
            supplyNumber: command.supplyNumber,
            onHandAfter,
            reservedAt: now,
          },
        },
        onHandAfter,
        now,
      );
    }
    case 'AdjustStock': {
      if (!Number.isInteger(command.delta) || command.delta === 0) {
        throw new DomainError(
          'invalid',
          'INVALID_QUANTITY',
          'an adjustment is a whole, non-zero number of units',
        );
      }
      const onHandAfter = state.onHand + command.delta;
      if (onHandAfter < 0) {
        throw new DomainError('conflict', 'NEGATIVE_STOCK', 'stock on hand cannot go below zero', {
          onHand: state.onHand,
        });
      }
      return moved(
        state,
        product,
        {
          type: 'StockAdjusted',
          data: {
            productId: product.id,
            delta: command.delta,
            reason: command.reason,
            onHandAfter,
            adjustedAt: now,
          },
        },
        onHandAfter,
        now,
      );
    }
  }
};

export const stockDecider: Decider<StockState, StockCommand, StockEvent> = {
  decide,
  evolve,
  initialState: () => ({ productId: null, onHand: 0, lowAt: null }),
};
