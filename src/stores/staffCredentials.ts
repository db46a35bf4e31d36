import { normaliseEmail, type StaffUser } from '../domain/staff/staffUser.js';
import type { SqlQueryable } from '../platform/sql.js';
import { STAFF_USER_COLUMNS, type StaffUserRow, toStaffUser } from './staffUserRows.js';

type Db = SqlQueryable;

/** Sets a member's password hash (the hash only: passwords never reach this module). */
export const savePasswordHash = async (pool: Db, staffId: string, hash: string, at: Date): Promise<void> => {
  await pool.query(
    `INSERT INTO staff_credentials (staff_id, password_hash, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (staff_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
    [staffId, hash, at],
  );
};

/** Only sign-in and password changes read the password hash; nothing else selects it. */
export type Credentials = {
  user: StaffUser;
  passwordHash: string;
  disabled: boolean;
  mustChangePassword: boolean;
};

const credentialsWhere = async (pool: Db, where: string, value: string): Promise<Credentials | null> => {
  const { rows } = await pool.query<StaffUserRow & { password_hash: string }>(
    `SELECT ${STAFF_USER_COLUMNS.split(', ')
      .map((c) => `u.${c}`)
      .join(', ')}, c.password_hash
       FROM staff_users u JOIN staff_credentials c ON c.staff_id = u.id WHERE ${where} = $1`,
    [value],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    user: toStaffUser(row),
    passwordHash: row.password_hash,
    disabled: row.disabled,
    mustChangePassword: row.must_change_password,
  };
};

export const findCredentials = (pool: Db, email: string) =>
  credentialsWhere(pool, 'u.email', normaliseEmail(email));
export const findCredentialsById = (pool: Db, staffId: string) => credentialsWhere(pool, 'u.id', staffId);
