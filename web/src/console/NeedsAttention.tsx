import { useEffect, useRef, useState } from 'react';
import { api, query } from '../api/client.js';
import { type Problem, problemOf } from '../api/problem.js';
import type { AttentionItem, AttentionList } from '../api/types.js';
import { Link } from '../app/router.js';
import { useConsultationSignals, useLiveSignals } from '../live/LiveProvider.js';
import { Loading, ProblemMessage } from '../ui/components.js';
import { formatDateTime, formatDuration, statusLabel } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';

export type { AttentionItem };

const KIND_LABELS: Record<AttentionItem['kind'], string> = {
  sla_breach: 'Over SLA',
  incident: 'Vendor incident',
  parked_event: 'Parked event',
  payment_mismatch: 'Payment mismatch',
  drug_review: 'Drug review',
  adjudication_rejected: 'Claim rejected',
};

const subjectLabel = (item: AttentionItem) =>
  item.subject.kind === 'order' ? 'Order' : item.subject.kind === 'consultation' ? 'Consultation' : 'Stream';

/** The item's next step: a link to the page where it is done, or the call itself as a button. */
const NextAction = ({ item, onDone }: { item: AttentionItem; onDone: () => void }) => {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [started, setStarted] = useState(false);
  const { action } = item;
  if (action.kind === 'open') return <Link to={action.href}>{action.label}</Link>;
  return (
    <>
      <button
        type="button"
        disabled={busy || started}
        onClick={async () => {
          setBusy(true);
          setProblem(null);
          try {
            await api.post(action.path, action.body ?? {});
            setStarted(true);
            onDone();
          } catch (error) {
            setProblem(problemOf(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        {action.label}
      </button>{' '}
      <Link to={action.href}>Open</Link>
      {started ? (
        <span role="status" className="muted">
          {' '}
          Retry started.
        </span>
      ) : null}
      <ProblemMessage problem={problem} />
    </>
  );
};

/**
 * The console's first section: everything that waits on a person, the longest-waiting first. It
 * follows the live feed (an incident opens or closes with an order change) and the clock (an order
 * crosses the SLA without any event).
 */
export const NeedsAttention = ({ slaHours, now }: { slaHours: number; now: number }) => {
  const queue = useResource(
    (signal) =>
      api.get<AttentionList>(`/api/operations/attention${query({ slaHours })}`, {
        signal,
      }),
    [slaHours],
  );
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const later = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(queue.reload, 300);
  };
  useLiveSignals(later);
  useConsultationSignals(later);
  // `now` ticks, so an order that crosses the SLA without any event still shows up.
  const firstTick = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads on each tick of `now`.
  useEffect(() => {
    if (firstTick.current) firstTick.current = false;
    else queue.reload();
  }, [now]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const items = queue.data?.items ?? [];
  return (
    <section aria-labelledby="attention-heading" className="card attention">
      <h2 id="attention-heading">
        Needs attention{queue.data ? <span className="count-pill">{items.length}</span> : null}
      </h2>
      <ProblemMessage problem={queue.problem} />
      {!queue.data && queue.loading ? <Loading what="what needs attention" /> : null}
      {queue.data && items.length === 0 ? <p className="muted">Nothing waits on a person.</p> : null}
      {items.length > 0 ? (
        <ol className="attention-list" aria-label="Needs attention">
          {items.map((item) => (
            <li key={item.key} data-key={item.key} data-kind={item.kind}>
              <div className="attention-head">
                <span className={`flag ${item.kind === 'sla_breach' ? 'flag-sla' : 'flag-pending'}`}>
                  {KIND_LABELS[item.kind]}
                </span>{' '}
                <strong>{item.patientName ?? `${subjectLabel(item)} ${item.subject.id}`}</strong>
                {item.drug ? <span className="muted"> · {item.drug}</span> : null}
              </div>
              <p className="attention-summary">
                {item.summary}
                {item.status && item.kind === 'sla_breach' ? <> ({statusLabel(item.status)})</> : null}
                {item.nextAttemptAt ? (
                  <>; tried again by itself at {formatDateTime(item.nextAttemptAt)}</>
                ) : null}
              </p>
              <p className="attention-meta muted">
                Waiting{' '}
                <time dateTime={item.since} title={formatDateTime(item.since)}>
                  {formatDuration(Math.max(0, now - Date.parse(item.since)))}
                </time>
                {item.overSla && item.kind !== 'sla_breach' ? ' · over SLA' : null} ·{' '}
                <span className="mono">{item.subject.id}</span>
              </p>
              <div className="attention-action">
                <NextAction item={item} onDone={later} />
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
};
