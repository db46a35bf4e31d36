import { type ReactNode, useEffect } from 'react';
import { canUseConsole, hasRole } from '../auth/roles.js';
import { useSession } from '../auth/session.js';
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
  if (state.status === 'signed-out' || !canUseConsole(state.user)) {
    const next = `${pathname}${search}`;
    return <Redirect to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} />;
  }

  const user = state.user;
  const current = (path: string) => (pathname === path ? 'page' : undefined);
  return (
    <LiveProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <nav aria-label="Staff">
          <Link to="/" className="brand" aria-current={current('/')}>
            Pharmacy orders
          </Link>
          <Link to="/" aria-current={current('/')}>
            Console
          </Link>
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
