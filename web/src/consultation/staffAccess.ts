import { canManageStaff, canUseConsole, hasRole } from '../auth/roles.js';
import { mayOpenReference } from '../reference/routes.js';

/** Who may open which consultation page; the API checks every request again, this only guides the UI. */
type User = { roles: readonly string[] };

/** Prescribers review POM consultations, pharmacists P ones. */
export const canReview = (user: User | null) => hasRole(user, 'prescriber', 'pharmacist');

/** The pharmacy team: dispensing, exceptions, stock. */
export const canWorkPharmacy = (user: User | null) => hasRole(user, 'ops', 'pharmacist');

/** Whether a signed-in user may open the staff page at `pathname`. */
export const mayOpen = (user: User, pathname: string) => {
  const reference = mayOpenReference(user, pathname);
  if (reference !== null) return reference;
  if (/^\/account(?:\/|$)/.test(pathname)) return true;
  if (/^\/admin(?:\/|$)/.test(pathname)) return canManageStaff(user);
  if (/^\/audit(?:\/|$)/.test(pathname)) return hasRole(user, 'auditor', 'admin');
  // The incidents page follows the live feed, which an admin alone does not have.
  if (/^\/operations(?:\/|$)/.test(pathname)) return hasRole(user, 'ops');
  if (/^\/review(?:\/|$)/.test(pathname)) return canReview(user);
  if (/^\/pharmacy(?:\/|$)/.test(pathname)) return canWorkPharmacy(user);
  return canUseConsole(user);
};

/**
 * Where a signed-in user starts: an auditor at the audit trail, others with the console at it, a
 * clinician without it at their review queue; null for a role with no staff page.
 */
export const staffHome = (user: User): string | null => {
  if (hasRole(user, 'auditor') && !hasRole(user, 'ops')) return '/audit';
  if (canUseConsole(user)) return '/';
  if (canReview(user)) return '/review';
  if (canWorkPharmacy(user)) return '/pharmacy';
  if (canManageStaff(user)) return '/admin/staff';
  return null;
};
