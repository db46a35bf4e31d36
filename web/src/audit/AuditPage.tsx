import { type FormEvent, useEffect, useState } from 'react';
import { api, query } from '../api/client.js';
import type { AuditVerification, OrderHistory, OrderPage } from '../api/types.js';
import { navigate } from '../app/router.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { useResource } from '../ui/useResource.js';
import { ReplayView } from './ReplayView.js';
import { localInputToIso } from './replay.js';

const brokenAtText = (brokenAt: AuditVerification['brokenAt']) =>
  brokenAt === null || brokenAt === undefined
    ? ''
    : typeof brokenAt === 'number'
      ? ` at row ${brokenAt}`
      : ` at row ${brokenAt.seq}: ${brokenAt.reason}`;

const Verification = () => {
  const result = useResource((signal) => api.get<AuditVerification>('/api/audit/verify', { signal }), []);
  return (
    <section aria-labelledby="verify-heading" className="card">
      <h2 id="verify-heading">Audit chain</h2>
      <ProblemMessage problem={result.problem} />
      <div role="status" aria-busy={result.loading}>
        {result.loading && !result.data ? <p className="muted">Verifying the hash chain…</p> : null}
        {result.data ? (
          result.data.ok ? (
            <p className="verify verify-ok" data-verified="ok">
              ✓ Chain intact: {result.data.rows.toLocaleString()} rows verified.
            </p>
          ) : (
            <p className="verify verify-broken" data-verified="broken">
              ✗ Chain broken{brokenAtText(result.data.brokenAt)} ({result.data.rows.toLocaleString()} rows
              checked).
            </p>
          )
        ) : null}
      </div>
      <button type="button" className="secondary" onClick={result.reload} disabled={result.loading}>
        Verify again
      </button>
    </section>
  );
};

const Export = ({ orderId }: { orderId: string | null }) => {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = { from: localInputToIso(from), to: localInputToIso(to) };
  const link = (format: 'csv' | 'ndjson', params: Record<string, string | null>) =>
    `/api/audit/export${query({ format, ...params })}`;
  return (
    <section aria-labelledby="export-heading" className="card">
      <h2 id="export-heading">Compliance export</h2>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor="export-from">From</label>
          <input
            id="export-from"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="export-to">To</label>
          <input id="export-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </div>
      <p className="hint">Leave both empty for the whole trail. Times are in your time zone.</p>
      <p className="links">
        <a className="button" href={link('csv', range)} download>
          Download CSV
        </a>{' '}
        <a className="button secondary" href={link('ndjson', range)} download>
          Download NDJSON
        </a>
      </p>
      {orderId ? (
        <p className="links">
          This order only:{' '}
          <a href={link('csv', { orderId })} download>
            CSV
          </a>{' '}
          ·{' '}
          <a href={link('ndjson', { orderId })} download>
            NDJSON
          </a>
        </p>
      ) : null}
    </section>
  );
};

const OrderPicker = ({ orderId }: { orderId: string | null }) => {
  const [draft, setDraft] = useState(orderId ?? '');
  useEffect(() => setDraft(orderId ?? ''), [orderId]);
  const recent = useResource(
    (signal) => api.get<OrderPage>(`/api/orders${query({ pageSize: 20 })}`, { signal }),
    [],
  );
  const open = (id: string) => navigate(`/audit${query({ order: id.trim() })}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) open(draft);
  };
  return (
    <form onSubmit={submit} className="inline-fields" aria-label="Choose an order">
      <div className="field">
        <label htmlFor="audit-order">Order id</label>
        <input
          id="audit-order"
          className="mono"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
        />
      </div>
      <button type="submit">Replay</button>
      {recent.data && recent.data.items.length > 0 ? (
        <div className="field">
          <label htmlFor="audit-recent">Or a recent order</label>
          <select id="audit-recent" value="" onChange={(e) => e.target.value && open(e.target.value)}>
            <option value="">Choose…</option>
            {recent.data.items.map((o) => (
              <option key={o.orderId} value={o.orderId}>
                {o.orderId} — {o.patientName ?? 'unnamed'} ({o.status})
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </form>
  );
};

/** For auditors: replay an order's history event by event, export the trail, check its chain. */
export const AuditPage = ({ orderId }: { orderId: string | null }) => {
  const history = useResource(
    (signal) =>
      orderId
        ? api.get<OrderHistory>(`/api/orders/${encodeURIComponent(orderId)}/events`, { signal })
        : Promise.resolve(null),
    [orderId],
  );
  return (
    <main id="main" className="page">
      <PageHeading>Audit</PageHeading>
      <div className="detail-grid">
        <div className="detail-main">
          <section aria-labelledby="replay-heading" className="card">
            <h2 id="replay-heading">Order history replay</h2>
            <OrderPicker orderId={orderId} />
            <ProblemMessage problem={history.problem} />
            {orderId && history.loading && !history.data ? <Loading what="the history" /> : null}
            {history.data && history.data.orderId === orderId ? (
              <ReplayView key={orderId} events={history.data.events} />
            ) : null}
          </section>
        </div>
        <div className="detail-side">
          <Verification />
          <Export orderId={orderId} />
        </div>
      </div>
    </main>
  );
};
