/** Staff roles are explicit: admin manages users but does not implicitly hold the others. */
export const STAFF_ROLES = ['ops', 'pharmacist', 'prescriber', 'auditor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A signed-in staff member as the rest of the platform sees them: never any secret. */
export type StaffUser = {
  id: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
};

export const isStaffRole = (value: string): value is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(value);

export const hasAnyRole = (user: StaffUser, accepted: readonly StaffRole[]): boolean =>
  accepted.some((role) => user.roles.includes(role));

/** One spelling of an address, so `Alice@X` and `alice@x` are the same account. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
