import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import type { StaffAccount, StaffSessionSummary } from '../api/types.js';
import { Link } from '../app/router.js';
import { Fact, Facts, Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { RoleChoices, roleList } from './roleChoices.js';

/** One admin action with its reason: busy while it runs, the refusal shown if there is one. */
const useAdminAction = (onDone: () => void) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async <T,>(call: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await call();
      onDone();
      return answer;
    } catch (error) {
      setProblem(problemOf(error));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
};

const Reason = ({ id, value, onChange }: { id: string; value: string; onChange(value: string): void }) => (
  <div className="field">
    <label htmlFor={id}>Reason (kept in the audit trail)</label>
    <input id={id} required minLength={3} value={value} onChange={(e) => onChange(e.target.value)} />
  </div>
);

/**
 * One staff member as the admin manages them: roles, disabling, a password reset (the temporary
 * password is shown once) and the sessions that still work, each of which can be ended.
 */
export const StaffMemberPage = ({ staffId }: { staffId: string }) => {
  const base = `/api/admin/staff/${encodeURIComponent(staffId)}`;
  const accounts = useResource(
    (signal) => api.get<{ staff: StaffAccount[] }>('/api/admin/staff', { signal }),
    [],
  );
  const sessions = useResource(
    (signal) => api.get<{ sessions: StaffSessionSummary[] }>(`${base}/sessions`, { signal }),
    [base],
  );
  const reload = () => {
    accounts.reload();
    sessions.reload();
  };
  const action = useAdminAction(reload);
  const account = accounts.data?.staff.find((a) => a.id === staffId);
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => setRoles(account?.roles ?? []), [account?.roles]);
  const [reason, setReason] = useState('');
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);

  if (!account)
    return (
      <main id="main" className="page narrow">
        <PageHeading>Staff account</PageHeading>
        <ProblemMessage problem={accounts.problem} />
        {accounts.loading ? <Loading what="the account" /> : <p>There is no such staff member.</p>}
      </main>
    );

  const withReason = (event: FormEvent, call: () => Promise<unknown>) => {
    event.preventDefault();
    void action.run(call).then((answer) => {
      if (answer) setReason('');
    });
  };

  return (
    <main id="main" className="page">
      <p>
        <Link to="/admin/staff">← All staff accounts</Link>
      </p>
      <PageHeading>{account.displayName}</PageHeading>
      <Facts>
        <Fact term="Email">{account.email}</Fact>
        <Fact term="Staff id">
          <span className="mono">{account.id}</span>
        </Fact>
        <Fact term="Roles">{roleList(account.roles)}</Fact>
        <Fact term="State">
          <span data-account-state={account.disabled ? 'disabled' : 'active'}>
            {account.disabled ? 'Disabled' : 'Active'}
          </span>
          {account.mustChangePassword ? ' · must choose a password at next sign-in' : ''}
        </Fact>
      </Facts>

      <section className="card" aria-labelledby="account-actions-heading">
        <h2 id="account-actions-heading">Change the account</h2>
        <ProblemMessage problem={action.problem} />
        {temporaryPassword ? (
          <p className="notice" role="status" data-temporary-password={temporaryPassword}>
            Temporary password, shown only now: <code>{temporaryPassword}</code>. It works once, to choose a
            new one.
          </p>
        ) : null}
        <Reason id="account-reason" value={reason} onChange={setReason} />
        <form
          className="stack"
          onSubmit={(e) => withReason(e, () => api.put(`${base}/roles`, { roles, reason: reason.trim() }))}
        >
          <RoleChoices idPrefix="edit" chosen={roles} onChange={setRoles} />
          <button type="submit" disabled={action.busy || roles.length === 0}>
            Save roles
          </button>
        </form>
        <div className="actions">
          {account.disabled ? (
            <button
              type="button"
              disabled={action.busy}
              onClick={(e) => withReason(e, () => api.post(`${base}/enable`, { reason: reason.trim() }))}
            >
              Enable the account
            </button>
          ) : (
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={(e) => withReason(e, () => api.post(`${base}/disable`, { reason: reason.trim() }))}
            >
              Disable the account
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={action.busy}
            onClick={(e) =>
              withReason(e, async () => {
                const answer = await api.post<{ temporaryPassword: string }>(`${base}/password-reset`, {
                  reason: reason.trim(),
                });
                setTemporaryPassword(answer.temporaryPassword);
                return answer;
              })
            }
          >
            Reset the password
          </button>
        </div>
      </section>

      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        <ProblemMessage problem={sessions.problem} />
        {sessions.data ? (
          sessions.data.sessions.length === 0 ? (
            <p>No session is open.</p>
          ) : (
            <ul className="stack" aria-label="Open sessions">
              {sessions.data.sessions.map((s) => (
                <li key={s.id} data-session-id={s.id} className="card">
                  Signed in {formatDateTime(s.createdAt)} from {s.ip ?? 'an unknown address'}
                  {s.userAgent ? <span className="muted"> ({s.userAgent.slice(0, 80)})</span> : null}; last
                  active {formatDateTime(s.lastSeenAt)}; ends by {formatDateTime(s.idleExpiresAt)} if unused.{' '}
                  <button
                    type="button"
                    className="secondary"
                    disabled={action.busy}
                    onClick={(e) =>
                      withReason(e, () =>
                        api.post(`${base}/sessions/revoke`, {
                          sessionId: s.id,
                          reason: reason.trim() || 'ended by an admin',
                        }),
                      )
                    }
                  >
                    End this session
                  </button>
                </li>
              ))}
            </ul>
          )
        ) : sessions.loading ? (
          <Loading what="sessions" />
        ) : null}
        <button
          type="button"
          className="danger"
          disabled={action.busy}
          onClick={(e) =>
            withReason(e, () =>
              api.post(`${base}/sessions/revoke`, { reason: reason.trim() || 'ended by an admin' }),
            )
          }
        >
          End every session
        </button>
      </section>
    </main>
  );
};
