import { type FormEvent, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import type { StaffAccount } from '../api/types.js';
import { Link } from '../app/router.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { RoleChoices, roleList } from './roleChoices.js';

/** A new account: the admin may choose the first password or let the platform make one up (shown once). */
const NewAccountForm = ({ onCreated }: { onCreated(): void }) => {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>(['ops']);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ email: string; temporaryPassword: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api.post<{ user: { email: string }; temporaryPassword: string }>(
        '/api/admin/staff',
        {
          email: email.trim(),
          displayName: displayName.trim(),
          roles,
        },
      );
      setCreated({ email: answer.user.email, temporaryPassword: answer.temporaryPassword });
      setEmail('');
      setDisplayName('');
      onCreated();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-account-heading">
      <h2 id="new-account-heading">New staff account</h2>
      {created ? (
        <p className="notice" role="status" data-temporary-password={created.temporaryPassword}>
          Account {created.email} created. Its first password, shown only now:{' '}
          <code>{created.temporaryPassword}</code>. They must choose their own when they first sign in.
        </p>
      ) : null}
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="new-email">Email</label>
          <input
            id="new-email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-name">Name</label>
          <input
            id="new-name"
            required
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </div>
        <RoleChoices idPrefix="new" chosen={roles} onChange={setRoles} />
        <ProblemMessage problem={problem} />
        <button type="submit" disabled={busy || roles.length === 0}>
          {busy ? 'Creating…' : 'Create the account'}
        </button>
      </form>
    </section>
  );
};

/** The admin's list of staff accounts: who holds which roles, who is disabled, who must change a password. */
export const StaffAccountsPage = () => {
  const accounts = useResource(
    (signal) => api.get<{ staff: StaffAccount[] }>('/api/admin/staff', { signal }),
    [],
  );
  return (
    <main id="main" className="page">
      <PageHeading>Staff accounts</PageHeading>
      <NewAccountForm onCreated={accounts.reload} />
      <section className="card" aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Accounts</h2>
        <ProblemMessage problem={accounts.problem} />
        {accounts.data ? (
          <table className="staff-accounts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.staff.map((account) => (
                <tr key={account.id} data-staff-id={account.id}>
                  <td>
                    <Link to={`/admin/staff/${account.id}`}>{account.displayName}</Link>
                  </td>
                  <td>{account.email}</td>
                  <td>{roleList(account.roles)}</td>
                  <td>
                    {account.disabled ? 'Disabled' : 'Active'}
                    {account.mustChangePassword ? ' · must choose a password' : ''}
                  </td>
                  <td>{formatDateTime(account.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : accounts.loading ? (
          <Loading what="staff accounts" />
        ) : null}
      </section>
    </main>
  );
};
