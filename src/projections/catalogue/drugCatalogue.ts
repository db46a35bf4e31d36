import type { Drug } from '../../domain/catalogue/drug.js';
import type { SqlQueryable } from '../../platform/sql.js';

export type CatalogueEntry = Drug & {
  addedBy: string;
  source: string;
  classifiedBy: string | null;
  classifiedAt: string | null;
  updatedAt: string;
  updatedBy: string;
};

type Queryable = SqlQueryable;

const entryOf = (row: {
  data: Drug;
  added_by: string;
  source: string;
  classified_by: string | null;
  classified_at: Date | null;
  updated_at: Date;
  updated_by: string;
}): CatalogueEntry => ({
  ...row.data,
  addedBy: row.added_by,
  source: row.source,
  classifiedBy: row.classified_by,
  classifiedAt: row.classified_at?.toISOString() ?? null,
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

const COLUMNS = 'data, added_by, source, classified_by, classified_at, updated_at, updated_by';

/** The catalogue entry for one NDC-11, or null when the catalogue has never heard of it. */
export const findDrug = async (db: Queryable, ndc11: string): Promise<CatalogueEntry | null> => {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM drug_catalogue WHERE ndc11 = $1`, [ndc11]);
  return rows[0] ? entryOf(rows[0]) : null;
};

const likePattern = (q: string) => `%${q.replaceAll(/[%_\\]/g, '\\$&')}%`;

/** Search by NDC (with or without hyphens), brand, generic name or labeler; unclassified first on request. */
export const searchDrugs = async (
  db: Queryable,
  query: { q?: string | undefined; unclassified?: boolean; limit: number; offset: number },
): Promise<{ items: CatalogueEntry[]; total: number }> => {
  const q = query.q?.trim() ?? '';
  const digits = q.replaceAll('-', '');
  const { rows } = await db.query(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM drug_catalogue
      WHERE ($1::text IS NULL OR ndc11 LIKE $2 OR proprietary_name ILIKE $1 OR generic_name ILIKE $1
             OR labeler ILIKE $1)
        AND (NOT $3 OR storage_class IS NULL)
      ORDER BY coalesce(proprietary_name, generic_name), ndc11 LIMIT $4 OFFSET $5`,
    [
      q ? likePattern(q) : null,
      /^\d+$/.test(digits) ? `%${digits}%` : '-',
      query.unclassified ?? false,
      query.limit,
      query.offset,
    ],
  );
  return { items: rows.map(entryOf), total: Number(rows[0]?.total ?? 0) };
};

export type ReviewItem = {
  ndc11: string;
  /** What the catalogue knows: null for an NDC it has never seen. */
  entry: CatalogueEntry | null;
  waitingOrders: number;
  /** How the prescriptions describe the drug, which helps to identify an unknown NDC. */
  prescribedAs: string[];
  waitingSince: string;
};

/**
 * NDCs orders are waiting on, oldest first: each with how many orders wait and what the
 * prescriptions call it. No patient appears here; the orders themselves are on the console.
 */
export const drugsAwaitingReview = async (db: Queryable): Promise<ReviewItem[]> => {
  const { rows } = await db.query<{
    ndc: string;
    waiting: number;
    prescribed_as: string[];
    since: Date;
  }>(
    `SELECT ndc, count(*)::int AS waiting, array_remove(array_agg(DISTINCT drug_description), NULL) AS prescribed_as,
            min(status_since) AS since
       FROM orders WHERE status = 'awaiting_drug_review' AND ndc IS NOT NULL
      GROUP BY ndc ORDER BY min(status_since), ndc`,
  );
  const items: ReviewItem[] = [];
  for (const row of rows) {
    items.push({
      ndc11: row.ndc,
      entry: await findDrug(db, row.ndc),
      waitingOrders: row.waiting,
      prescribedAs: row.prescribed_as.slice(0, 5),
      waitingSince: row.since.toISOString(),
    });
  }
  return items;
};

/** Orders held for this NDC: the drug-review process releases them once it is classified. */
export const ordersAwaitingDrug = async (db: Queryable, ndc11: string): Promise<string[]> =>
  (
    await db.query<{ order_id: string }>(
      `SELECT order_id FROM orders WHERE status = 'awaiting_drug_review' AND ndc = $1 ORDER BY status_since`,
      [ndc11],
    )
  ).rows.map((r) => r.order_id);
