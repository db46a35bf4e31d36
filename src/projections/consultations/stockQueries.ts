import { CATALOGUE, isLowStock } from '../../domain/consultation/catalogue.js';
import type { SqlQueryable } from '../../platform/sql.js';

type Db = SqlQueryable;

/** Units on hand per product id; a product whose stock was never booked has no entry. */
export const onHandByProduct = async (db: Db): Promise<Map<string, number>> => {
  const { rows } = await db.query<{ product_id: string; on_hand: number }>(
    'SELECT product_id, on_hand FROM consultation_stock',
  );
  return new Map(rows.map((r) => [r.product_id, r.on_hand]));
};

/** Every catalogue product's stock with its low-stock flags, zero for a product never booked in. */
export const stockLevels = async (db: Db) => {
  const { rows } = await db.query<{
    product_id: string;
    on_hand: number;
    received_total: number;
    reserved_total: number;
    updated_at: Date;
  }>('SELECT product_id, on_hand, received_total, reserved_total, updated_at FROM consultation_stock');
  const byId = new Map(rows.map((r) => [r.product_id, r]));
  return CATALOGUE.map((product) => {
    const row = byId.get(product.id);
    const onHand = row?.on_hand ?? 0;
    return {
      productId: product.id,
      name: product.name,
      onHand,
      threshold: product.lowStockThreshold,
      low: isLowStock(product, onHand),
      outOfStock: onHand < 1,
      receivedTotal: row?.received_total ?? 0,
      reservedTotal: row?.reserved_total ?? 0,
      updatedAt: row?.updated_at ?? null,
    };
  });
};
