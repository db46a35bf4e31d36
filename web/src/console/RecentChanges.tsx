import { Link } from '../app/router.js';
import { useLive } from '../live/LiveProvider.js';
import { checkpointKey } from '../live/protocol.js';
import { eventLabel, formatDateTime, statusLabel } from '../ui/format.js';

/** Every change the live feed delivered, newest first and each once. */
export const RecentChanges = () => {
  const { recent } = useLive();
  return (
    <section aria-labelledby="recent-heading" className="console-side">
      <h2 id="recent-heading">Live changes</h2>
      {recent.length === 0 ? (
        <p className="muted">Changes appear here as they happen.</p>
      ) : (
        <ol className="recent" aria-label="Live changes">
          {recent.map((change) => (
            <li key={checkpointKey(change.checkpoint)} data-checkpoint={checkpointKey(change.checkpoint)}>
              <Link to={`/orders/${change.orderId}`} className="mono">
                {change.orderId}
              </Link>{' '}
              <span className="event-type">{eventLabel(change.eventType)}</span>
              {change.status ? <> → {statusLabel(change.status)}</> : null}
              <br />
              <time className="muted" dateTime={change.occurredAt}>
                {formatDateTime(change.occurredAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
