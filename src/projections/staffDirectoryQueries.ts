import { normaliseEmail, type StaffUser } from '../domain/staff/staffUser.js';
import type { SqlQueryable } from '../platform/sql.js';
import { STAFF_USER_COLUMNS, type StaffUserRow, toStaffUser } from '../stores/staffUserRows.js';

type Db = SqlQueryable;

/** Every staff member's id and name, by name; names only, no e-mail addresses or roles. */
export const staffDirectory = async (
  db: Db,
): Promise<{ id: string; displayName: string; active: boolean }[]> => {
  const { rows } = await db.query<{ id: string; display_name: string; disabled: boolean }>(
    'SELECT id, display_name, disabled FROM staff_users ORDER BY display_name, id',
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, active: !r.disabled }));
};

/** How many enabled admins there are besides this staff member. */
export const enabledAdminsBesides = async (db: Db, staffId: string): Promise<number> => {
  const { rows } = await db.query<{ others: number }>(
    `SELECT count(*)::int AS others FROM staff_users WHERE 'admin' = ANY (roles) AND NOT disabled AND id <> $1`,
    [staffId],
  );
  return rows[0]!.others;
};

/** What an admin sees in the staff list: the user plus account state, still no secrets. */
export type StaffAccount = StaffUser & {
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
  updatedAt: Date | null;
};

const toAccount = (row: StaffUserRow): StaffAccount => ({
  ...toStaffUser(row),
  disabled: row.disabled,
  mustChangePassword: row.must_change_password,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const findStaffUserByEmail = async (db: Db, email: string): Promise<StaffUser | null> => {
  const { rows } = await db.query<StaffUserRow>(
    `SELECT ${STAFF_USER_COLUMNS} FROM staff_users WHERE email = $1`,
    [normaliseEmail(email)],
  );
  return rows[0] ? toStaffUser(rows[0]) : null;
};

export const findStaffAccount = async (db: Db, staffId: string): Promise<StaffAccount | null> => {
  const { rows } = await db.query<StaffUserRow>(
    `SELECT ${STAFF_USER_COLUMNS} FROM staff_users WHERE id = $1`,
    [staffId],
  );
  return rows[0] ? toAccount(rows[0]) : null;
};

export const listStaffUsers = async (db: Db): Promise<StaffAccount[]> => {
  const { rows } = await db.query<StaffUserRow>(`SELECT ${STAFF_USER_COLUMNS} FROM staff_users ORDER BY id`);
  return rows.map(toAccount);
};
