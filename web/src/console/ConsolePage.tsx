import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ORDER_STATUSES } from '../../../src/domain/prescription/orderEvents.js';
import { api, query } from '../api/client.js';
import type { OrderPage, OrderStatus } from '../api/types.js';
import { Link, navigate, useLocation } from '../app/router.js';
import { hasRole } from '../auth/roles.js';
import { useStaffUser } from '../auth/session.js';
import { useLive, useLiveSignals } from '../live/LiveProvider.js';
import { readModelBehind } from '../live/protocol.js';
import { useCatchUp } from '../live/useCatchUp.js';
import { Loading, PageHeading, Pager, ProblemMessage } from '../ui/components.js';
import { statusLabel } from '../ui/format.js';
import { useNow } from '../ui/useNow.js';
import { useResource } from '../ui/useResource.js';
import { FlowPicture, type OrderFlow } from './FlowPicture.js';
import { NeedsAttention } from './NeedsAttention.js';
import { OrderList } from './OrderList.js';
import { RecentChanges } from './RecentChanges.js';
import { useSlaHours } from './useSlaHours.js';

const PAGE_SIZE = 25;

type Sort = 'received' | 'waiting';
type Filters = { status: OrderStatus | null; q: string; sort: Sort; page: number };

const readFilters = (search: string): Filters => {
  const params = new URLSearchParams(search);
  const status = params.get('status');
  const page = Number(params.get('page'));
  return {
    status: (ORDER_STATUSES as readonly string[]).includes(status ?? '') ? (status as OrderStatus) : null,
    q: params.get('q') ?? '',
    sort: params.get('sort') === 'waiting' ? 'waiting' : 'received',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
};

/** Filters live in the address, so a reload, a bookmark or a shared link shows the same board. */
const filtersUrl = (filters: Filters) =>
  `/${query({
    status: filters.status,
    q: filters.q.trim(),
    sort: filters.sort === 'waiting' ? 'waiting' : null,
    page: filters.page > 1 ? filters.page : null,
  })}`;

export const ConsolePage = () => {
  const { search } = useLocation();
  // What waits on a person is ops' to handle; the API says the same.
  const mayHandleOperations = hasRole(useStaffUser(), 'ops');
  const filters = readFilters(search);
  const setFilters = (next: Partial<Filters>) => navigate(filtersUrl({ ...filters, page: 1, ...next }));
  const [slaHours, setSlaHours] = useSlaHours();
  const [slaDraft, setSlaDraft] = useState(String(slaHours));
  const now = useNow();
  const [draftQuery, setDraftQuery] = useState(filters.q);
  useEffect(() => setDraftQuery(filters.q), [filters.q]);

  const flow = useResource((signal) => api.get<OrderFlow>('/api/orders/flow', { signal }), []);
  const list = useResource(
    (signal) =>
      api.get<OrderPage>(
        `/api/orders${query({
          status: filters.status,
          q: filters.q.trim(),
          sort: filters.sort,
          page: filters.page,
          pageSize: PAGE_SIZE,
        })}`,
        { signal },
      ),
    [filters.status, filters.q, filters.sort, filters.page],
  );

  // Many changes can land together (a process manager appends several events): refresh once for
  // them, and once more a little later for the flow, which cannot tell whether it is current.
  const { latestChange } = useLive();
  const refreshTimers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useLiveSignals(() => {
    for (const timer of refreshTimers.current) clearTimeout(timer);
    const refresh = () => {
      flow.reload();
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

  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;

  return (
    <main id="main" className="page">
      <PageHeading>Order console</PageHeading>

      {mayHandleOperations ? <NeedsAttention slaHours={slaHours} now={now} /> : null}

      <ProblemMessage problem={flow.problem} />
      {flow.data ? (
        <FlowPicture flow={flow.data} onStatus={(status) => setFilters({ status })} />
      ) : flow.loading ? (
        <Loading what="the flow" />
      ) : null}

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
                  placeholder="Name, DOB, MRN, NDC, drug, pharmacy, tracking"
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
              <label htmlFor="order-sort">Sort</label>
              <select
                id="order-sort"
                value={filters.sort}
                onChange={(e) => setFilters({ sort: e.target.value as Sort })}
              >
                <option value="received">Newest first</option>
                <option value="waiting">Longest waiting first (SLA)</option>
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
              <Pager
                page={filters.page}
                pages={pages}
                onPage={(page) => navigate(filtersUrl({ ...filters, page }))}
              >
                {` · ${list.data.total} ${list.data.total === 1 ? 'order' : 'orders'}`}
              </Pager>
            </div>
          ) : list.loading ? (
            <Loading what="orders" />
          ) : null}
        </section>
        <div className="console-aside">
          <RecentChanges />
          {mayHandleOperations ? (
            <p>
              <Link to="/operations/incidents">All incidents, parked events and unmatched payments</Link>
            </p>
          ) : null}
        </div>
      </div>
    </main>
  );
};
