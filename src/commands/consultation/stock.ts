import type { Product } from '../../domain/consultation/catalogue.js';
import {
  type StockCommand,
  type StockEvent,
  stockDecider,
  stockStream,
} from '../../domain/consultation/stock.js';
import { fold } from '../../domain/decider.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { deterministicId } from '../../platform/ids.js';
import { createCommandHandler } from '../commandHandler.js';

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
