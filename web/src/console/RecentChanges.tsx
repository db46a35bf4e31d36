import { useEffect, useRef } from 'react';
import type { RecentOrderChange } from '../../../src/projections/orders/recentChanges.js';
import { api } from '../api/client.js';
import { Link } from '../app/router.js';
import { useLive, useLiveSignals } from '../live/LiveProvider.js';
import { checkpointKey } from '../live/protocol.js';
import { eventLabel, formatDateTime, statusLabel } from '../ui/format.js';
import { useResource } from '../ui/useResource.js';

const LIMIT = 50;

type Shown = Omit<RecentOrderChange, 'patientName' | 'drug'> & {
  patientName?: string | null;
  drug?: string | null;
};

/** Checkpoints in the feed's order: transaction ids are decimal strings that may pass 2^53. */
const newerFirst = (a: Shown, b: Shown) => {
  const [x, y] = [a.checkpoint.transactionId, b.checkpoint.transactionId];
  if (x !== y) return y.length - x.length || (y > x ? 1 : -1);
  return b.checkpoint.globalPosition - a.checkpoint.globalPosition;
};

/**
 * The server's newest changes (with patient and drug) and the ones the live feed delivered since,
 * each once, newest first: a reload shows what happened before, and a live change is named as soon
 * as the server's list is read again.
 */
export const mergeChanges = (server: readonly Shown[], live: readonly Shown[], limit = LIMIT): Shown[] => {
  const byKey = new Map<string, Shown>();
  const names = new Map<string, Pick<Shown, 'patientName' | 'drug'>>();
  for (const change of server)
    names.set(change.orderId, { patientName: change.patientName, drug: change.drug });
  for (const change of [...server, ...live]) {
    const key = checkpointKey(change.checkpoint);
    const seen = byKey.get(key);
    byKey.set(key, {
      ...names.get(change.orderId),
      ...seen,
      ...change,
      status: change.status ?? seen?.status ?? null,
      patientName: change.patientName ?? seen?.patientName ?? names.get(change.orderId)?.patientName ?? null,
      drug: change.drug ?? seen?.drug ?? names.get(change.orderId)?.drug ?? null,
    });
  }
  return [...byKey.values()].sort(newerFirst).slice(0, limit);
};

/** Every change, newest first and each once, naming the patient and the drug. */
export const RecentChanges = () => {
  const { recent } = useLive();
  const server = useResource(
    async (signal) =>
      (await api.get<{ items: RecentOrderChange[] }>(`/api/orders/recent-changes?limit=${LIMIT}`, { signal }))
        .items,
    [],
  );
  // Changes come in bursts: read the named list again once the burst has passed.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveSignals(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(server.reload, 300);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  // The orders read model may not hold a brand-new order yet when the list is read: read it again
  // a few times, a second apart, until every change is named.
  const unnamedTries = useRef(0);
  useEffect(() => {
    if (!server.data) return;
    if (!server.data.some((c) => c.patientName === null)) {
      unnamedTries.current = 0;
      return;
    }
    if (unnamedTries.current >= 5) return;
    unnamedTries.current += 1;
    const retry = setTimeout(server.reload, 1_000);
    return () => clearTimeout(retry);
  }, [server.data, server.reload]);
  const changes = mergeChanges(server.data ?? [], recent);

  return (
    <section aria-labelledby="recent-heading" className="console-side">
      <h2 id="recent-heading">Live changes</h2>
      {changes.length === 0 ? (
        <p className="muted">Changes appear here as they happen.</p>
      ) : (
        <ol className="recent" aria-label="Live changes">
          {changes.map((change) => (
            <li key={checkpointKey(change.checkpoint)} data-checkpoint={checkpointKey(change.checkpoint)}>
              <Link to={`/orders/${change.orderId}`} className="change-subject">
                {change.patientName ?? <span className="mono">{change.orderId}</span>}
              </Link>
              {change.drug ? <span className="muted"> · {change.drug}</span> : null}
              <br />
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
