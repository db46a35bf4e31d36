import { type FormEvent, useEffect, useState } from 'react';
import { problemOf } from '../api/problem.js';
import { navigate, useLocation } from '../app/router.js';
import { useSession } from '../auth/session.js';
import { safeNext, signInMessage } from '../auth/signInMessages.js';
import { PageHeading } from '../ui/components.js';
import { mayOpen, staffHome } from './staffAccess.js';

/**
 * Sign-in for the clinical pages. The console's sign-in turns away roles without a console page;
 * prescribers have none, so they sign in here and land on their review queue.
 */
export const ClinicianSignInPage = () => {
  const { state, signIn, signOut } = useSession();
  const { search } = useLocation();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const user = state.status === 'signed-in' ? state.user : null;
  useEffect(() => {
    if (!user) return;
    const home = staffHome(user);
    const target = next && mayOpen(user, new URL(next, window.location.origin).pathname) ? next : home;
    if (target) navigate(target, { replace: true });
    else
      void signOut(`This account (${user.roles.join(', ')}) does not have a role that can use these pages.`);
  }, [user, next, signOut]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      setPassword('');
    } catch (failure) {
      setError(signInMessage(problemOf(failure)));
    } finally {
      setBusy(false);
    }
  };

  const notice = state.status === 'signed-out' ? state.notice : null;
  return (
    <main id="main" className="page narrow">
      <PageHeading>Clinician sign-in</PageHeading>
      <p>Prescribers and pharmacists sign in here to review consultations.</p>
      {notice && !error ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} className="stack" aria-describedby={error ? 'sign-in-error' : undefined}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? (
          <p id="sign-in-error" className="problem" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || state.status === 'loading'}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
};
