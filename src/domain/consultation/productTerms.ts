import { type Decider, DomainError } from '../decider.js';
import type { Product } from './catalogue.js';

/**
 * What the admin changes about a UK product: its price, pack size and whether it is offered. The
 * questionnaire stays versioned data in the code. A consultation keeps the price it was charged
 * (its plan records it when chosen), so a change here only reaches consultations not yet priced.
 */
export type ProductTerms = { pricePence: number; packSize: string; available: boolean };

export type ProductTermsEvent = {
  type: 'ProductTermsChanged';
  data: {
    productId: string;
    terms: ProductTerms;
    changes: { [K in keyof ProductTerms]?: { from: ProductTerms[K]; to: ProductTerms[K] } };
    reason: string;
  };
};

export type ProductTermsCommand = {
  type: 'ChangeProductTerms';
  product: Product;
  terms: Partial<ProductTerms>;
  reason: string;
};

export type ProductTermsState = { terms: ProductTerms | null };

export const productTermsStream = (productId: string) => `ukproduct-${productId}`;

/** £10,000 a month is far beyond anything sold online: a figure above it is a typing slip. */
export const MAX_PRICE_PENCE = 1_000_000;

export const seedTerms = (product: Product): ProductTerms => ({
  pricePence: product.pricePence,
  packSize: product.packSize,
  available: product.available,
});

const decide = (command: ProductTermsCommand, state: ProductTermsState): ProductTermsEvent[] => {
  const current = state.terms ?? seedTerms(command.product);
  const wanted: ProductTerms = { ...current, ...command.terms };
  if (!Number.isInteger(wanted.pricePence) || wanted.pricePence < 1 || wanted.pricePence > MAX_PRICE_PENCE)
    throw new DomainError(
      'invalid',
      'PRICE_INVALID',
      'the price is a whole number of pence from 1 to 1,000,000',
    );
  const packSize = wanted.packSize.trim();
  if (packSize.length < 1 || packSize.length > 80)
    throw new DomainError(
      'invalid',
      'PACK_SIZE_INVALID',
      'the pack size is 1 to 80 characters, e.g. "28 tablets"',
    );
  if (command.reason.trim().length < 3)
    throw new DomainError('invalid', 'REASON_REQUIRED', 'say briefly why');
  const next = { ...wanted, packSize };
  const changes: ProductTermsEvent['data']['changes'] = {};
  for (const key of ['pricePence', 'packSize', 'available'] as const)
    if (next[key] !== current[key]) Object.assign(changes, { [key]: { from: current[key], to: next[key] } });
  if (Object.keys(changes).length === 0) return [];
  return [
    {
      type: 'ProductTermsChanged',
      data: { productId: command.product.id, terms: next, changes, reason: command.reason.trim() },
    },
  ];
};

export const productTermsDecider: Decider<ProductTermsState, ProductTermsCommand, ProductTermsEvent> = {
  decide,
  evolve: (state, event) => (event.type === 'ProductTermsChanged' ? { terms: event.data.terms } : state),
  initialState: () => ({ terms: null }),
};

/** The product on its current terms: the seed entry with the admin's latest changes over it. */
export const withTerms = (product: Product, terms: ProductTerms | null): Product => ({
  ...product,
  ...(terms ?? {}),
});
