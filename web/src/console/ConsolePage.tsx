import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ORDER_STATUSES } from '../../../src/domain/prescription/orderEvents.js';
import { api, query } from '../api/client.js';
import type { OrderPage, OrderStatus, StatusCounts } from '../api/types.js';
import { navigate, useLocation } from '../app/router.js';
import { useLive, useLiveSignals } from '../live/LiveProvider.js';
import { readModelBehind } from '../live/protocol.js';
import { useCatchUp } from '../live/useCatchUp.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { statusLabel } from '../ui/format.js';
import { useNow } from '../ui/useNow.js';
import { useResource } from '../ui/useResource.js';
import { OrderList } from './OrderList.js';
import { RecentChanges } from './RecentChanges.js';
import { useSlaHours } from './useSlaHours.js';

const PAGE_SIZE = 25;

type Filters = { status: OrderStatus | null; q: string; page: number };

const readFilters = (search: string): Filters => {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  const page = Number(params.get('page'));
  return {
    status: (ORDER_STATUSES as readonly string[]).includes(status ?? '') ? (status as OrderStatus) : null,
    q: params.get('q') ?? '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
};

/** Filters live in the address, so a reload, a bookmark or a shared link shows the same board. */
const filtersUrl = (filters: Filters) =>
  `/${query({ status: filters.status, q: filters.q.trim(), page: filters.page > 1 ? filters.page : null })}`;

export const ConsolePage = () => {
  const { search } = useLocation();
  const filters = readFilters(search);
  const setFilters = (next: Partial<Filters>) => navigate(filtersUrl({ ...filters, page: 1, ...next }));
  const [slaHours, setSlaHours] = useSlaHours();
  const [slaDraft, setSlaDraft] = useState(String(slaHours));
  const now = useNow();
  const [draftQuery, setDraftQuery] = useState(filters.q);
  useEffect(() => setDraftQuery(filters.q), [filters.q]);

  const counts = useResource((signal) => api.get<StatusCounts>('/api/orders/counts', { signal }), []);
  const list = useResource(
    (signal) =>
      api.get<OrderPage>(
        `/api/orders${query({ status: filters.status, q: filters.q.trim(), page: filters.page, pageSize: PAGE_SIZE })}`,
        { signal },
      ),
    [filters.status, filters.q, filters.page],
  );

  // Many changes can land together (a process manager appends several events): refresh once for
  // them, and once more a little later for the counts, which cannot tell whether they are current.
  const { latestChange } = useLive();
  const refreshTimers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useLiveSignals(() => {
    for (const timer of refreshTimers.current) clearTimeout(timer);
    const refresh = () => {
      counts.reload();
      list.reload();
    };
    refreshTimers.current = [setTimeout(refresh, 100), setTimeout(refresh, 800)];
  });
  useEffect(() => () => refreshTimers.current.forEach(clearTimeout), []);
  useCatchUp(list, (page) => page.items.some((item) => readModelBehind(item, latestChange(item.orderId))));

  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ q: draftQuery });
  };

  const total = counts.data ? Object.values(counts.data).reduce((sum, n) => sum + n, 0) : null;
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;

  return (
    <main id="main" className="page">
      <PageHeading>Order console</PageHeading>

      <section aria-labelledby="board-heading">
        <h2 id="board-heading">Orders by status</h2>
        <ProblemMessage problem={counts.problem} />
        {counts.data ? (
          <ul className="counts" aria-label="Orders per status">
            <li>
              <button
                type="button"
                className="count"
                aria-pressed={filters.status === null}
                onClick={() => setFilters({ status: null })}
              >
                <span>All</span> <strong data-count="all">{total}</strong>
              </button>
            </li>
            {ORDER_STATUSES.map((status) => (
              <li key={status}>
                <button
                  type="button"
                  className={`count status-${status}`}
                  aria-pressed={filters.status === status}
                  onClick={() => setFilters({ status })}
                >
                  <span>{statusLabel(status)}</span>{' '}
                  <strong data-count={status}>{counts.data?.[status] ?? 0}</strong>
                </button>
              </li>
            ))}
          </ul>
        ) : counts.loading ? (
          <Loading what="counts" />
        ) : null}
      </section>

      <div className="console-columns">
        <section aria-labelledby="list-heading" className="console-main">
          <h2 id="list-heading">{filters.status ? statusLabel(filters.status) : 'All orders'}</h2>
          <div className="toolbar">
            <search>
              <form onSubmit={submitSearch} className="inline-form">
                <label htmlFor="order-search">Search</label>
                <input
                  id="order-search"
                  type="search"
                  value={draftQuery}
                  placeholder="Order id, patient, drug, tracking"
                  onChange={(e) => setDraftQuery(e.target.value)}
                />
                <button type="submit">Search</button>
              </form>
            </search>
            <div className="inline-form">
              <label htmlFor="status-filter">Status</label>
              <select
                id="status-filter"
                value={filters.status ?? ''}
                onChange={(e) => setFilters({ status: (e.target.value || null) as OrderStatus | null })}
              >
                <option value="">All statuses</option>
                {ORDER_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {statusLabel(status)}
                  </option>
                ))}
              </select>
            </div>
            <div className="inline-form">
              <label htmlFor="sla-hours">SLA (hours)</label>
              <input
                id="sla-hours"
                type="number"
                min={0.5}
                step="any"
                inputMode="decimal"
                className="short"
                value={slaDraft}
                aria-describedby="sla-hint"
                onChange={(e) => {
                  // The box may be empty while someone types; only a positive number becomes the SLA.
                  setSlaDraft(e.target.value);
                  if (Number(e.target.value) > 0) setSlaHours(Number(e.target.value));
                }}
                onBlur={() => setSlaDraft(String(slaHours))}
              />
              <span id="sla-hint" className="muted">
                Orders longer than this in one status are flagged.
              </span>
            </div>
          </div>

          <ProblemMessage problem={list.problem} />
          {list.data ? (
            <div aria-busy={list.loading}>
              <OrderList items={list.data.items} now={now} slaHours={slaHours} />
              <nav className="pager" aria-label="Pages">
                <button
                  type="button"
                  className="secondary"
                  disabled={filters.page <= 1}
                  onClick={() => navigate(filtersUrl({ ...filters, page: filters.page - 1 }))}
                >
                  Previous
                </button>
                <span>
                  Page {filters.page} of {pages} · {list.data.total} orders
                </span>
                <button
                  type="button"
                  className="secondary"
                  disabled={filters.page >= pages}
                  onClick={() => navigate(filtersUrl({ ...filters, page: filters.page + 1 }))}
                >
                  Next
                </button>
              </nav>
            </div>
          ) : list.loading ? (
            <Loading what="orders" />
          ) : null}
        </section>
        <RecentChanges />
      </div>
    </main>
  );
};
