import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, request } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';

/** What GET /sandbox/api answers when the server runs the sandbox (npm start, the demo). */
type SandboxInfo = {
  sandbox: true;
  now: string;
  usParcelStatuses: string[];
  ukParcelStatuses: string[];
  failableVendors: string[];
  mailbox: string;
};

const BASE = '/sandbox/api';

type Outcome = { label: string; answer: unknown } | { label: string; problem: Problem };

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="card" aria-label={title}>
    <h2>{title}</h2>
    {children}
  </section>
);

/**
 * The tester's side of every vendor: move a parcel, decide a prior authorisation, pay or fail a
 * checkout, refund, break a vendor, move time. Only shown when the server has the sandbox mounted.
 */
export const SandboxPage = () => {
  const [info, setInfo] = useState<SandboxInfo | null | 'absent'>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [orderId, setOrderId] = useState('');
  const [usStatus, setUsStatus] = useState('TRANSIT');
  const [tracking, setTracking] = useState('');
  const [trackingCarrier, setTrackingCarrier] = useState<'shippo' | 'royalmail'>('shippo');
  const [trackingStatus, setTrackingStatus] = useState('TRANSIT');
  const [vendor, setVendor] = useState('stripe');
  const [calls, setCalls] = useState('3');
  const [minutes, setMinutes] = useState('');
  const [hours, setHours] = useState('24');

  const load = useCallback(async () => {
    try {
      setInfo(await api.get<SandboxInfo>(BASE));
    } catch {
      setInfo('absent');
    }
  }, []);
  useEffect(() => {
    document.title = 'Sandbox controls';
    void load();
  }, [load]);

  const run = async (label: string, method: 'POST' | 'DELETE', path: string, body?: unknown) => {
    setOutcome(null);
    try {
      const answer =
        method === 'POST'
          ? await api.post<unknown>(`${BASE}${path}`, body ?? {})
          : await request<unknown>('DELETE', `${BASE}${path}`);
      setOutcome({ label, answer: answer ?? 'done' });
    } catch (error) {
      setOutcome({ label, problem: problemOf(error) });
    }
    void load();
  };

  if (info === null) return <Loading what="the sandbox" />;
  if (info === 'absent')
    return (
      <main id="main" className="page narrow">
        <PageHeading>Sandbox</PageHeading>
        <p>
          This server does not run the sandbox: its controls exist only under <code>npm start</code> and the
          demo.
        </p>
      </main>
    );

  const id = encodeURIComponent(orderId.trim());
  const needOrder = orderId.trim() === '';
  const onSubmit = (event: FormEvent) => event.preventDefault();
  const parcelStatuses = trackingCarrier === 'shippo' ? info.usParcelStatuses : info.ukParcelStatuses;

  return (
    <main id="main" className="page sandbox">
      <PageHeading>Sandbox controls</PageHeading>
      <p className="muted">
        Platform time{' '}
        <time dateTime={info.now} data-testid="sandbox-now">
          {new Date(info.now).toUTCString()}
        </time>{' '}
        · every e-mail lands in the <a href={info.mailbox}>mailbox</a>.
      </p>

      <div role="status" aria-live="polite" className="sandbox-outcome">
        {outcome && 'answer' in outcome ? (
          <p>
            <strong>{outcome.label}</strong>: <code>{JSON.stringify(outcome.answer)}</code>
          </p>
        ) : null}
      </div>
      {outcome && 'problem' in outcome ? (
        <ProblemMessage problem={outcome.problem} heading={outcome.label} />
      ) : null}

      <Section title="An order">
        <form onSubmit={onSubmit}>
          <label>
            Order id
            <input value={orderId} onChange={(e) => setOrderId(e.target.value)} placeholder="ORD_…" />
          </label>
          <fieldset>
            <legend>Parcel (Shippo)</legend>
            <label>
              Carrier status
              <select value={usStatus} onChange={(e) => setUsStatus(e.target.value)}>
                {info.usParcelStatuses.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={needOrder}
              onClick={() => run('Parcel advanced', 'POST', `/orders/${id}/tracking`, { status: usStatus })}
            >
              Advance parcel
            </button>
          </fieldset>
          <fieldset>
            <legend>Prior authorisation (payer)</legend>
            <button
              type="button"
              disabled={needOrder}
              onClick={() =>
                run('Prior authorisation', 'POST', `/orders/${id}/prior-authorization`, { decision: 'grant' })
              }
            >
              Grant PA
            </button>
            <button
              type="button"
              disabled={needOrder}
              onClick={() =>
                run('Prior authorisation', 'POST', `/orders/${id}/prior-authorization`, { decision: 'deny' })
              }
            >
              Deny PA
            </button>
          </fieldset>
          <fieldset>
            <legend>Checkout (Stripe)</legend>
            {(['pay', 'decline', 'expire'] as const).map((o) => (
              <button
                key={o}
                type="button"
                disabled={needOrder}
                onClick={() => run(`Checkout ${o}`, 'POST', `/orders/${id}/checkout`, { outcome: o })}
              >
                {o === 'pay' ? 'Pay checkout' : o === 'decline' ? 'Decline card' : 'Expire checkout'}
              </button>
            ))}
            <button
              type="button"
              disabled={needOrder}
              onClick={() => run('Refund', 'POST', `/orders/${id}/refund`, {})}
            >
              Refund payment
            </button>
          </fieldset>
        </form>
      </Section>

      <Section title="A parcel by tracking number">
        <form onSubmit={onSubmit}>
          <label>
            Tracking number
            <input value={tracking} onChange={(e) => setTracking(e.target.value)} />
          </label>
          <label>
            Carrier
            <select
              value={trackingCarrier}
              onChange={(e) => {
                const carrier = e.target.value as 'shippo' | 'royalmail';
                setTrackingCarrier(carrier);
                setTrackingStatus(
                  (carrier === 'shippo' ? info.usParcelStatuses : info.ukParcelStatuses)[0] ?? '',
                );
              }}
            >
              <option value="shippo">US (Shippo)</option>
              <option value="royalmail">UK (Royal Mail)</option>
            </select>
          </label>
          <label>
            Status
            <select value={trackingStatus} onChange={(e) => setTrackingStatus(e.target.value)}>
              {parcelStatuses.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={tracking.trim() === ''}
            onClick={() =>
              run(
                'Parcel advanced',
                'POST',
                `/${trackingCarrier}/tracks/${encodeURIComponent(tracking.trim())}`,
                {
                  status: trackingStatus,
                },
              )
            }
          >
            Advance tracking
          </button>
        </form>
      </Section>

      <Section title="Vendor outage">
        <form onSubmit={onSubmit}>
          <label>
            Vendor
            <select value={vendor} onChange={(e) => setVendor(e.target.value)}>
              {info.failableVendors.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
          <label>
            Fail the next calls
            <input
              inputMode="numeric"
              value={calls}
              onChange={(e) => {
                setCalls(e.target.value);
                setMinutes('');
              }}
            />
          </label>
          <label>
            or for minutes
            <input
              inputMode="numeric"
              value={minutes}
              onChange={(e) => {
                setMinutes(e.target.value);
                setCalls('');
              }}
            />
          </label>
          <button
            type="button"
            onClick={() =>
              run(
                `${vendor} outage`,
                'POST',
                `/vendors/${vendor}/outage`,
                minutes ? { minutes: Number(minutes) } : { calls: Number(calls) },
              )
            }
          >
            Make it fail
          </button>
          <button
            type="button"
            onClick={() => run(`${vendor} restored`, 'DELETE', `/vendors/${vendor}/outage`)}
          >
            Restore
          </button>
        </form>
      </Section>

      <Section title="Clock">
        <form onSubmit={onSubmit}>
          <label>
            Hours forward
            <input inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} />
          </label>
          <button
            type="button"
            onClick={() => run('Clock moved', 'POST', '/clock/advance', { hours: Number(hours) })}
          >
            Move time forward
          </button>
        </form>
      </Section>
    </main>
  );
};
