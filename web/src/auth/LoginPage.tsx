import { type FormEvent, useEffect, useState } from 'react';
import { problemOf } from '../api/problem.js';
import { navigate, useLocation } from '../app/router.js';
import { mayOpen, staffHome } from '../consultation/staffAccess.js';
import { PageHeading } from '../ui/components.js';
import { useSession } from './session.js';
import { safeNext, signInMessage } from './signInMessages.js';

/** One sign-in for every staff role: each lands where they asked to go if they may, else at home. */

export const LoginPage = () => {
  const { state, signIn, signOut } = useSession();
  const { search } = useLocation();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signedInUser = state.status === 'signed-in' ? state.user : null;
  useEffect(() => {
    if (!signedInUser) return;
    if (signedInUser.mustChangePassword) {
      navigate('/account/password', { replace: true });
      return;
    }
    const asked = next && mayOpen(signedInUser, new URL(next, window.location.origin).pathname) ? next : null;
    const target = asked ?? staffHome(signedInUser);
    if (target) navigate(target, { replace: true });
    // A session for a role with no staff page at all is closed rather than left dangling.
    else
      void signOut(
        `This account (${signedInUser.roles.join(', ')}) does not have a role that can use these pages.`,
      );
  }, [signedInUser, next, signOut]);

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
      <PageHeading>Staff sign-in</PageHeading>
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
