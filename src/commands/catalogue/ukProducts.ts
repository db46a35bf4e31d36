import { CATALOGUE, findProduct, type Product } from '../../domain/consultation/catalogue.js';
import {
  type ProductTerms,
  productTermsDecider,
  productTermsStream,
  withTerms,
} from '../../domain/consultation/productTerms.js';
import { DomainError, fold } from '../../domain/decider.js';
import type { EventStore } from '../../eventstore/types.js';
import type { Clock } from '../../platform/clock.js';
import { newUuid } from '../../platform/ids.js';
import type { SqlPool } from '../../platform/sql.js';
import { createCommandHandler } from '../commandHandler.js';
import type { Meta } from './drugCatalogue.js';

/** The UK products on their current terms, each change a `ProductTermsChanged` on `ukproduct-<id>`. */
export const createUkProducts = (deps: { store: EventStore; pool?: SqlPool; clock: Clock }) => {
  const handle = createCommandHandler(deps.store, productTermsDecider, { clock: deps.clock });

  /** Read from the product's own stream, so a checkout prices on exactly what the admin last saved. */
  const current = async (productId: string): Promise<Product | undefined> => {
    const product = findProduct(productId);
    if (!product) return undefined;
    const { terms } = fold(
      productTermsDecider,
      (await deps.store.readStream(productTermsStream(productId))) as never,
    );
    return withTerms(product, terms);
  };

  return {
    current,
    all: () => Promise.all(CATALOGUE.map(async (product) => (await current(product.id))!)),
    async change(productId: string, terms: Partial<ProductTerms>, reason: string, meta: Meta) {
      const product = findProduct(productId);
      if (!product) throw new DomainError('not_found', 'PRODUCT_NOT_FOUND', `no product ${productId}`);
      return handle({
        commandId: meta.commandId ?? newUuid(),
        streamName: productTermsStream(productId),
        command: { type: 'ChangeProductTerms', product, terms, reason },
        actor: meta.actor,
        correlationId: meta.correlationId ?? productTermsStream(productId),
      });
    },
  };
};

export type UkProducts = ReturnType<typeof createUkProducts>;
