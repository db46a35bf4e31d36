import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client.js';
import { useStaffUser } from '../auth/session.js';
import { SuccessNote } from '../consultation/staff/shared.js';
import { Loading, PageHeading, Pager, ProblemMessage } from '../ui/components.js';
import { formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';
import { AddDrugForm, ClassifyForm, EditListingForm } from './DrugForms.js';
import { canClassifyDrugs, canManageReference } from './routes.js';
import { useReloadSoon } from './shared.js';
import { type CatalogueEntry, drugTitle, ndcLabel, type ReviewItem, STORAGE_LABELS } from './types.js';

const StorageBadge = ({ entry }: { entry: Pick<CatalogueEntry, 'storageClass'> }) =>
  entry.storageClass ? (
    <span className={`badge storage-${entry.storageClass}`}>{STORAGE_LABELS[entry.storageClass]}</span>
  ) : (
    <span className="badge storage-unclassified">Not classified</span>
  );

const flagsOf = (entry: CatalogueEntry) =>
  [
    entry.specialty ? 'specialty' : null,
    entry.limitedDistribution ? `limited distribution: ${entry.limitedDistribution}` : null,
    entry.rems ? 'REMS' : null,
    entry.deaSchedule ? `DEA ${entry.deaSchedule}` : null,
  ]
    .filter(Boolean)
    .join(' · ');

/** NDCs orders are waiting on: each with what the prescriptions call it and the form that frees them. */
const ReviewQueue = ({ onDone }: { onDone(confirmation: string): void }) => {
  const user = useStaffUser();
  const queue = useResource(
    (signal) => api.get<{ items: ReviewItem[] }>('/api/reference/drugs/review', { signal }),
    [],
  );
  const reload = useReloadSoon(queue.reload);
  const done = (confirmation: string) => {
    onDone(confirmation);
    reload();
  };
  const items = queue.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="review-heading">
      <h2 id="review-heading">Waiting for a pharmacist</h2>
      <p>
        Orders for these NDCs stop before routing until the drug is classified; nothing is assumed to be kept
        at room temperature. Once classified, they route by themselves.
      </p>
      <ProblemMessage problem={queue.problem} />
      {!queue.data ? (
        queue.problem ? null : (
          <Loading what="the review queue" />
        )
      ) : items.length === 0 ? (
        <p className="muted">No order is waiting on a drug.</p>
      ) : (
        <ul className="stack review-list" aria-label="NDCs waiting for review">
          {items.map((item) => (
            <li key={item.ndc11} className="card" data-ndc={item.ndc11}>
              <h3 className="reference-title">
                NDC {ndcLabel(item.ndc11)} — {item.entry ? drugTitle(item.entry) : 'not in the catalogue'}
              </h3>
              <p>
                <strong>{item.waitingOrders}</strong> order{item.waitingOrders === 1 ? '' : 's'} waiting since{' '}
                {formatDateTime(item.waitingSince)}
                {item.prescribedAs.length ? `; prescribed as: ${item.prescribedAs.join('; ')}` : ''}
              </p>
              {canClassifyDrugs(user) ? (
                <ClassifyForm ndc11={item.ndc11} entry={item.entry} onDone={done} />
              ) : (
                <p className="muted">A pharmacist classifies it.</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

const PAGE_SIZE = 50;

/** One catalogue entry: its facts, and the admin's and pharmacist's forms to change them. */
const EntryRow = ({ entry, onDone }: { entry: CatalogueEntry; onDone(confirmation: string): void }) => {
  const user = useStaffUser();
  return (
    <li className="card drug" data-ndc={entry.ndc11}>
      <div className="order-head">
        <h3 className="reference-title">
          {drugTitle(entry)} <span className="muted">NDC {ndcLabel(entry.ndc11)}</span>
        </h3>
        <StorageBadge entry={entry} />
      </div>
      <p className="muted">
        {[entry.genericName, entry.dosageForm, entry.labeler, flagsOf(entry)].filter(Boolean).join(' · ')}
      </p>
      {canManageReference(user) || canClassifyDrugs(user) ? (
        <details>
          <summary>Change</summary>
          {canClassifyDrugs(user) ? (
            <>
              <h4>Classification</h4>
              <ClassifyForm ndc11={entry.ndc11} entry={entry} onDone={onDone} />
            </>
          ) : null}
          {canManageReference(user) ? (
            <>
              <h4>Details</h4>
              <EditListingForm entry={entry} onDone={onDone} />
            </>
          ) : null}
        </details>
      ) : null}
    </li>
  );
};

/** The drug catalogue: what waits on a pharmacist, the catalogue itself, and adding a product. */
export const DrugCataloguePage = () => {
  const user = useStaffUser();
  const [notice, setNotice] = useState<string | null>(null);
  const [search, setSearch] = useState({ q: '', unclassified: false, page: 1 });
  const [typed, setTyped] = useState('');
  const list = useResource(
    (signal) =>
      api.get<{ items: CatalogueEntry[]; total: number }>(
        `/api/reference/drugs${query({
          q: search.q,
          unclassified: search.unclassified ? 'true' : null,
          page: search.page,
          pageSize: PAGE_SIZE,
        })}`,
        { signal },
      ),
    [search.q, search.unclassified, search.page],
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
      <PageHeading>Drug catalogue</PageHeading>
      <SuccessNote text={notice} />
      <ReviewQueue onDone={onDone} />
      <section className="card" aria-labelledby="catalogue-heading">
        <h2 id="catalogue-heading">Catalogue</h2>
        <form className="inline-form" onSubmit={find} aria-label="Search the catalogue">
          <label htmlFor="drug-search">Search</label>
          <input
            id="drug-search"
            type="search"
            placeholder="NDC, brand, generic name or labeler"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit">Search</button>
          <div className="choice">
            <input
              type="checkbox"
              id="drug-unclassified"
              checked={search.unclassified}
              onChange={(event) => setSearch({ ...search, unclassified: event.target.checked, page: 1 })}
            />
            <label htmlFor="drug-unclassified">Not classified only</label>
          </div>
        </form>
        <ProblemMessage problem={list.problem} />
        {!list.data ? (
          list.problem ? null : (
            <Loading what="the catalogue" />
          )
        ) : (
          <>
            <p className="muted" role="status">
              {total} product{total === 1 ? '' : 's'}
            </p>
            <ul className="stack drug-list" aria-label="Drugs">
              {list.data.items.map((entry) => (
                <EntryRow key={`${entry.ndc11}:${entry.updatedAt}`} entry={entry} onDone={onDone} />
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
        <section className="card" aria-labelledby="add-drug-heading">
          <h2 id="add-drug-heading">Add a drug</h2>
          <AddDrugForm onDone={onDone} />
        </section>
      ) : null}
    </main>
  );
};
