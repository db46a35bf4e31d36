import { useState } from 'react';
import { api, query } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { Loading, PageHeading, ProblemMessage, StatusBadge } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import { planName } from '../format.js';
import { PHARMACY_VIEWS, type PharmacyView } from '../routes.js';
import type { PharmacyList, PharmacyListItem } from '../types.js';
import { PendingMarker, useLiveConsultations } from './shared.js';

const VIEW_NAMES: Record<PharmacyView, string> = {
  dispensing: 'To dispense',
  exceptions: 'Exceptions',
  identity: 'ID checks',
  stalled: '30-day timeouts',
  drafts: 'Inactive drafts',
  all: 'All',
};

const PAGE_SIZE = 50;

const flagged = (item: PharmacyListItem) =>
  item.status === 'instalment_paused' ||
  item.status === 'delivery_failed' ||
  item.pending !== null ||
  Object.entries(item.flags).some(([name, value]) => name !== 'renewalOverlap' && Boolean(value));

/** Every mark on a queue entry, in words. */
const Flags = ({ item }: { item: PharmacyListItem }) => {
  const f = item.flags;
  return (
    <>
      {item.status === 'instalment_paused' ? <span className="flag flag-sla">Instalment paused</span> : null}
      {item.status === 'delivery_failed' ? <span className="flag flag-sla">Delivery failed</span> : null}
      {f.outOfStock ? <span className="flag flag-sla">Out of stock: dispatch blocked</span> : null}
      {f.cancellationRequestedAt ? (
        <span className="flag flag-issue">
          Cancellation requested {formatDateTime(f.cancellationRequestedAt)}
        </span>
      ) : null}
      {f.repeatSubmission ? <span className="flag flag-issue">Repeat submission</span> : null}
      {f.refundFailed ? <span className="flag flag-sla">Refund failed</span> : null}
      {f.draftInactiveSince ? (
        <span className="flag flag-issue">Draft inactive since {formatDateTime(f.draftInactiveSince)}</span>
      ) : null}
      <PendingMarker pending={item.pending} />
    </>
  );
};

/** Phases 9–12 and the exceptions: what the pharmacy team dispenses and what needs a person. */
export const PharmacyQueuePage = ({ view }: { view: PharmacyView }) => {
  const [page, setPage] = useState(1);
  const list = useResource(
    (signal) =>
      api.get<PharmacyList>(`/api/pharmacy/consultations${query({ view, page, pageSize: PAGE_SIZE })}`, {
        signal,
      }),
    [view, page],
  );
  useLiveConsultations(list.reload);
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <main id="main" className="page">
      <PageHeading>Pharmacy queue — {VIEW_NAMES[view]}</PageHeading>
      <nav aria-label="Queue views" className="tabs">
        {PHARMACY_VIEWS.map((v) => (
          <Link
            key={v}
            to={`/pharmacy?view=${v}`}
            aria-current={v === view ? 'page' : undefined}
            onClick={() => setPage(1)}
          >
            {VIEW_NAMES[v]}
          </Link>
        ))}
        <Link to="/pharmacy/stock">Stock levels</Link>
      </nav>
      <ProblemMessage problem={list.problem} />
      {!data ? (
        list.problem ? null : (
          <Loading what="the queue" />
        )
      ) : data.items.length === 0 ? (
        <p className="muted">Nothing here.</p>
      ) : (
        <>
          <p className="muted">
            {data.total} consultation{data.total === 1 ? '' : 's'}
          </p>
          <ul className="orders" aria-label={`${VIEW_NAMES[view]} consultations`}>
            {data.items.map((item) => (
              <li
                key={item.consultationId}
                className={`order${item.flags.renewalOverlap ? ' overlap' : ''}${item.flags.outOfStock ? ' over-sla' : ''}`}
                data-consultation-id={item.consultationId}
                data-status={item.status}
              >
                <div className="order-head">
                  <Link
                    className="order-link"
                    to={`/pharmacy/consultations/${encodeURIComponent(item.consultationId)}`}
                  >
                    {item.patientName ?? 'Patient'} — {item.product.name}
                  </Link>
                  <StatusBadge status={item.status} />
                </div>
                {item.flags.renewalOverlap ? (
                  <p className="overlap-inline">
                    <strong>⚠ {item.flags.renewalOverlap.banner}</strong>
                  </p>
                ) : null}
                <p className="order-meta">
                  <span>{item.product.kind}</span>
                  {item.plan ? <span>{planName(item.plan)}</span> : null}
                  {item.supplyNumber ? <span>Supply {item.supplyNumber}</span> : null}
                  {item.trackingNumber ? <span>Tracking {item.trackingNumber}</span> : null}
                  <span>Since {formatDateTime(item.statusSince)}</span>
                </p>
                {flagged(item) ? (
                  <p className="order-meta">
                    <Flags item={item} />
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
          {pages > 1 ? (
            <div className="pager">
              <button
                type="button"
                className="secondary"
                disabled={page <= 1}
                onClick={() => setPage(page - 1)}
              >
                Previous page
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button
                type="button"
                className="secondary"
                disabled={page >= pages}
                onClick={() => setPage(page + 1)}
              >
                Next page
              </button>
            </div>
          ) : null}
        </>
      )}
    </main>
  );
};
