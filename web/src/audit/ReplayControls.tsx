import { ActorName } from '../staff/directory.js';
import { eventLabel, formatDateTime } from '../ui/format.js';

/** First, previous, a slider over every event, next, last: how a replay steps through a history. */
export const ReplayControls = ({
  index,
  count,
  eventType,
  go,
}: {
  index: number;
  count: number;
  eventType: string;
  go(next: number): void;
}) => {
  const last = count - 1;
  return (
    <div className="replay-controls">
      <button type="button" className="secondary" onClick={() => go(0)} disabled={index === 0}>
        First
      </button>
      <button type="button" className="secondary" onClick={() => go(index - 1)} disabled={index === 0}>
        Previous
      </button>
      <div className="field replay-slider">
        <label htmlFor="replay-step">
          Event {index + 1} of {count}
        </label>
        <input
          id="replay-step"
          type="range"
          min={1}
          max={count}
          step={1}
          value={index + 1}
          aria-valuetext={`Event ${index + 1} of ${count}: ${eventLabel(eventType)}`}
          onChange={(e) => go(Number(e.target.value) - 1)}
        />
      </div>
      <button type="button" className="secondary" onClick={() => go(index + 1)} disabled={index === last}>
        Next
      </button>
      <button type="button" className="secondary" onClick={() => go(last)} disabled={index === last}>
        Last
      </button>
    </div>
  );
};

type ReplayedEvent = {
  id: string;
  type: string;
  data: unknown;
  metadata: { occurredAt: string; actor: string };
};

/** The step's event data, then every event of the history, each a step to go to. */
export const ReplayEvents = ({
  events,
  index,
  go,
}: {
  events: readonly ReplayedEvent[];
  index: number;
  go: (step: number) => void;
}) => (
  <>
    <details className="replay-data">
      <summary>Event data</summary>
      <pre>{JSON.stringify(events[index]?.data, null, 2)}</pre>
    </details>

    <h3>All events</h3>
    <ol className="replay-list">
      {events.map((e, i) => (
        <li key={e.id}>
          <button
            type="button"
            className="link-button"
            aria-current={i === index ? 'step' : undefined}
            onClick={() => go(i)}
          >
            {eventLabel(e.type)}
          </button>{' '}
          <span className="muted">
            {formatDateTime(e.metadata.occurredAt)} · <ActorName actor={e.metadata.actor} />
          </span>
        </li>
      ))}
    </ol>
  </>
);
