import { ORDER_STATUSES, type OrderStatus } from '../../domain/prescription/orderEvents.js';
import type { SqlQueryable } from '../../platform/sql.js';
import { type MoneyLedger, type OrderView, upgradeOrderView } from './orderView.js';

type Db = SqlQueryable;

/** Orders in awaiting_routing that found no pharmacy: routing tries them again when the network changes. */
export const ordersWaitingForNetwork = async (db: Db): Promise<{ orderId: string; reason: string }[]> =>
  (
    await db.query<{ order_id: string; reason: string }>(
      `SELECT order_id, detail->'routingBlock'->>'reason' AS reason FROM orders
        WHERE status = 'awaiting_routing' AND jsonb_typeof(detail->'routingBlock') = 'object'
        ORDER BY status_since`,
    )
  ).rows.map((r) => ({ orderId: r.order_id, reason: r.reason }));

/** Orders per status, every status named, zero where there are none. */
export const orderStatusCounts = async (db: Db): Promise<Record<OrderStatus, number>> => {
  const { rows } = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM orders GROUP BY status',
  );
  return Object.fromEntries(
    ORDER_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0]),
  ) as Record<OrderStatus, number>;
};

/** One order as staff see it (older stored shapes brought up to date) and its version; null if unknown. */
export const orderDetail = async (
  db: Db,
  orderId: string,
): Promise<{ view: OrderView; version: number } | null> => {
  const { rows } = await db.query<{ detail: OrderView; version: number }>(
    'SELECT o.detail, o.version FROM orders o WHERE o.order_id = $1',
    [orderId],
  );
  const row = rows[0];
  return row ? { view: upgradeOrderView(row.detail), version: row.version } : null;
};

/** The storage keys of the patient's insurance-card images (null before enrollment); null if no such order. */
export const insuranceCardKeys = async (
  db: Db,
  orderId: string,
): Promise<{ cards: { front: string; back: string } | null } | null> => {
  const { rows } = await db.query<{ cards: { front: string; back: string } | null }>(
    `SELECT detail->'enrollment'->'cards' AS cards FROM orders WHERE order_id = $1`,
    [orderId],
  );
  return rows[0] ? { cards: rows[0].cards } : null;
};

/** The order an enrollment link was issued for, found by the hash of its token. */
export const orderOfEnrollmentLink = async (db: Db, tokenHash: string): Promise<string | null> =>
  (
    await db.query<{ order_id: string }>('SELECT order_id FROM enrollment_links WHERE token_hash = $1', [
      tokenHash,
    ])
  ).rows[0]?.order_id ?? null;

/** What the patient's own page shows of an order: no staff notes, and the pay link only while it is wanted. */
export type PatientOrderStatus = {
  orderId: string;
  status: OrderStatus;
  statusSince: string;
  medication: string | null;
  pharmacy: string | null;
  payment: { status: OrderView['payment']['status']; url: string | null; amountMinor: number | null };
  /** Null for an order whose view predates the ledger. */
  money: {
    chargedMinor: number;
    refundedMinor: number;
    refundPendingMinor: number;
    refunds: {
      amountMinor: number;
      status: MoneyLedger['refunds'][number]['status'];
      requestedAt: string;
      settledAt: string | null;
    }[];
  } | null;
  shipment: { carrier: string; trackingNumber: string; trackingUrl: string | null } | null;
  tracking: OrderView['tracking'];
  completedAt: string | null;
};

/** The view as stored: one written before the ledger existed has no `money`. */
type StoredOrderView = Omit<OrderView, 'money'> & { money?: MoneyLedger | null };

export const patientOrderStatus = async (db: Db, orderId: string): Promise<PatientOrderStatus | null> => {
  const { rows } = await db.query<{ detail: StoredOrderView }>(
    'SELECT detail FROM orders WHERE order_id = $1',
    [orderId],
  );
  if (!rows[0]) return null;
  const d = rows[0].detail;
  return {
    orderId: d.orderId,
    status: d.status,
    statusSince: d.statusSince,
    // Absent when the NewRx named no DrugDescription: the page then names no medication.
    medication: d.prescription.medication.description ?? null,
    pharmacy: d.pharmacy?.name ?? null,
    payment: {
      status: d.payment.status,
      // Only an order still waiting for its money shows a way to pay.
      url: d.status === 'awaiting_payment' && d.payment.status === 'link_sent' ? d.payment.url : null,
      amountMinor: d.payment.amountMinor,
    },
    money: d.money
      ? {
          chargedMinor: d.money.chargedMinor,
          refundedMinor: d.money.refundedMinor,
          refundPendingMinor: d.money.refundPendingMinor,
          refunds: d.money.refunds.map((r) => ({
            amountMinor: r.amountMinor,
            status: r.status,
            requestedAt: r.requestedAt,
            settledAt: r.settledAt,
          })),
        }
      : null,
    shipment: d.shipment
      ? {
          carrier: d.shipment.carrier,
          trackingNumber: d.shipment.trackingNumber,
          trackingUrl: d.shipment.trackingUrl,
        }
      : null,
    tracking: d.tracking,
    completedAt: d.completedAt,
  };
};
