import { findProduct } from '../../domain/consultation/catalogue.js';
import type { StockEvent } from '../../domain/consultation/stock.js';
import type { Projection } from '../runtime.js';

/** Stock on hand per product, for the catalogue, the pharmacy queue and the stock page. */
export const consultationStockProjection: Projection = {
  name: 'consultation-stock',
  filter: { kind: 'categories', categories: ['stock'] },
  tables: ['consultation_stock'],
  async applyBatch(client, events) {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as StockEvent;
      const at = recorded.metadata.occurredAt;
      if (event.type === 'LowStockReached') {
        await client.query(
          'UPDATE consultation_stock SET low_since = $2, updated_at = $2 WHERE product_id = $1',
          [event.data.productId, at],
        );
        continue;
      }
      const { productId, onHandAfter } = event.data;
      const received = event.type === 'StockReceived' ? event.data.quantity : 0;
      const reserved = event.type === 'StockReserved' ? 1 : 0;
      const threshold = findProduct(productId)?.lowStockThreshold ?? 0;
      await client.query(
        `INSERT INTO consultation_stock AS s (product_id, on_hand, low_stock_threshold, received_total, reserved_total, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (product_id) DO UPDATE SET on_hand = EXCLUDED.on_hand,
           low_stock_threshold = EXCLUDED.low_stock_threshold,
           received_total = s.received_total + EXCLUDED.received_total,
           reserved_total = s.reserved_total + EXCLUDED.reserved_total,
           low_since = CASE WHEN EXCLUDED.on_hand > EXCLUDED.low_stock_threshold THEN NULL ELSE s.low_since END,
           updated_at = EXCLUDED.updated_at`,
        [productId, onHandAfter, threshold, received, reserved, at],
      );
    }
  },
};
