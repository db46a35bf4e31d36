import { type ReactNode, useEffect } from 'react';
import { canManageStaff, canUseConsole, hasRole } from '../auth/roles.js';
import { useSession } from '../auth/session.js';
import { canReview, canWorkPharmacy, mayOpen, staffHome } from '../consultation/staffAccess.js';
import { LiveIndicator } from '../live/LiveIndicator.js';
import { LiveProvider } from '../live/LiveProvider.js';
import { canManageReference, canSeeDrugs, canSeeNetwork } from '../reference/routes.js';
import { StaffDirectoryProvider } from '../staff/directory.js';
import { currentBrand } from '../ui/brand.js';
import { Loading } from '../ui/components.js';
import { PharmacySettings } from './PharmacySettings.js';
import { Link, navigate, useLocation } from './router.js';

const Redirect = ({ to }: { to: string }) => {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
};

/** The sign-in gate and the header every staff page shares. */
export const StaffShell = ({ children }: { children: ReactNode }) => {
  const { state, signOut } = useSession();
  const { pathname, search } = useLocation();

  if (state.status === 'loading')
    return (
      <main id="main" className="page">
        <Loading what="your session" />
      </main>
    );
  // A password an admin set opens one page only: the one that replaces it.
  if (state.status === 'signed-in' && state.user.mustChangePassword && pathname !== '/account/password')
    return <Redirect to="/account/password" />;
  if (state.status === 'signed-out' || !mayOpen(state.user, pathname)) {
    // A clinician without the console lands on their own queue rather than being signed out.
    const home = state.status === 'signed-in' ? staffHome(state.user) : null;
    if (home && home !== pathname) return <Redirect to={home} />;
    const next = `${pathname}${search}`;
    return <Redirect to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} />;
  }

  const user = state.user;
  const current = (path: string) => (pathname === path ? 'page' : undefined);
  // Every role whose pages show changes has a live socket; the server sends each only its kinds.
  // An admin alone sees no patient data, so no changes either: no socket.
  const live = hasRole(user, 'ops', 'pharmacist', 'prescriber', 'auditor');
  const shell = (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <nav aria-label="Staff">
          <Link to={staffHome(user) ?? '/'} className="brand" aria-current={current(staffHome(user) ?? '/')}>
            {currentBrand().name}
          </Link>
          {canUseConsole(user) ? (
            <Link to="/" aria-current={current('/')}>
              Console
            </Link>
          ) : null}
          {hasRole(user, 'ops') ? (
            <Link to="/operations/incidents" aria-current={current('/operations/incidents')}>
              Incidents
            </Link>
          ) : null}
          {canReview(user) ? (
            <Link to="/review" aria-current={current('/review')}>
              Review queue
            </Link>
          ) : null}
          {canWorkPharmacy(user) ? (
            <>
              <Link to="/pharmacy" aria-current={current('/pharmacy')}>
                Pharmacy queue
              </Link>
              <Link to="/pharmacy/stock" aria-current={current('/pharmacy/stock')}>
                Stock
              </Link>
            </>
          ) : null}
          {canSeeDrugs(user) ? (
            <Link to="/reference/drugs" aria-current={current('/reference/drugs')}>
              Drugs
            </Link>
          ) : null}
          {canSeeNetwork(user) ? (
            <Link to="/reference/pharmacies" aria-current={current('/reference/pharmacies')}>
              Pharmacies
            </Link>
          ) : null}
          {canManageReference(user) ? (
            <Link to="/reference/uk-products" aria-current={current('/reference/uk-products')}>
              UK products
            </Link>
          ) : null}
          {hasRole(user, 'auditor', 'admin') ? (
            <Link to="/audit" aria-current={current('/audit')}>
              Audit
            </Link>
          ) : null}
          {hasRole(user, 'auditor', 'admin') ? (
            <Link to="/audit/compliance" aria-current={current('/audit/compliance')}>
              Compliance
            </Link>
          ) : null}
          {canManageStaff(user) ? (
            <Link to="/admin/staff" aria-current={current('/admin/staff')}>
              Staff accounts
            </Link>
          ) : null}
        </nav>
        <div className="session">
          {live ? <LiveIndicator /> : null}
          <span className="who">
            {user.displayName} <span className="muted">({user.roles.join(', ')})</span>
          </span>
          <Link to="/account/password" aria-current={current('/account/password')}>
            Password
          </Link>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await signOut('You have signed out.');
              navigate('/login');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <StaffDirectoryProvider>
        <PharmacySettings>{children}</PharmacySettings>
      </StaffDirectoryProvider>
    </>
  );
  return live ? <LiveProvider>{shell}</LiveProvider> : shell;
};
