import type { SqlQueryable } from '../../platform/sql.js';

/**
 * The GMC or GPhC number a clinician gave on their latest approval, so the next approval form
 * starts filled in (a number on the public register, not a secret); null before their first.
 */
export const lastRegistrationNumber = async (
  db: SqlQueryable,
  clinicianId: string,
): Promise<string | null> => {
  const { rows } = await db.query<{ registration_number: string }>(
    `SELECT detail->'account'->'clinicians'->$1->>'registrationNumber' AS registration_number
       FROM consultations
      WHERE detail->'account'->'clinicians' ? $1
      ORDER BY last_event_position DESC
      LIMIT 1`,
    [clinicianId],
  );
  return rows[0]?.registration_number ?? null;
};
