import { generatePassword } from './passwords.js';
import type { StaffRole, StaffUser } from './roles.js';
import { ensureStaffUser, type StaffAccountsDeps } from './staffUsers.js';

/** One account per working role, so a fresh local install can be tried from every seat. */
const DEV_ROLES = ['ops', 'pharmacist', 'prescriber', 'auditor'] as const satisfies readonly StaffRole[];

export type InitialStaffOptions = {
  adminEmail: string;
  adminPassword: string;
  /** Also create one user per non-admin role with a generated password (local and demo installs). */
  devUsers?: boolean;
};

/** A user created by this start, with the password the caller must show the operator once. */
export type CreatedStaffUser = { user: StaffUser; password: string };

/**
 * First start: the admin from ADMIN_EMAIL/ADMIN_PASSWORD and, optionally, the dev users. Accounts
 * that already exist are left alone, so only the returned users' passwords are new.
 */
export const ensureInitialStaff = async (
  deps: StaffAccountsDeps,
  options: InitialStaffOptions,
): Promise<CreatedStaffUser[]> => {
  const domain = options.adminEmail.split('@')[1] ?? 'pharmacy.example.org';
  const wanted = [
    {
      email: options.adminEmail,
      password: options.adminPassword,
      displayName: 'Administrator',
      roles: ['admin'],
    },
    ...(options.devUsers ? DEV_ROLES : []).map((role) => ({
      email: `${role}@${domain}`,
      password: generatePassword(),
      displayName: `Dev ${role}`,
      roles: [role],
    })),
  ] satisfies { email: string; password: string; displayName: string; roles: StaffRole[] }[];
  const created: CreatedStaffUser[] = [];
  for (const input of wanted) {
    const { user, created: isNew } = await ensureStaffUser(deps, input);
    if (isNew) created.push({ user, password: input.password });
  }
  return created;
};
