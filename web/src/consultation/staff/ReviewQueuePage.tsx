import { api, query } from '../../api/client.js';
import { Link } from '../../app/router.js';
import { hasRole } from '../../auth/roles.js';
import { useStaffUser } from '../../auth/session.js';
import { Loading, PageHeading, ProblemMessage, StatusBadge } from '../../ui/components.js';
import { formatDateTime } from '../../ui/format.js';
import { useResource } from '../../ui/useResource.js';
import type { ReviewQueue } from '../routes.js';
import type { ReviewList } from '../types.js';
import { PendingMarker, useLiveConsultations } from './shared.js';

const QUEUE_NAMES: Record<ReviewQueue, string> = {
  prescriber: 'Prescriber (POM)',
  pharmacist: 'Pharmacist (P)',
};

/** Phases 5–6: the cases waiting on a clinician, POM for prescribers and P for pharmacists, overlaps first. */
export const ReviewQueuePage = ({ queue }: { queue: ReviewQueue | null }) => {
  const user = useStaffUser();
  const list = useResource(
    (signal) => api.get<ReviewList>(`/api/review/cases${query({ queue })}`, { signal }),
    [queue],
  );
  useLiveConsultations(list.reload);
  const shown = list.data?.queue ?? queue;
  const both = hasRole(user, 'prescriber') && hasRole(user, 'pharmacist');

  return (
    <main id="main" className="page">
      <PageHeading>Review queue{shown ? ` — ${QUEUE_NAMES[shown]}` : ''}</PageHeading>
      {both ? (
        <nav aria-label="Queues" className="tabs">
          {(Object.keys(QUEUE_NAMES) as ReviewQueue[]).map((q) => (
            <Link key={q} to={`/review?queue=${q}`} aria-current={shown === q ? 'page' : undefined}>
              {QUEUE_NAMES[q]}
            </Link>
          ))}
        </nav>
      ) : null}
      <ProblemMessage problem={list.problem} />
      {!list.data ? (
        list.problem ? null : (
          <Loading what="the review queue" />
        )
      ) : list.data.items.length === 0 ? (
        <p className="muted">No consultations are waiting for review.</p>
      ) : (
        <ul className="orders" aria-label="Consultations to review">
          {list.data.items.map((item) => (
            <li
              key={item.consultationId}
              className={`order${item.flags.renewalOverlap ? ' overlap' : ''}`}
              data-consultation-id={item.consultationId}
              data-status={item.status}
            >
              <div className="order-head">
                <Link className="order-link" to={`/review/${encodeURIComponent(item.consultationId)}`}>
                  {item.patientName ?? 'Patient'} — {item.product ?? 'treatment'}
                </Link>
                <StatusBadge status={item.status} />
              </div>
              {item.flags.renewalOverlap ? (
                <p className="overlap-inline">
                  <strong>⚠ Renewal overlap:</strong> an earlier plan is active until{' '}
                  {formatDateTime(item.flags.renewalOverlap.activePlanEndsAt)}
                </p>
              ) : null}
              <p className="order-meta">
                <span>Queued {formatDateTime(item.queuedAt)}</span>
                {item.renewalOf ? <span>Renewal</span> : null}
                {item.flags.repeatSubmission ? (
                  <span className="flag flag-issue">
                    Repeat submission: {item.flags.repeatSubmission.changes.length} answer
                    {item.flags.repeatSubmission.changes.length === 1 ? '' : 's'} changed
                  </span>
                ) : null}
                <PendingMarker pending={item.pending} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
};
