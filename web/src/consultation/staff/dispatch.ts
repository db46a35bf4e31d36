import type { PharmacyCase, StockItem } from '../types.js';

/** Why the parcel cannot go yet, each reason in words; empty when it can. */
export const dispatchBlockers = (
  c: Pick<PharmacyCase, 'supply' | 'gpLetter'>,
  stock: Pick<StockItem, 'name' | 'onHand'> | undefined,
): string[] => [
  ...(c.supply?.slipId ? [] : ['Print the dispensing slip first.']),
  ...(c.gpLetter ? [] : ['The GP letter has not been sent yet: it goes out before any dispatch.']),
  ...(stock && stock.onHand < 1
    ? [`Out of stock: ${stock.name} has none on hand. Book a delivery in on the Stock page.`]
    : []),
];
