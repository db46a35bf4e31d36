import { type ReactNode, useEffect } from 'react';
import { canUseConsole, hasRole } from '../auth/roles.js';
import { useSession } from '../auth/session.js';
import { canReview, canWorkPharmacy, mayOpen, staffHome } from '../consultation/staffAccess.js';
import { LiveIndicator } from '../live/LiveIndicator.js';
import { LiveProvider } from '../live/LiveProvider.js';
import { Loading } from '../ui/components.js';
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
  if (state.status === 'signed-out' || !mayOpen(state.user, pathname)) {
    // A clinician without the console lands on their own queue rather than being signed out.
    const home = state.status === 'signed-in' ? staffHome(state.user) : null;
    if (home && home !== pathname) return <Redirect to={home} />;
    const next = `${pathname}${search}`;
    return <Redirect to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} />;
  }

  const user = state.user;
  const current = (path: string) => (pathname === path ? 'page' : undefined);
  // Every staff role has a live socket; the server sends each only the changes its pages show.
  return (
    <LiveProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <nav aria-label="Staff">
          <Link to={staffHome(user) ?? '/'} className="brand" aria-current={current(staffHome(user) ?? '/')}>
            Pharmacy orders
          </Link>
          {canUseConsole(user) ? (
            <Link to="/" aria-current={current('/')}>
              Console
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
          {hasRole(user, 'auditor', 'admin') ? (
            <Link to="/audit" aria-current={current('/audit')}>
              Audit
            </Link>
          ) : null}
        </nav>
        <div className="session">
          <LiveIndicator />
          <span className="who">
            {user.displayName} <span className="muted">({user.roles.join(', ')})</span>
          </span>
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
      {children}
    </LiveProvider>
  );
};
