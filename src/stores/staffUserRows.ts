import { isStaffRole } from '../domain/staff/staffAccount.js';
import type { StaffUser } from '../domain/staff/staffUser.js';

/** A `staff_users` row (the staff directory read model), as the stores and queries beside it read it. */
export type StaffUserRow = {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  disabled: boolean;
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date | null;
};

export const STAFF_USER_COLUMNS =
  'id, email, display_name, roles, disabled, must_change_password, created_at, updated_at';

export const toStaffUser = (
  row: Pick<StaffUserRow, 'id' | 'email' | 'display_name' | 'roles'>,
): StaffUser => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  roles: row.roles.filter(isStaffRole),
});
