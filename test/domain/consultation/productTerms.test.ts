import { describe, it } from 'vitest';
import { findProduct } from '../../../src/domain/consultation/catalogue.js';
import {
  type ProductTermsEvent,
  productTermsDecider,
} from '../../../src/domain/consultation/productTerms.js';
import { deciderSpec } from '../../support/deciderSpec.js';

const spec = deciderSpec(productTermsDecider);
const product = findProduct('vireza-sildenafil-50mg')!;
const raised: ProductTermsEvent = {
  type: 'ProductTermsChanged',
  data: {
    productId: product.id,
    terms: { pricePence: 2_499, packSize: '8 tablets', available: true },
    changes: { pricePence: { from: 1_999, to: 2_499 } },
    reason: 'supplier price rise',
  },
};

describe('UK product terms', () => {
  it('given the seed terms, when the admin raises the price, then only the price change is recorded', () => {
    spec
      .given([])
      .when({
        type: 'ChangeProductTerms',
        product,
        terms: { pricePence: 2_499 },
        reason: 'supplier price rise',
      })
      .then([raised]);
  });

  it('given a change, when the same terms are saved again, then nothing is recorded', () => {
    spec
      .given([raised])
      .when({ type: 'ChangeProductTerms', product, terms: { pricePence: 2_499 }, reason: 'again' })
      .then([]);
  });

  it('refuses a price that is not whole pence within bounds, an empty pack size, and no reason', () => {
    for (const pricePence of [0, 19.99, 2_000_000])
      spec
        .given([])
        .when({ type: 'ChangeProductTerms', product, terms: { pricePence }, reason: 'x y z' })
        .thenThrows('PRICE_INVALID');
    spec
      .given([])
      .when({ type: 'ChangeProductTerms', product, terms: { packSize: '  ' }, reason: 'x y z' })
      .thenThrows('PACK_SIZE_INVALID');
    spec
      .given([])
      .when({ type: 'ChangeProductTerms', product, terms: { available: false }, reason: '' })
      .thenThrows('REASON_REQUIRED');
  });
});
