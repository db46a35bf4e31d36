import { hasRole } from '../auth/roles.js';

/** The reference data pages: drug catalogue, pharmacy network, UK product prices. */
export type ReferenceRoute = { page: 'ref-drugs' } | { page: 'ref-pharmacies' } | { page: 'ref-uk-products' };

type User = { roles: readonly string[] } | null;

export const matchReferenceRoute = (path: string): ReferenceRoute | null => {
  if (path === '/reference/drugs') return { page: 'ref-drugs' };
  if (path === '/reference/pharmacies') return { page: 'ref-pharmacies' };
  if (path === '/reference/uk-products') return { page: 'ref-uk-products' };
  return null;
};

/** Pharmacists classify drugs, ops see what waits on them, the admin manages it all. */
export const canSeeDrugs = (user: User) => hasRole(user, 'pharmacist', 'ops', 'admin');
export const canClassifyDrugs = (user: User) => hasRole(user, 'pharmacist', 'admin');
export const canSeeNetwork = (user: User) => hasRole(user, 'pharmacist', 'ops', 'admin');
export const canManageReference = (user: User) => hasRole(user, 'admin');

/** Whether a signed-in user may open the reference page at `pathname`; null when it is not one. */
export const mayOpenReference = (user: User, pathname: string): boolean | null => {
  if (pathname === '/reference/drugs') return canSeeDrugs(user);
  if (pathname === '/reference/pharmacies') return canSeeNetwork(user);
  if (pathname === '/reference/uk-products') return canManageReference(user);
  return null;
};
