import type { OrderStatus } from '../domain/prescription/orderEvents.js';
import { detailsFromRegistration, type Pharmacy } from '../domain/routing/pharmacy.js';
import type { RoutablePharmacy } from '../domain/routing/rank.js';
import type { SqlQueryable } from '../platform/sql.js';

type Queryable = SqlQueryable;

/**
 * An order counts against a pharmacy's capacity from the moment ops select it until it ships or
 * is cancelled: the prescriptions the pharmacy has yet to fill.
 */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [
  'pharmacy_selected',
  'adjudicated',
  'adjudication_rejected',
  'awaiting_payment',
  'paid',
];

/** Rows written before suspension existed carry neither status nor freezer: read them as such. */
const pharmacyOf = (row: {
  data: Pharmacy & Record<string, unknown>;
  status: string;
  suspension: Pharmacy['suspension'];
}): Pharmacy => ({
  id: row.data.id,
  ...detailsFromRegistration(row.data as never),
  status: row.status === 'suspended' ? 'suspended' : 'active',
  suspension: row.suspension ?? null,
});

export const findPharmacy = async (db: Queryable, id: string): Promise<Pharmacy | null> => {
  const { rows } = await db.query('SELECT data, status, suspension FROM pharmacies WHERE pharmacy_id = $1', [
    id,
  ]);
  return rows[0] ? pharmacyOf(rows[0]) : null;
};

/** Every pharmacy with the orders it has open now: what routing ranks. */
export const loadRoutableNetwork = async (db: Queryable): Promise<RoutablePharmacy[]> => {
  const { rows } = await db.query(
    `SELECT p.data, p.status, p.suspension, coalesce(o.open, 0)::int AS open_orders
       FROM pharmacies p
       LEFT JOIN (SELECT pharmacy_id, count(*) AS open FROM orders WHERE status = ANY ($1::text[])
                   GROUP BY pharmacy_id) o ON o.pharmacy_id = p.pharmacy_id
      ORDER BY p.pharmacy_id`,
    [OPEN_ORDER_STATUSES],
  );
  return rows.map((row) => ({ ...pharmacyOf(row), openOrders: row.open_orders }));
};

/** The network page: search by id, name, NPI, city or state; suspended ones included, marked. */
export const searchPharmacies = async (
  db: Queryable,
  query: {
    q?: string | undefined;
    status?: 'active' | 'suspended' | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ items: (Pharmacy & { openOrders: number })[]; total: number }> => {
  const q = query.q?.trim();
  const { rows } = await db.query(
    `SELECT p.data, p.status, p.suspension, coalesce(o.open, 0)::int AS open_orders, count(*) OVER () AS total
       FROM pharmacies p
       LEFT JOIN (SELECT pharmacy_id, count(*) AS open FROM orders WHERE status = ANY ($1::text[])
                   GROUP BY pharmacy_id) o ON o.pharmacy_id = p.pharmacy_id
      WHERE ($2::text IS NULL OR p.pharmacy_id ILIKE $2 OR p.name ILIKE $2 OR p.npi LIKE $2
             OR p.data->'address'->>'city' ILIKE $2 OR p.state ILIKE $2)
        AND ($3::text IS NULL OR p.status = $3)
      ORDER BY p.pharmacy_id LIMIT $4 OFFSET $5`,
    [
      OPEN_ORDER_STATUSES,
      q ? `%${q.replaceAll(/[%_\\]/g, '\\$&')}%` : null,
      query.status ?? null,
      query.limit,
      query.offset,
    ],
  );
  return {
    items: rows.map((row) => ({ ...pharmacyOf(row), openOrders: row.open_orders })),
    total: Number(rows[0]?.total ?? 0),
  };
};

/** How many pharmacies may take orders: zero means routing has nowhere to send anything. */
export const activePharmacyCount = async (db: Queryable): Promise<number> =>
  (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pharmacies WHERE status = 'active'"))
    .rows[0]!.n;

/** The NPI a claim names the pharmacy by, read as registered; undefined for an unknown pharmacy. */
export const pharmacyNpi = async (db: Queryable, id: string | null): Promise<string | undefined> =>
  (await db.query<{ npi: string }>("SELECT data->>'npi' AS npi FROM pharmacies WHERE pharmacy_id = $1", [id]))
    .rows[0]?.npi;
