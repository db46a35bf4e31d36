import type { ProductTerms, ProductTermsEvent } from '../../domain/consultation/productTerms.js';
import type { SqlQueryable } from '../../platform/sql.js';
import type { Projection } from '../runtime.js';

/** Each UK product's current price, pack size and availability, for the catalogue pages. */
export const ukProductTermsProjection: Projection = {
  name: 'uk-product-terms',
  filter: { kind: 'categories', categories: ['ukproduct'] },
  tables: ['uk_product_terms'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ProductTermsEvent;
      if (event.type !== 'ProductTermsChanged') continue;
      const { productId, terms } = event.data;
      await client.query(
        `INSERT INTO uk_product_terms (product_id, price_pence, pack_size, available, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (product_id) DO UPDATE SET price_pence = EXCLUDED.price_pence, pack_size = EXCLUDED.pack_size,
           available = EXCLUDED.available, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [
          productId,
          terms.pricePence,
          terms.packSize,
          terms.available,
          recorded.metadata.occurredAt,
          recorded.metadata.actor,
        ],
      );
    }
  },
};

export type StoredTerms = ProductTerms & { updatedAt: string; updatedBy: string };

/** The admin's latest terms by product; a product missing here is on its seed terms. */
export const loadProductTerms = async (db: SqlQueryable): Promise<Map<string, StoredTerms>> => {
  const { rows } = await db.query(
    'SELECT product_id, price_pence, pack_size, available, updated_at, updated_by FROM uk_product_terms',
  );
  return new Map(
    rows.map((r) => [
      r.product_id,
      {
        pricePence: r.price_pence,
        packSize: r.pack_size,
        available: r.available,
        updatedAt: r.updated_at.toISOString(),
        updatedBy: r.updated_by,
      },
    ]),
  );
};
