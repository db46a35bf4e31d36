/**
 * Roles that may use the order console; the API checks every request again, this only guides the UI.
 * Admin is not one: it manages accounts and reads no patient data unless also given one of these.
 */
export const CONSOLE_ROLES = ['ops', 'pharmacist', 'auditor'] as const;

export const canManageStaff = (user: { roles: readonly string[] } | null) => hasRole(user, 'admin');

export const hasRole = (user: { roles: readonly string[] } | null, ...roles: string[]) =>
  Boolean(user?.roles.some((role) => roles.includes(role)));

export const canUseConsole = (user: { roles: readonly string[] }) => hasRole(user, ...CONSOLE_ROLES);

/** Only ops act on orders (the API answers 403 to anyone else). */
export const canActOnOrders = (user: { roles: readonly string[] } | null) => hasRole(user, 'ops');

export const canRetryParked = (user: { roles: readonly string[] } | null) => hasRole(user, 'ops', 'admin');
