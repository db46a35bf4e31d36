import { eventLabel } from '../ui/format.js';

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
