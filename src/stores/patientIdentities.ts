import type { PatientRecord } from '../domain/prescription/validation.js';
import type { SqlQueryable } from '../platform/sql.js';

type Db = SqlQueryable;

/**
 * The first validated record of each patient identifier (the NewRx's patient key): a later
 * prescription naming the same identifier with another name or birth date is flagged by validation.
 */
export const patientIdentityTable = (db: Db) => ({
  async find(patientKey: string): Promise<(PatientRecord & { firstOrderId: string }) | undefined> {
    const { rows } = await db.query<PatientRecord & { firstOrderId: string }>(
      `SELECT last_name AS "lastName", first_name AS "firstName", date_of_birth AS "dateOfBirth",
              first_order_id AS "firstOrderId" FROM patient_identities WHERE patient_key = $1`,
      [patientKey],
    );
    return rows[0];
  },

  /** Keeps the first record of an identifier; a later one changes nothing. */
  async recordFirst(patientKey: string, patient: PatientRecord, orderId: string): Promise<void> {
    await db.query(
      `INSERT INTO patient_identities (patient_key, last_name, first_name, date_of_birth, first_order_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (patient_key) DO NOTHING`,
      [patientKey, patient.lastName, patient.firstName, patient.dateOfBirth, orderId],
    );
  },
});
