import { type FormEvent, useState } from 'react';
import { api, query } from '../api/client.js';
import type { ComplianceReport } from '../api/types.js';
import { navigate } from '../app/router.js';
import { ActorName } from '../staff/directory.js';
import { Loading, PageHeading, ProblemMessage } from '../ui/components.js';
import { eventLabel, formatDateTime, statusLabel } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';

/** `YYYY-MM-DD` of the first day of this month and of the next: the default period. */
const thisMonth = (now = new Date()) => {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from: first.toISOString().slice(0, 10), to: next.toISOString().slice(0, 10) };
};

const money = (minor: number, currency: string) =>
  new Intl.NumberFormat(currency === 'GBP' ? 'en-GB' : 'en-US', {
    style: 'currency',
    currency: currency || 'USD',
  }).format(minor / 100);

const Counts = ({ caption, rows }: { caption: string; rows: { status: string; count: number }[] }) => (
  <table className="data-table">
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th scope="col">Outcome</th>
        <th scope="col">Count</th>
      </tr>
    </thead>
    <tbody>
      {rows.length === 0 ? (
        <tr>
          <td colSpan={2}>None in this period</td>
        </tr>
      ) : (
        rows.map((r) => (
          <tr key={r.status}>
            <td>{statusLabel(r.status)}</td>
            <td>{r.count}</td>
          </tr>
        ))
      )}
    </tbody>
  </table>
);

/** For auditors: what happened in a period, to print, file or hand to an inspector. */
export const ComplianceReportPage = ({ from, to }: { from: string | null; to: string | null }) => {
  const period = from && to ? { from, to } : thisMonth();
  const [draft, setDraft] = useState(period);
  const report = useResource(
    (signal) => api.get<ComplianceReport>(`/api/audit/compliance-report${query(period)}`, { signal }),
    [period.from, period.to],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/audit/compliance${query(draft)}`);
  };
  const file = (format: 'csv' | 'pdf') => `/api/audit/compliance-report${query({ ...period, format })}`;
  const data = report.data;
  return (
    <main id="main" className="page">
      <PageHeading>Compliance report</PageHeading>
      <section className="card" aria-labelledby="period-heading">
        <h2 id="period-heading">Period</h2>
        <form className="inline-fields" onSubmit={submit} aria-label="Choose the period">
          <div className="field">
            <label htmlFor="report-from">From (UTC, inclusive)</label>
            <input
              id="report-from"
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="report-to">To (UTC, exclusive)</label>
            <input
              id="report-to"
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </div>
          <button type="submit">Show</button>
        </form>
        <p className="links">
          <a className="button" href={file('csv')} download>
            Download CSV
          </a>{' '}
          <a className="button secondary" href={file('pdf')} download>
            Download PDF
          </a>
        </p>
      </section>
      <ProblemMessage problem={report.problem} />
      {report.loading && !data ? <Loading what="the report" /> : null}
      {data ? (
        <div className="detail-grid" data-report-from={data.period.from}>
          <div className="detail-main">
            <section className="card" aria-labelledby="outcomes-heading">
              <h2 id="outcomes-heading">Outcomes</h2>
              <Counts caption="US orders received in the period" rows={data.orders} />
              <Counts caption="UK consultations started in the period" rows={data.consultations} />
            </section>
            <section className="card" aria-labelledby="refusals-heading">
              <h2 id="refusals-heading">Refusals ({data.refusals.length})</h2>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Case</th>
                    <th scope="col">Refusal</th>
                    <th scope="col">Reason</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {data.refusals.map((r) => (
                    <tr key={`${r.caseId}-${r.at}-${r.kind}`}>
                      <td>{formatDateTime(r.at)}</td>
                      <td className="mono">{r.caseId}</td>
                      <td>{r.kind}</td>
                      <td>{r.reason}</td>
                      <td>
                        <ActorName actor={r.actor} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card" aria-labelledby="refunds-heading">
              <h2 id="refunds-heading">Refunds ({data.refunds.length})</h2>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Case</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {data.refunds.map((r) => (
                    <tr key={`${r.caseId}-${r.at}-${r.amountMinor}`}>
                      <td>{formatDateTime(r.at)}</td>
                      <td className="mono">{r.caseId}</td>
                      <td>{money(r.amountMinor, r.currency)}</td>
                      <td>{eventLabel(r.reason.replaceAll('_', ' '))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <div className="detail-side">
            <section className="card" aria-labelledby="reads-heading">
              <h2 id="reads-heading">Reads of patient data</h2>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Staff member</th>
                    <th scope="col">Reads</th>
                    <th scope="col">Records</th>
                  </tr>
                </thead>
                <tbody>
                  {data.phiReads.map((r) => (
                    <tr key={r.actor} data-actor={r.actor}>
                      <td>{r.actorName ?? <ActorName actor={r.actor} />}</td>
                      <td>{r.reads}</td>
                      <td>{r.subjects}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </div>
      ) : null}
    </main>
  );
};
