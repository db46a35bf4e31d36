import { isLowStock, type Product } from '../../domain/consultation/catalogue.js';
import { type Decider, DomainError, fold } from '../../domain/decider.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId } from '../../platform/ids.js';
import { createCommandHandler } from '../commandHandler.js';

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

export const createStockCommands = (deps: { store: EventStore; clock: Clock }) => {
  const handle = createCommandHandler(deps.store, stockDecider, { clock: deps.clock });
  const now = () => deps.clock.now().toISOString();
  const run = (product: Product, command: StockCommand, meta: { actor: string; commandId: string }) =>
    handle({
      commandId: meta.commandId,
      streamName: stockStream(product.id),
      command,
      actor: meta.actor,
      correlationId: product.id,
    });

  return {
    async onHand(productId: string): Promise<number> {
      return fold(stockDecider, (await deps.store.readStream(stockStream(productId))) as never).onHand;
    },
    receive: (product: Product, quantity: number, note: string, meta: { actor: string; commandId: string }) =>
      run(product, { type: 'ReceiveStock', product, quantity, note, now: now() }, meta),
    adjust: (product: Product, delta: number, reason: string, meta: { actor: string; commandId: string }) =>
      run(product, { type: 'AdjustStock', product, delta, reason, now: now() }, meta),
    /** One unit off the shelf for one packing; the key makes a repeated packing reserve once. */
    reserve: (
      product: Product,
      consultationId: string,
      supplyNumber: number,
      meta: { actor: string; commandId: string },
    ) => run(product, { type: 'ReserveStock', product, consultationId, supplyNumber, now: now() }, meta),
  };
};

export type StockCommands = ReturnType<typeof createStockCommands>;

/** The catalogue's opening stock, received once: a restart finds the stream and adds nothing. */
export const seedStock = async (store: EventStore, clock: Clock, catalogue: readonly Product[]) => {
  for (const product of catalogue) {
    if ((await store.streamRevision(stockStream(product.id))) !== null) continue;
    const event: StockEvent = {
      type: 'StockReceived',
      data: {
        productId: product.id,
        quantity: product.stock,
        onHandAfter: product.stock,
        note: 'opening stock',
        receivedAt: clock.now().toISOString(),
      },
    };
    await store
      .appendToStream(
        stockStream(product.id),
        [
          {
            id: deterministicId('stock-seed', product.id),
            ...event,
            metadata: {
              correlationId: product.id,
              causationId: null,
              actor: 'system:stock-seed',
              occurredAt: clock.now().toISOString(),
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      )
      .catch(() => {}); // another instance seeded it first
  }
};
