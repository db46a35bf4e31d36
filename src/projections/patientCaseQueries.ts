import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

/** One of a patient's cases: a US order or a UK consultation. */
export type PatientCase = { kind: 'order' | 'consultation'; id: string };

/** The newest ten orders and ten consultations on file for an e-mail address (given lower-cased). */
export const casesOfEmail = async (db: Db, address: string): Promise<PatientCase[]> =>
  (
    await db.query<PatientCase>(
      `(SELECT 'order' AS kind, order_id AS id FROM orders WHERE lower(patient_email) = $1
          ORDER BY received_at DESC LIMIT 10)
       UNION ALL
       (SELECT 'consultation' AS kind, consultation_id AS id FROM consultations WHERE lower(patient_email) = $1
          ORDER BY started_at DESC NULLS LAST LIMIT 10)`,
      [address],
    )
  ).rows;

/** The address on file for the case, from its read model; null when there is none. */
export const emailOnFile = async (db: Db, of: PatientCase): Promise<string | null> =>
  (
    await db.query<{ email: string | null }>(
      of.kind === 'order'
        ? 'SELECT patient_email AS email FROM orders WHERE order_id = $1'
        : 'SELECT patient_email AS email FROM consultations WHERE consultation_id = $1',
      [of.id],
    )
  ).rows[0]?.email ?? null;
