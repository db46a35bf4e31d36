import type { StaffRole } from './staffAccount.js';

/** A signed-in staff member as the rest of the platform sees them: never any secret. */
export type StaffUser = {
  id: string;
  email: string;
  displayName: string;
  roles: StaffRole[];
};

export const hasAnyRole = (user: StaffUser, accepted: readonly StaffRole[]): boolean =>
  accepted.some((role) => user.roles.includes(role));

/** One spelling of an address, so `Alice@X` and `alice@x` are the same account. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
