import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import { navigate } from '../app/router.js';
import { useSession } from '../auth/session.js';
import { staffHome } from '../consultation/staffAccess.js';
import { PageHeading, ProblemMessage } from '../ui/components.js';

/**
 * Choosing one's own password: required after an admin created the account or reset its password
 * (nothing else opens until then), and possible at any time. Every other session of the member ends.
 */
export const ChangePasswordPage = () => {
  const { state, refresh } = useSession();
  const forced = state.status === 'signed-in' && state.user.mustChangePassword === true;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setProblem({ title: 'Passwords differ', status: 400, detail: 'Type the same new password twice.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await api.post('/api/auth/password', { currentPassword: current, newPassword: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
      const user = await refresh();
      const home = user ? staffHome(user) : null;
      if (forced && home) navigate(home, { replace: true });
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="page narrow">
      <PageHeading>{forced ? 'Choose your own password' : 'Change your password'}</PageHeading>
      {forced ? (
        <p className="notice" role="status">
          Your password was set by an administrator. Choose one only you know before you continue.
        </p>
      ) : null}
      {done ? (
        <p className="notice" role="status" data-password-changed="">
          Your password is changed. Your other sessions have been signed out.
        </p>
      ) : null}
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-password">New password (at least 12 characters)</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="repeat-password">New password again</label>
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
        <ProblemMessage problem={problem} />
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </main>
  );
};
