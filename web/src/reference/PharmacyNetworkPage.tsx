import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client.js';
import { useStaffUser } from '../auth/session.js';
import { SuccessNote } from '../consultation/staff/shared.js';
import { Loading, PageHeading, Pager, ProblemMessage } from '../ui/components.js';
import { formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { CsvImportForm, PharmacyForm, SuspensionForm } from './PharmacyForms.js';
import { canManageReference } from './routes.js';
import { useReloadSoon } from './shared.js';
import type { Pharmacy } from './types.js';

const capabilityText = (p: Pharmacy) =>
  [
    p.capabilities.specialty ? 'specialty' : 'retail',
    p.capabilities.coldChain ? 'refrigerated' : null,
    p.capabilities.frozen ? 'frozen' : null,
    p.capabilities.limitedDistribution.length
      ? `limited distribution: ${p.capabilities.limitedDistribution.join(', ')}`
      : null,
  ]
    .filter(Boolean)
    .join(' · ');

const PharmacyRow = ({ pharmacy, onDone }: { pharmacy: Pharmacy; onDone(confirmation: string): void }) => {
  const user = useStaffUser();
  const suspended = pharmacy.status === 'suspended';
  return (
    <li
      className={`card pharmacy${suspended ? ' flagged' : ''}`}
      data-pharmacy-id={pharmacy.id}
      data-status={pharmacy.status}
    >
      <div className="order-head">
        <h3 className="reference-title">
          {pharmacy.name} <span className="muted">{pharmacy.id}</span>
        </h3>
        <span className={`badge pharmacy-${pharmacy.status}`}>{suspended ? 'Suspended' : 'Active'}</span>
      </div>
      {suspended && pharmacy.suspension ? (
        <p>
          Suspended {formatDateTime(pharmacy.suspension.since)}: {pharmacy.suspension.reason}
        </p>
      ) : null}
      <p className="muted">
        {pharmacy.address.city}, {pharmacy.address.state} · NPI {pharmacy.npi} · licensed in{' '}
        {pharmacy.licensedStates.length} state{pharmacy.licensedStates.length === 1 ? '' : 's'} ·{' '}
        {capabilityText(pharmacy)}
      </p>
      <p>
        <strong>{pharmacy.openOrders}</strong> open order{pharmacy.openOrders === 1 ? '' : 's'} for{' '}
        {pharmacy.capacityPerDay} a day · turnaround {pharmacy.turnaroundHours} h · plans{' '}
        {pharmacy.acceptedPlans.map((plan) => `${plan.bin}/${plan.pcn}`).join(', ') || 'none'}
      </p>
      {canManageReference(user) ? (
        <details>
          <summary>Change</summary>
          <h4>{suspended ? 'Reinstate' : 'Suspend'}</h4>
          <SuspensionForm pharmacy={pharmacy} onDone={onDone} />
          <h4>Details</h4>
          <PharmacyForm pharmacy={pharmacy} onDone={onDone} />
        </details>
      ) : null}
    </li>
  );
};

const PAGE_SIZE = 50;

/** The pharmacy network routing ranks: search it, and for the admin add, edit, suspend and import. */
export const PharmacyNetworkPage = () => {
  const user = useStaffUser();
  const [notice, setNotice] = useState<string | null>(null);
  const [search, setSearch] = useState<{ q: string; status: '' | 'active' | 'suspended'; page: number }>({
    q: '',
    status: '',
    page: 1,
  });
  const [typed, setTyped] = useState('');
  const list = useResource(
    (signal) =>
      api.get<{ items: Pharmacy[]; total: number }>(
        `/api/reference/pharmacies${query({ q: search.q, status: search.status, page: search.page, pageSize: PAGE_SIZE })}`,
        { signal },
      ),
    [search.q, search.status, search.page],
  );
  const reload = useReloadSoon(list.reload);
  const onDone = (confirmation: string) => {
    setNotice(confirmation);
    reload();
  };
  const find = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ ...search, q: typed.trim(), page: 1 });
  };
  const total = list.data?.total ?? 0;
  return (
    <main id="main" className="page">
      <PageHeading>Pharmacy network</PageHeading>
      <p>
        Routing offers only active pharmacies; capacity counts the orders each has selected and not yet
        shipped.
      </p>
      <SuccessNote text={notice} />
      <section className="card" aria-labelledby="network-heading">
        <h2 id="network-heading">Pharmacies</h2>
        <form className="inline-form" onSubmit={find} aria-label="Search the network">
          <label htmlFor="pharmacy-search">Search</label>
          <input
            id="pharmacy-search"
            type="search"
            placeholder="Id, name, NPI, city or state"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit">Search</button>
          <label htmlFor="pharmacy-status">Status</label>
          <select
            id="pharmacy-status"
            value={search.status}
            onChange={(event) =>
              setSearch({ ...search, status: event.target.value as typeof search.status, page: 1 })
            }
          >
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </form>
        <ProblemMessage problem={list.problem} />
        {!list.data ? (
          list.problem ? null : (
            <Loading what="the network" />
          )
        ) : total === 0 && !search.q && !search.status ? (
          <p className="problem" role="alert">
            The network is empty: no order can be routed until pharmacies are added or imported.
          </p>
        ) : (
          <>
            <p className="muted" role="status">
              {total} pharmac{total === 1 ? 'y' : 'ies'}
            </p>
            <ul className="stack pharmacy-list" aria-label="Pharmacies">
              {list.data.items.map((pharmacy) => (
                <PharmacyRow key={`${pharmacy.id}:${pharmacy.status}`} pharmacy={pharmacy} onDone={onDone} />
              ))}
            </ul>
            {total > PAGE_SIZE ? (
              <Pager
                className="inline-form"
                page={search.page}
                pages={Math.ceil(total / PAGE_SIZE)}
                onPage={(page) => setSearch({ ...search, page })}
              />
            ) : null}
          </>
        )}
      </section>
      {canManageReference(user) ? (
        <>
          <section className="card" aria-labelledby="add-pharmacy-heading">
            <h2 id="add-pharmacy-heading">Add a pharmacy</h2>
            <PharmacyForm pharmacy={null} onDone={onDone} />
          </section>
          <section className="card" aria-labelledby="import-heading">
            <h2 id="import-heading">Import from CSV</h2>
            <CsvImportForm onDone={onDone} />
          </section>
        </>
      ) : null}
    </main>
  );
};
