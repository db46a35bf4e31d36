import { type FormEvent, useEffect, useState } from 'react';
import { api, query } from '../api/client.js';
import type {
  AuditFinding,
  AuditVerification,
  ConsultationHistory,
  OrderHistory,
  OrderPage,
} from '../api/types.js';
import { navigate } from '../app/router.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { useResource } from '../ui/useResource.js';
import { ConsultationReplayView } from './ConsultationReplayView.js';
import { ReplayView } from './ReplayView.js';
import { localInputToIso } from './replay.js';

const brokenAtText = (brokenAt: AuditFinding) => ` at row ${brokenAt.seq}: ${brokenAt.reason}`;

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

/** The case on screen, if any: an order or a UK consultation. */
type Case = { kind: 'order'; id: string } | { kind: 'consultation'; id: string } | null;

const caseParam = (current: Case): Record<string, string> =>
  current === null ? {} : current.kind === 'order' ? { orderId: current.id } : { consultationId: current.id };

const Export = ({ current }: { current: Case }) => {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [patient, setPatient] = useState('');
  const [staff, setStaff] = useState('');
  const [eventType, setEventType] = useState('');
  const [thisCaseOnly, setThisCaseOnly] = useState(true);
  const filters: Record<string, string | null> = {
    from: localInputToIso(from),
    to: localInputToIso(to),
    patient: patient.trim() || null,
    staff: staff.trim() || null,
    eventType: eventType.trim() || null,
    ...(thisCaseOnly ? caseParam(current) : {}),
  };
  const link = (format: 'csv' | 'ndjson') => `/api/audit/export${query({ format, ...filters })}`;
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
      <div className="field">
        <label htmlFor="export-patient">Patient</label>
        <input
          id="export-patient"
          value={patient}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="export-patient-hint"
          onChange={(e) => setPatient(e.target.value)}
        />
        <p className="hint" id="export-patient-hint">
          A patient reference, an MRN as intake keys it, or an e-mail address: every case of theirs.
        </p>
      </div>
      <div className="field">
        <label htmlFor="export-staff">Staff member</label>
        <input
          id="export-staff"
          value={staff}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="export-staff-hint"
          onChange={(e) => setStaff(e.target.value)}
        />
        <p className="hint" id="export-staff-hint">
          Their id or e-mail address.
        </p>
      </div>
      <div className="field">
        <label htmlFor="export-event-type">Event type</label>
        <input
          id="export-event-type"
          className="mono"
          value={eventType}
          placeholder="e.g. ConsultationApproved"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setEventType(e.target.value)}
        />
      </div>
      {current ? (
        <div className="choice">
          <input
            id="export-this-case"
            type="checkbox"
            checked={thisCaseOnly}
            onChange={(e) => setThisCaseOnly(e.target.checked)}
          />
          <label htmlFor="export-this-case">
            This {current.kind} only (<span className="mono">{current.id}</span>)
          </label>
        </div>
      ) : null}
      <p className="hint">Leave every filter empty for the whole trail. Times are in your time zone.</p>
      <p className="links">
        <a className="button" href={link('csv')} download>
          Download CSV
        </a>{' '}
        <a className="button secondary" href={link('ndjson')} download>
          Download NDJSON
        </a>
      </p>
    </section>
  );
};

const CasePicker = ({ current }: { current: Case }) => {
  const [kind, setKind] = useState<'order' | 'consultation'>(current?.kind ?? 'order');
  const [draft, setDraft] = useState(current?.id ?? '');
  const currentId = current?.id ?? '';
  const currentKind = current?.kind;
  // A new case in the address (a link, back/forward) replaces what was typed.
  useEffect(() => {
    setDraft(currentId);
    if (currentKind) setKind(currentKind);
  }, [currentId, currentKind]);
  const recent = useResource(
    (signal) => api.get<OrderPage>(`/api/orders${query({ pageSize: 20 })}`, { signal }),
    [],
  );
  const open = (which: 'order' | 'consultation', id: string) =>
    navigate(`/audit${query({ [which]: id.trim() })}`);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim()) open(kind, draft);
  };
  return (
    <form onSubmit={submit} className="inline-fields" aria-label="Choose a case">
      <div className="field">
        <label htmlFor="audit-case-kind">Case</label>
        <select
          id="audit-case-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as 'order' | 'consultation')}
        >
          <option value="order">US order</option>
          <option value="consultation">UK consultation</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-case">{kind === 'order' ? 'Order id' : 'Consultation id'}</label>
        <input
          id="audit-case"
          className="mono"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
        />
      </div>
      <button type="submit">Replay</button>
      {kind === 'order' && recent.data && recent.data.items.length > 0 ? (
        <div className="field">
          <label htmlFor="audit-recent">Or a recent order</label>
          <select
            id="audit-recent"
            value=""
            onChange={(e) => e.target.value && open('order', e.target.value)}
          >
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

type CaseHistory =
  | { kind: 'order'; id: string; events: OrderHistory['events'] }
  | { kind: 'consultation'; id: string; events: ConsultationHistory['events'] };

const historyOf = (current: Case, signal: AbortSignal): Promise<CaseHistory | null> =>
  current === null
    ? Promise.resolve<CaseHistory | null>(null)
    : current.kind === 'order'
      ? api
          .get<OrderHistory>(`/api/orders/${encodeURIComponent(current.id)}/events`, { signal })
          .then((h) => ({ kind: 'order' as const, id: h.orderId, events: h.events }))
      : api
          .get<ConsultationHistory>(`/api/pharmacy/consultations/${encodeURIComponent(current.id)}/events`, {
            signal,
          })
          .then((h) => ({ kind: 'consultation' as const, id: h.consultationId, events: h.events }));

/** For auditors: replay an order's or a consultation's history event by event, export the trail, check its chain. */
export const AuditPage = ({
  orderId,
  consultationId,
}: {
  orderId: string | null;
  consultationId?: string | null;
}) => {
  const current: Case = orderId
    ? { kind: 'order', id: orderId }
    : consultationId
      ? { kind: 'consultation', id: consultationId }
      : null;
  const history = useResource((signal) => historyOf(current, signal), [orderId, consultationId]);
  const shown = history.data && current && history.data.id === current.id ? history.data : null;
  return (
    <main id="main" className="page">
      <PageHeading>Audit</PageHeading>
      <div className="detail-grid">
        <div className="detail-main">
          <section aria-labelledby="replay-heading" className="card">
            <h2 id="replay-heading">
              {current?.kind === 'consultation' ? 'Consultation history replay' : 'Case history replay'}
            </h2>
            <CasePicker current={current} />
            <ProblemMessage problem={history.problem} />
            {current && history.loading && !history.data ? <Loading what="the history" /> : null}
            {shown?.kind === 'order' ? <ReplayView key={shown.id} events={shown.events} /> : null}
            {shown?.kind === 'consultation' ? (
              <ConsultationReplayView key={shown.id} events={shown.events} />
            ) : null}
          </section>
        </div>
        <div className="detail-side">
          <Verification />
          <Export current={current} />
        </div>
      </div>
    </main>
  );
};
