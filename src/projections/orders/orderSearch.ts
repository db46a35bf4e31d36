import { normaliseNdc } from '../../domain/prescription/identifiers.js';
import type { OrderStatus } from '../../domain/prescription/orderEvents.js';
import type { SqlQueryable } from '../../platform/sql.js';

/** `received`: newest first; `waiting`: longest in its status first, finished orders last. */
export type OrderSort = 'received' | 'waiting';

/**
 * What one search box may mean: a date of birth (ISO or US style), an NDC (any of its published
 * shapes), or text. Exact identifiers (order id, MRN and other patient record numbers, tracking
 * number, NDC, DOB) are matched whole through their indexes; names, drugs and pharmacies by part.
 */
export const searchTerms = (q: string) => {
  const text = q.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const dob = iso
    ? `${iso[1]}-${iso[2]}-${iso[3]}`
    : us
      ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`
      : null;
  const ndc = /^[\d-]{10,13}$/.test(text) ? normaliseNdc(text) : null;
  return {
    exact: text.toUpperCase(),
    dob,
    ndc11: ndc?.ok ? ndc.ndc11 : null,
    like: `%${text.replaceAll(/[%_\\]/g, '\\$&')}%`,
  };
};

export type OrderListRow = {
  order_id: string;
  status: OrderStatus;
  status_since: Date;
  received_at: Date;
  updated_at: Date;
  patient_name: string | null;
  patient_state: string | null;
  drug_description: string | null;
  pharmacy_name: string | null;
  tracking_number: string | null;
  patient_pays_minor: number | null;
  incident_states: string[];
  total: number;
};

const ORDER_BY: Record<OrderSort, string> = {
  received: 'o.received_at DESC, o.order_id DESC',
  waiting: `(o.status IN ('completed', 'cancelled')), o.status_since ASC, o.order_id`,
};

export const searchOrders = async (
  db: SqlQueryable,
  options: { status?: OrderStatus; q?: string; sort: OrderSort; page: number; pageSize: number },
) => {
  const terms = options.q ? searchTerms(options.q) : null;
  const { rows } = await db.query<OrderListRow>(
    `SELECT o.order_id, o.status, o.status_since, o.received_at, o.updated_at, o.patient_name, o.patient_state,
            o.drug_description, o.pharmacy_name, o.tracking_number, o.patient_pays_minor,
            ARRAY(SELECT i->>'state' FROM jsonb_array_elements(coalesce(o.detail->'incidents', '[]')) i)
              AS incident_states,
            count(*) OVER () AS total
       FROM orders o
      WHERE ($1::text IS NULL OR o.status = $1)
        AND ($2::text IS NULL
             OR upper(o.order_id) = $2 OR upper(o.tracking_number) = $2 OR $2 = ANY (o.patient_identifiers)
             OR o.patient_dob = $3 OR o.ndc = $4
             OR o.patient_name ILIKE $5 OR o.drug_description ILIKE $5 OR o.pharmacy_name ILIKE $5
             OR o.tracking_number ILIKE $5)
      ORDER BY ${ORDER_BY[options.sort]} LIMIT $6 OFFSET $7`,
    [
      options.status ?? null,
      terms?.exact ?? null,
      terms?.dob ?? null,
      terms?.ndc11 ?? null,
      terms?.like ?? null,
      options.pageSize,
      (options.page - 1) * options.pageSize,
    ],
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
};
