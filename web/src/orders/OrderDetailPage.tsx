import { useState } from 'react';
import { api } from '../api/client.js';
import type { OrderDetail, OrderHistory, ParkedEvent } from '../api/types.js';
import { Link } from '../app/router.js';
import { canActOnOrders, canRetryParked } from '../auth/roles.js';
import { useStaffUser } from '../auth/session.js';
import { useLive, useLiveSignals } from '../live/LiveProvider.js';
import { readModelBehind } from '../live/protocol.js';
import { useCatchUp } from '../live/useCatchUp.js';
import { OrderHoldNotice } from '../reference/OrderHoldNotice.js';
import { Loading, PageHeading, ProblemMessage, StatusBadge } from '../ui/components.js';
import { formatAmount, formatDateTime, formatDuration, formatMoney } from '../ui/format.js';
import { useNow } from '../ui/useNow.js';
import { useResource } from '../ui/useResource.js';
import { ActionsPanel, ParkedEvents } from './ActionsPanel.js';
import { MoneySection } from './MoneySection.js';
import {
  AdjudicationSection,
  EnrollmentSection,
  IncidentSection,
  PatientSection,
  PaymentSection,
  PrescriptionSection,
  RecommendationsSection,
  ShipmentSection,
  Timeline,
  ValidationSection,
} from './sections.js';

export const OrderDetailPage = ({ orderId }: { orderId: string }) => {
  const user = useStaffUser();
  const now = useNow();
  const [notice, setNotice] = useState<string | null>(null);
  const order = useResource(
    (signal) => api.get<OrderDetail>(`/api/orders/${encodeURIComponent(orderId)}`, { signal }),
    [orderId],
  );
  const history = useResource(
    (signal) => api.get<OrderHistory>(`/api/orders/${encodeURIComponent(orderId)}/events`, { signal }),
    [orderId],
  );
  const mayRetryParked = canRetryParked(user);
  const parked = useResource(
    async (signal) =>
      mayRetryParked
        ? (await api.get<{ items: ParkedEvent[] }>('/api/operations/parked', { signal })).items.filter(
            (p) => p.status === 'parked' && p.streamName === `order-${orderId}`,
          )
        : [],
    [orderId, mayRetryParked],
  );
  const reload = () => {
    order.reload();
    history.reload();
    parked.reload();
  };
  const { latestChange } = useLive();
  useCatchUp(order, (o) => readModelBehind(o, latestChange(orderId)));
  useLiveSignals((signal) => {
    if (signal.kind === 'resync' || signal.change.orderId === orderId) reload();
  });
  const onDone = (confirmation: string) => {
    setNotice(confirmation);
    reload();
  };

  const o = order.data;
  return (
    <main id="main" className="page">
      <p className="breadcrumb">
        <Link to="/">← Order console</Link>
      </p>
      <PageHeading>
        Order <span className="mono">{orderId}</span>
      </PageHeading>
      <ProblemMessage problem={order.problem} />
      {!o && order.loading ? <Loading what="the order" /> : null}
      {o ? (
        <>
          <div className="order-summary" aria-busy={order.loading}>
            <StatusBadge status={o.status} />
            <span>
              for{' '}
              <time dateTime={o.statusSince} title={formatDateTime(o.statusSince)}>
                {formatDuration(Math.max(0, now - Date.parse(o.statusSince)))}
              </time>{' '}
              (since {formatDateTime(o.statusSince)})
            </span>
            {o.pending ? <span className="flag flag-pending">{o.pending}</span> : null}
            {o.payment.mismatch ? (
              <span className="flag flag-sla">
                Payment mismatch: received{' '}
                {formatAmount(o.payment.mismatch.receivedMinor, o.payment.mismatch.currency)}, expected{' '}
                {formatMoney(o.payment.mismatch.expectedMinor)}
              </span>
            ) : null}
            {o.cancellation ? (
              <span>
                Cancelled: “{o.cancellation.reason}” ({formatDateTime(o.cancellation.at)})
              </span>
            ) : null}
          </div>
          <div className="detail-grid">
            <div className="detail-main">
              <IncidentSection order={o} />
              {/* A payment held for ops is the first thing to see; otherwise money follows payment. */}
              {o.payment.mismatch ? <MoneySection order={o} /> : null}
              <OrderHoldNotice order={o} />
              <PatientSection order={o} />
              <PrescriptionSection order={o} />
              <ValidationSection order={o} />
              <EnrollmentSection order={o} />
              <RecommendationsSection order={o} />
              <AdjudicationSection order={o} />
              <PaymentSection order={o} />
              {o.payment.mismatch ? null : <MoneySection order={o} />}
              <ShipmentSection order={o} />
            </div>
            <div className="detail-side">
              <p className="success" role="status">
                {notice}
              </p>
              {canActOnOrders(user) ? (
                <ActionsPanel order={o} onDone={onDone} />
              ) : (
                <section className="card" aria-labelledby="actions-heading">
                  <h2 id="actions-heading">Actions</h2>
                  <p>
                    You are signed in as {user.roles.join(', ')}: you can read this order, but only ops can
                    act on it.
                  </p>
                </section>
              )}
              {parked.data && parked.data.length > 0 ? (
                <ParkedEvents items={parked.data} onDone={onDone} />
              ) : null}
              <ProblemMessage problem={history.problem} />
              {history.data ? <Timeline events={history.data.events} /> : null}
            </div>
          </div>
        </>
      ) : null}
    </main>
  );
};
