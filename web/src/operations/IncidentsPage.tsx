import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import type { OpenIncident, ParkedEvent, UnmatchedPayment } from '../api/types.js';
import { Link } from '../app/router.js';
import { useConsultationSignals, useLiveSignals } from '../live/LiveProvider.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { eventLabel, formatAmount, formatDateTime } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';

const STATE_LABELS: Record<OpenIncident['state'], string> = {
  pending_api_unavailable: 'pending (API unavailable)',
  manual_handling: 'manual handling required',
};

/** Where a stream's case is handled, and where its vendor calls are retried. */
const caseOf = (stream: string) => {
  const order = /^order-(.+)$/.exec(stream)?.[1];
  if (order) return { id: order, page: `/orders/${order}`, retry: `/api/orders/${order}/integration/retry` };
  const consultation = /^consultation(?:account)?-(.+)$/.exec(stream)?.[1];
  if (consultation)
    return {
      id: consultation,
      page: `/pharmacy/consultations/${consultation}`,
      retry: `/api/pharmacy/consultations/${consultation}/integration/retry`,
    };
  return null;
};

/** A case's incident links to its page; other streams are named as they are. */
const StreamLink = ({ stream }: { stream: string }) => {
  const known = caseOf(stream);
  return known ? (
    <Link to={known.page} className="mono">
      {known.id}
    </Link>
  ) : (
    <span className="mono">{stream}</span>
  );
};

/** One button that calls the API, says that it did, or shows the problem. */
const CallButton = ({
  label,
  path,
  body,
  done,
  onDone,
}: {
  label: string;
  path: string;
  body: unknown;
  done: string;
  onDone: () => void;
}) => {
  const [state, setState] = useState<{ busy: boolean; done: boolean; problem: Problem | null }>({
    busy: false,
    done: false,
    problem: null,
  });
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={state.busy || state.done}
        onClick={async () => {
          setState({ busy: true, done: false, problem: null });
          try {
            await api.post(path, body);
            setState({ busy: false, done: true, problem: null });
            onDone();
          } catch (error) {
            setState({ busy: false, done: false, problem: problemOf(error) });
          }
        }}
      >
        {label}
      </button>
      {state.done ? (
        <span role="status" className="muted">
          {' '}
          {done}
        </span>
      ) : null}
      <ProblemMessage problem={state.problem} />
    </>
  );
};

/** Changes come in bursts (a process manager appends several events): look again once it passed. */
const useReloadOnChanges = (reload: () => void) => {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const later = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(reload, 300);
  };
  useLiveSignals(later);
  useConsultationSignals(later);
  useEffect(() => () => clearTimeout(timer.current), []);
  return later;
};

const OpenVendorCalls = () => {
  const incidents = useResource(
    async (signal) =>
      (await api.get<{ items: OpenIncident[] }>('/api/operations/incidents', { signal })).items,
    [],
  );
  // Incidents are recorded in the case's own stream: a change may have opened or closed one.
  const later = useReloadOnChanges(incidents.reload);
  const items = incidents.data ?? [];
  return (
    <section aria-labelledby="open-calls-heading" className="card">
      <h2 id="open-calls-heading">Open vendor calls</h2>
      <ProblemMessage problem={incidents.problem} />
      {!incidents.data && incidents.loading ? <Loading what="open vendor calls" /> : null}
      {incidents.data && items.length === 0 ? <p className="muted">Every vendor call went through.</p> : null}
      {items.length > 0 ? (
        <ul className="recent" aria-label="Open vendor calls">
          {items.map((i) => (
            <li key={`${i.stream_name}:${i.trigger_event_id}:${i.process_manager}`} data-state={i.state}>
              <StreamLink stream={i.stream_name} /> <strong>{i.integration}</strong>:{' '}
              <span className={i.state === 'manual_handling' ? 'flag flag-sla' : 'flag flag-pending'}>
                {STATE_LABELS[i.state] ?? i.state}
              </span>
              <br />
              <span className="muted">
                {i.attempts} attempts, open since {formatDateTime(i.opened_at ?? i.updated_at)}, last{' '}
                {formatDateTime(i.updated_at)}
                {i.next_attempt_at ? `, next ${formatDateTime(i.next_attempt_at)}` : ''}
              </span>
              <br />
              <span className="error-text">{i.last_error}</span>
              {caseOf(i.stream_name) ? (
                <div>
                  <CallButton
                    label={`Retry ${i.integration} now`}
                    path={caseOf(i.stream_name)!.retry}
                    body={{ processManager: i.process_manager, triggerEventId: i.trigger_event_id }}
                    done="Retry started."
                    onDone={later}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};

const UnmatchedPayments = () => {
  const unmatched = useResource(
    async (signal) =>
      (await api.get<{ items: UnmatchedPayment[] }>('/api/operations/unmatched-payments', { signal })).items,
    [],
  );
  const items = unmatched.data ?? [];
  return (
    <section aria-labelledby="unmatched-heading" className="card">
      <h2 id="unmatched-heading">Unmatched payments</h2>
      <p className="hint">
        Stripe events no order or consultation could take. They were acknowledged, so Stripe does not send
        them again; match or refund them in Stripe.
      </p>
      <ProblemMessage problem={unmatched.problem} />
      {!unmatched.data && unmatched.loading ? <Loading what="unmatched payments" /> : null}
      {unmatched.data && items.length === 0 ? <p className="muted">None.</p> : null}
      {items.length > 0 ? (
        <ul className="recent" aria-label="Unmatched payment events">
          {items.map((u) => (
            <li key={u.stripeEventId}>
              <strong>{formatAmount(u.amountMinor, u.currency)}</strong> <span>{eventLabel(u.kind)}</span> —{' '}
              <span className="warn-text">{u.reason}</span>
              <br />
              {u.reference ? (
                <>
                  Reference <span className="mono">{u.reference}</span>
                  <br />
                </>
              ) : null}
              {u.paymentIntentId ? (
                <>
                  Payment <span className="mono">{u.paymentIntentId}</span>
                  <br />
                </>
              ) : null}
              <span className="muted">
                {u.flow ? `${u.flow} flow, ` : ''}received{' '}
                <time dateTime={u.receivedAt}>{formatDateTime(u.receivedAt)}</time> · event{' '}
                <span className="mono">{u.stripeEventId}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="secondary" disabled={unmatched.loading} onClick={unmatched.reload}>
        Refresh
      </button>
    </section>
  );
};

const ParkedEventsList = () => {
  const parked = useResource(
    async (signal) =>
      (await api.get<{ items: ParkedEvent[] }>('/api/operations/parked', { signal })).items.filter(
        (p) => p.status === 'parked',
      ),
    [],
  );
  const later = useReloadOnChanges(parked.reload);
  const items = parked.data ?? [];
  return (
    <section aria-labelledby="parked-heading" className="card">
      <h2 id="parked-heading">Parked events</h2>
      <p className="hint">
        Events a process or projection failed on repeatedly; retry once the cause is fixed.
      </p>
      <ProblemMessage problem={parked.problem} />
      {!parked.data && parked.loading ? <Loading what="parked events" /> : null}
      {parked.data && items.length === 0 ? <p className="muted">None.</p> : null}
      {items.length > 0 ? (
        <ul className="recent" aria-label="Parked events">
          {items.map((p) => (
            <li key={`${p.subscriptionId}:${p.eventId}`}>
              <StreamLink stream={p.streamName} /> <strong>{eventLabel(p.eventType)}</strong> in{' '}
              <span className="mono">{p.subscriptionId}</span>
              <br />
              <span className="muted">
                parked {formatDateTime(p.parkedAt)} after {p.attempts} attempts
              </span>
              <br />
              <span className="error-text">{p.error}</span>
              <div>
                <CallButton
                  label="Retry the event"
                  path={`/api/operations/parked/${encodeURIComponent(p.subscriptionId)}/${encodeURIComponent(p.eventId)}/retry`}
                  body={{}}
                  done="Retried."
                  onDone={later}
                />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
};

/** What needs a person beyond the cases themselves: stuck vendor calls, parked events, money nobody claimed. */
export const IncidentsPage = () => (
  <main id="main" className="page">
    <PageHeading>Incidents</PageHeading>
    <div className="incidents-grid">
      <OpenVendorCalls />
      <ParkedEventsList />
      <UnmatchedPayments />
    </div>
  </main>
);
